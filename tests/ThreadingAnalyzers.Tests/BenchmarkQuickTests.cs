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
/// 10% of the compiler's own time, or an edited document's THR diagnostics more than 5 times the compiler's.
/// </summary>
[Collection(nameof(BenchmarkCollection))]
public sealed class BenchmarkQuickTests
{
    private readonly ITestOutputHelper _output;

    public BenchmarkQuickTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task QuickBenchmarkStaysWithinLimits()
    {
        var log = new StringWriter();
        var report = await Benchmark.RunAsync(BenchmarkOptions.QuickMode, RepoInfo.Root, log);
        report.Write(log);
        _output.WriteLine(log.ToString());
        Assert.True(report.Failures.Count == 0, string.Join("\n", report.Failures) + "\n" + log);
    }
}
