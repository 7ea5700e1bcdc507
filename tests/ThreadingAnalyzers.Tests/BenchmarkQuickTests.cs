using System.IO;
using System.Threading.Tasks;
using ThreadingAnalyzers.Benchmarks;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests;

/// <summary>Runs alone, after the parallel tests, so that they do not skew its timings.</summary>
[CollectionDefinition(nameof(BenchmarkCollection), DisableParallelization = true)]
public sealed class BenchmarkCollection
{
}

/// <summary>
/// CI's speed check: the benchmark's quick mode (`dotnet run -c Release --project tests/ThreadingAnalyzers.Benchmarks
/// -- --quick`), in-process, because CI runs only `dotnet test`. It fails when all THR rules together take more than
/// 25% of the compiler's own time, or an edited document's THR diagnostics more than 5 times the compiler's.
/// </summary>
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
[Collection(nameof(BenchmarkCollection))]
public sealed class BenchmarkQuickTests
{
    private readonly ITestOutputHelper _output;

    public BenchmarkQuickTests(ITestOutputHelper output) => _output = output;

    /// <summary>
    /// After the rest of the suite the test host's heap is large, and a full collection that lands inside an analyzer
    /// action is charged to the rule: a second attempt tells noise from a real regression (both must fail).
    /// </summary>
    [Fact]
    public async Task QuickBenchmarkStaysWithinLimits()
    {
        var log = new StringWriter();
        BenchmarkReport? report = null;
        for (var attempt = 1; attempt <= 2 && report is not { Failures.Count: 0 }; attempt++)
        {
            log.WriteLine($"Attempt {attempt}");
            report = await Benchmark.RunAsync(BenchmarkOptions.QuickMode, RepoInfo.Root, log);
            report.Write(log);
        }

        _output.WriteLine(log.ToString());
        Assert.True(report!.Failures.Count == 0, string.Join("\n", report.Failures) + "\n" + log);
    }

    /// <summary>
    /// The benchmark's --sharing mode analyzes the quick corpus's starting functions in every pass, finds the same shared
    /// writes each time (it throws otherwise), and the THR002 diagnostics of a full pass come from those functions.
    /// </summary>
    [Fact]
    public void SharingLoopAnalyzesTheCorpusStartingFunctions()
    {
        var log = new StringWriter();
        var result = SharingLoop.Run(CorpusSize.Quick, RepoInfo.Root, passes: 2, log);
        _output.WriteLine(log.ToString());
        Assert.True(result.Roots > result.Types && result.Types > 0, $"{result.Roots} functions in {result.Types} types");
        Assert.Equal(2, result.PassMilliseconds.Count);
        Assert.True(result.Findings > 0, log.ToString());
    }
}
