using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>--profile DIR [THR0xx,...] [passes]</c>: analysis passes of a folder of real code with the chosen rules only
/// (all when none is named), each rule's execution time printed per pass, and the median of each at the end. Rules
/// compared in one process, pass by pass, move together with the machine's load; a profiler attached to this loop
/// (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>) sees the chosen rules without the rest of the benchmark.
/// </summary>
public static class ProfileLoop
{
    public static async Task<int> RunAsync(string directory, IReadOnlyCollection<string> ruleIds, int passes, TextWriter output, string? editedFile = null)
    {
        var source = FolderReport.Compile(directory, concurrentBuild: false);
        if (editedFile is not null)
        {
            return await EditorAsync(source, directory, editedFile, ruleIds, passes, output).ConfigureAwait(false);
        }

        var analyzers = RuleCatalog.CreateAnalyzers()
            .Where(analyzer => ruleIds.Count == 0 || analyzer.SupportedDiagnostics.Any(d => ruleIds.Contains(d.Id)))
            .ToImmutableArray();
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: true,
            reportSuppressedDiagnostics: false);
        var times = analyzers.ToDictionary(analyzer => analyzer, _ => new List<double>());
        for (var pass = 0; pass <= passes; pass++)
        {
            var withAnalyzers = Benchmark.FreshTrees(source).WithAnalyzers(analyzers, options);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var stopwatch = Stopwatch.StartNew();
            var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            var wall = stopwatch.Elapsed.TotalMilliseconds;
            var line = new List<string>();
            foreach (var analyzer in analyzers)
            {
                var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default).ConfigureAwait(false)).ExecutionTime.TotalMilliseconds;
                if (pass > 0)
                {
                    times[analyzer].Add(time);
                }

                line.Add(FormattableString.Invariant($"{RuleCatalog.RuleIds(analyzer)} {time:N1}"));
            }

            output.WriteLine(FormattableString.Invariant($"pass {pass}{(pass == 0 ? " (warm-up)" : string.Empty)}: wall {wall:N0} ms, {diagnostics.Length} diagnostics; {string.Join(", ", line)}"));
        }

        output.WriteLine("median ms: " + string.Join(", ", analyzers.Select(analyzer =>
            FormattableString.Invariant($"{RuleCatalog.RuleIds(analyzer)} {times[analyzer].Order().ElementAtOrDefault(times[analyzer].Count / 2):N2}"))));
        foreach (var exception in exceptions.Distinct())
        {
            output.WriteLine("ANALYZER EXCEPTION " + exception);
        }

        return exceptions.IsEmpty ? 0 : 1;
    }

    /// <summary>
    /// The editor measure of one document (a comment line appended, the compiler's semantic diagnostics of it first),
    /// each rule's execution time in the analysis of that document printed per edit.
    /// </summary>
    private static async Task<int> EditorAsync(Microsoft.CodeAnalysis.CSharp.CSharpCompilation source, string directory, string editedFile, IReadOnlyCollection<string> ruleIds, int passes, TextWriter output)
    {
        var tree = source.SyntaxTrees.Single(t => t.FilePath.EndsWith(editedFile, StringComparison.Ordinal));
        var analyzers = RuleCatalog.CreateAnalyzers()
            .Where(analyzer => ruleIds.Count == 0 || analyzer.SupportedDiagnostics.Any(d => ruleIds.Contains(d.Id)))
            .ToImmutableArray();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
        for (var pass = 0; pass <= passes; pass++)
        {
            var text = tree.GetText();
            var edited = tree.WithChangedText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(new Microsoft.CodeAnalysis.Text.TextSpan(text.Length, 0), $"{Environment.NewLine}// revision {pass}{Environment.NewLine}")));
            var compilation = source.ReplaceSyntaxTree(tree, edited);
            var model = compilation.GetSemanticModel(edited);
            var stopwatch = Stopwatch.StartNew();
            model.GetDiagnostics();
            var compiler = stopwatch.Elapsed.TotalMilliseconds;
            var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
            await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, default).ConfigureAwait(false);
            var line = new List<string>();
            foreach (var analyzer in analyzers)
            {
                var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, default).ConfigureAwait(false)).ExecutionTime.TotalMilliseconds;
                if (time >= 0.5)
                {
                    line.Add(FormattableString.Invariant($"{RuleCatalog.RuleIds(analyzer)} {time:N1}"));
                }
            }

            output.WriteLine(FormattableString.Invariant($"edit {pass}: compiler {compiler:N1} ms; {string.Join(", ", line)}"));
        }

        return 0;
    }
}
