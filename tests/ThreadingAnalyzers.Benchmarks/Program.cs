using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ThreadingAnalyzers.Benchmarks [-- --quick]</c>.
/// Exit code 0 when every limit holds, 1 when one is exceeded, 2 on bad arguments.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Any(arg => arg is not "--quick"))
        {
            Console.Error.WriteLine("usage: ThreadingAnalyzers.Benchmarks [--quick]");
            return 2;
        }

        var options = args.Contains("--quick") ? BenchmarkOptions.QuickMode : BenchmarkOptions.Full;
        var report = await Benchmark.RunAsync(options, RepoRoot(), Console.Out).ConfigureAwait(false);
        report.Write(Console.Out);
        return report.Failures.Count == 0 ? 0 : 1;
    }

    /// <summary>The repository root, as the build saw it.</summary>
    public static string RepoRoot() => Path.GetFullPath(
        typeof(Program).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(attribute => attribute.Key == "RepoRoot").Value!);
}
