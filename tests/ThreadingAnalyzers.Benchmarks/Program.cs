using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/ThreadingAnalyzers.Benchmarks [-- --quick | --sharing [passes] | --list DIR [THR0xx,...] | --corpus DIR [--total-allocations] | --profile DIR [THR0xx,...] [passes] [--edit FILE] | --floor DIR [passes]]</c>.
/// Exit code 0 when every limit holds, 1 when one is exceeded (with --corpus: when an analyzer threw), 2 on bad arguments.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length >= 1 && args[0] == "--sharing")
        {
            // THR002's own analysis, repeated without the driver (see SharingLoop): to compare two versions of it.
            var passes = args.Length > 1 && int.TryParse(args[1], out var count) && count > 0 ? count : 15;
            var result = SharingLoop.Run(CorpusSize.Full, RepoRoot(), passes, Console.Out);
            Console.WriteLine($"THR002 analysis of {result.Roots:N0} functions in {result.Types:N0} types: median {result.Median:N1} ms per pass "
                + $"(min {result.PassMilliseconds.Min():N1}), {result.PassAllocatedBytes.OrderBy(bytes => bytes).ElementAt(passes / 2) / 1e6:N1} MB, {result.Findings} shared writes");
            return 0;
        }

        if (args.Length >= 2 && args[0] == "--list")
        {
            var configAt = Array.IndexOf(args, "--config");
            var config = configAt > 0 && configAt + 1 < args.Length ? Path.GetFullPath(args[configAt + 1]) : null;
            var rules = args.Length > 2 && args[2] != "--config" ? args[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            return await FolderReport.RunAsync(Path.GetFullPath(args[1]), rules, Console.Out, config).ConfigureAwait(false);
        }

        if (args.Length >= 2 && args[0] == "--floor")
        {
            // --floor DIR [passes]: what each way of registering costs with empty callbacks (see DriverFloor).
            var passes = args.Length > 2 && int.TryParse(args[2], out var count) && count > 0 ? count : 3;
            return await DriverFloor.RunAsync(Path.GetFullPath(args[1]), passes, Console.Out).ConfigureAwait(false);
        }

        if (args.Length >= 2 && args[0] == "--profile")
        {
            // --profile DIR [rules] [passes] [--edit FILE]: build passes, or edits of one document.
            var editAt = Array.IndexOf(args, "--edit");
            var edited = editAt > 0 && editAt + 1 < args.Length ? args[editAt + 1] : null;
            var rest = editAt > 0 ? args.Take(editAt).ToArray() : args;
            var rules = rest.Length > 2 && !int.TryParse(rest[2], out _) ? rest[2].Split(',', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>();
            var passes = int.TryParse(rest[^1], out var count) && count > 0 ? count : 5;
            return await ProfileLoop.RunAsync(Path.GetFullPath(args[1]), rules, passes, Console.Out, edited).ConfigureAwait(false);
        }

        if (args.Length >= 2 && args[0] == "--corpus" && args.Skip(2).All(arg => arg is "--total-allocations"))
        {
            var directory = Path.GetFullPath(args[1]);
            if (!Directory.Exists(directory))
            {
                Console.Error.WriteLine($"no such folder: {directory}");
                return 2;
            }

            // Each rule's allocations take a full analysis pass of the folder per rule: on a large project, minutes.
            var folderOptions = args.Contains("--total-allocations") ? BenchmarkOptions.Folder with { PerRuleAllocations = false } : BenchmarkOptions.Folder;
            var folder = await FolderBenchmark.RunAsync(directory, folderOptions, Console.Out).ConfigureAwait(false);
            folder.Write(Console.Out);
            return folder.AnalyzerExceptions.Count == 0 ? 0 : 1;
        }

        if (args.Any(arg => arg is not "--quick"))
        {
            Console.Error.WriteLine("usage: ThreadingAnalyzers.Benchmarks [--quick | --sharing [passes] | --list DIR [THR0xx,...] | --corpus DIR [--total-allocations] | --profile DIR [THR0xx,...] [passes] [--edit FILE] | --floor DIR [passes]]");
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
