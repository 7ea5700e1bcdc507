using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>The limits CI enforces in quick mode, and the targets the project aims for.</summary>
public static class Limits
{
    /// <summary>
    /// Quick mode fails above this: all THR analyzers together, in percent of the compiler's own time. A guard against
    /// a rule that binds or walks far more than it should (THR013 once took 69%), not the target: the twenty-three rules
    /// measure 15-18% on the quick corpus, which is dense with locks, THR013 and THR014 a third of that.
    /// </summary>
    public const double MaxTotalPercent = 25;

    /// <summary>Quick mode fails above this: THR time for one edited document over the compiler's time for it.</summary>
    public const double MaxEditorRatio = 5;

    public const double TargetTotalPercent = 3;

    public const double TargetRulePercent = 1;

    public const double TargetEditorRatio = 1;
}

/// <param name="Rules">The rule's diagnostic ids.</param>
/// <param name="Time">Median analyzer execution time over the measured runs (Roslyn's own per-analyzer telemetry).</param>
/// <param name="AllocatedBytes">What a pass with this rule alone allocates beyond a pass with no rule; null when not measured.</param>
/// <param name="Diagnostics">How many diagnostics the rule reports on the corpus.</param>
public sealed record RuleCost(string Rules, string Analyzer, TimeSpan Time, long? AllocatedBytes, int Diagnostics);

/// <param name="Compile">Median time of <c>Compilation.GetDiagnostics()</c> on a fresh copy of the corpus.</param>
/// <param name="AnalysisPass">Median wall time of the pass with every THR analyzer: the driver compiles again, then runs them.</param>
/// <param name="OperationTreesAllocatedBytes">What the driver allocates for the IOperation trees that any analyzer with operation actions needs.</param>
public sealed record BuildCost(
    TimeSpan Compile, long CompilerAllocatedBytes, ImmutableArray<Diagnostic> CompilerErrors, TimeSpan AnalysisPass, IReadOnlyList<RuleCost> Rules, long AllRulesAllocatedBytes, long OperationTreesAllocatedBytes)
{
    public TimeSpan TotalRuleTime => Rules.Aggregate(TimeSpan.Zero, (sum, rule) => sum + rule.Time);

    public double Percent(TimeSpan time) => Compile > TimeSpan.Zero ? 100 * time.TotalMilliseconds / Compile.TotalMilliseconds : 0;
}

/// <param name="Compiler">Median time of the compiler's <c>SemanticModel.GetDiagnostics()</c> for the edited document, on the new compilation.</param>
/// <param name="Analyzers">Median THR analyzer execution time of <c>GetAnalyzerSemanticDiagnosticsAsync</c> for it, on the same compilation, after the compiler.</param>
/// <param name="Wall">Median wall time of that call: the analysis driver's own work included.</param>
/// <param name="ColdAnalyzers">Median THR analyzer execution time when the analyzers run first on a fresh compilation.</param>
public sealed record EditorCost(string File, string Kind, TimeSpan Compiler, TimeSpan Analyzers, TimeSpan Wall, TimeSpan ColdAnalyzers, int Diagnostics)
{
    public double Ratio => Divide(Analyzers, Compiler);

    public double WallRatio => Divide(Wall, Compiler);

    public double ColdRatio => Divide(ColdAnalyzers, Compiler);

    private static double Divide(TimeSpan part, TimeSpan whole) => whole > TimeSpan.Zero ? part.TotalMilliseconds / whole.TotalMilliseconds : 0;
}

public sealed class BenchmarkReport
{
    public BenchmarkReport(BenchmarkOptions options, Corpus corpus, BuildCost build, IReadOnlyList<EditorCost> editor, IReadOnlyList<string> analyzerExceptions)
    {
        Options = options;
        Corpus = corpus;
        Build = build;
        Editor = editor;
        AnalyzerExceptions = analyzerExceptions;
    }

    public BenchmarkOptions Options { get; }

    public Corpus Corpus { get; }

    public BuildCost Build { get; }

    public IReadOnlyList<EditorCost> Editor { get; }

    public IReadOnlyList<string> AnalyzerExceptions { get; }

    /// <summary>What makes the run fail: analyzer exceptions, a corpus that does not compile, a limit exceeded.</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            var failures = new List<string>();
            failures.AddRange(AnalyzerExceptions.Distinct().Select(exception => $"An analyzer threw: {exception}"));
            var generatedErrors = Build.CompilerErrors.Where(error => error.Location.SourceTree?.FilePath.StartsWith("Corpus/", StringComparison.Ordinal) == true).ToList();
            if (generatedErrors.Count > 0)
            {
                failures.Add($"The generated corpus does not compile ({generatedErrors.Count} errors), first: {generatedErrors[0]}");
            }

            if (Build.Rules.Count == 0)
            {
                failures.Add("No THR analyzer was found.");
            }

            var total = Build.Percent(Build.TotalRuleTime);
            if (total > Limits.MaxTotalPercent)
            {
                failures.Add(Invariant($"All THR rules take {total:N2}% of the compiler's time; the limit is {Limits.MaxTotalPercent}%."));
            }

            foreach (var editor in Editor.Where(editor => editor.Ratio > Limits.MaxEditorRatio))
            {
                failures.Add(Invariant($"Editing {editor.File}: the THR rules take {editor.Ratio:N2} times the compiler's time; the limit is {Limits.MaxEditorRatio}."));
            }

            return failures;
        }
    }

    /// <summary>Targets missed: reported, not failed.</summary>
    public IReadOnlyList<string> TargetMisses
    {
        get
        {
            var misses = new List<string>();
            var total = Build.Percent(Build.TotalRuleTime);
            if (total > Limits.TargetTotalPercent)
            {
                misses.Add(Invariant($"All THR rules: {total:N2}% of compile time (target {Limits.TargetTotalPercent}%)."));
            }

            foreach (var rule in Build.Rules.Where(rule => Build.Percent(rule.Time) > Limits.TargetRulePercent))
            {
                misses.Add(Invariant($"{rule.Rules}: {Build.Percent(rule.Time):N2}% of compile time (target {Limits.TargetRulePercent}%)."));
            }

            foreach (var editor in Editor.Where(editor => editor.Ratio > Limits.TargetEditorRatio))
            {
                misses.Add(Invariant($"Editing {editor.File}: ratio {editor.Ratio:N2} (target {Limits.TargetEditorRatio})."));
            }

            return misses;
        }
    }

    public void Write(TextWriter writer)
    {
        var mode = Options.Quick ? "quick" : "full";
        var sampleErrors = Build.CompilerErrors.Count(error => error.Location.SourceTree?.FilePath.StartsWith("Corpus/", StringComparison.Ordinal) != true);
        writer.WriteLine();
        writer.WriteLine(Invariant($"ThreadingAnalyzers benchmark ({mode}): {Corpus.GeneratedFiles:N0} generated files, {Corpus.GeneratedLines:N0} lines, plus {Corpus.SampleFiles} sample files"));
        writer.WriteLine(Invariant($"References: {Corpus.ReferencesDescription}. Roslyn {typeof(Compilation).Assembly.GetName().Version}. {Environment.ProcessorCount} cores; compiler and analyzers run single-threaded."));
        writer.WriteLine(Invariant($"Medians of {Options.Runs} runs after {Options.WarmUps} warm-up; editor: {Options.EditorRuns} runs after {Options.EditorWarmUps} warm-ups."));
        writer.WriteLine();
        writer.WriteLine("Build cost");
        writer.WriteLine(Invariant($"  Compiler, Compilation.GetDiagnostics(): {Ms(Build.Compile)} ms, {Mb(Build.CompilerAllocatedBytes)} MB allocated, {Build.CompilerErrors.Length} errors ({sampleErrors} in samples)"));
        writer.WriteLine();
        WriteRuleTable(writer, Build);
        writer.WriteLine(Invariant($"  Analysis pass wall time (driver compiles again, then runs every THR analyzer): {Ms(Build.AnalysisPass)} ms"));
        writer.WriteLine();
        writer.WriteLine("Editor cost (one-line edit, new compilation, THR diagnostics of that document)");
        writer.WriteLine();
        WriteEditorTable(writer, Editor);
        writer.WriteLine();
        writer.WriteLine(Invariant($"Targets: all THR <= {Limits.TargetTotalPercent}% and each rule <= {Limits.TargetRulePercent}% of compile time; editor ratio <= {Limits.TargetEditorRatio}."));
        writer.WriteLine(Invariant($"Limits (fail): all THR > {Limits.MaxTotalPercent}% of compile time, editor ratio > {Limits.MaxEditorRatio}."));
        foreach (var miss in TargetMisses)
        {
            writer.WriteLine("  Target missed: " + miss);
        }

        foreach (var failure in Failures)
        {
            writer.WriteLine("  FAILED: " + failure);
        }

        writer.WriteLine(Failures.Count == 0 ? "Result: pass" : "Result: FAIL");
    }

    /// <summary>The per-rule table and its notes, shared with <c>--corpus</c>'s report.</summary>
    internal static void WriteRuleTable(TextWriter writer, BuildCost build)
    {
        writer.WriteLine("  | Rule | Analyzer | Time (ms) | % of compile | Allocated (MB) | Diagnostics |");
        writer.WriteLine("  |---|---|---:|---:|---:|---:|");
        foreach (var rule in build.Rules)
        {
            writer.WriteLine(Invariant($"  | {rule.Rules} | {rule.Analyzer} | {Ms(rule.Time)} | {build.Percent(rule.Time):N2}% | {Mb(rule.AllocatedBytes)} | {rule.Diagnostics} |"));
        }

        writer.WriteLine(Invariant($"  | All THR | {build.Rules.Count} analyzers | {Ms(build.TotalRuleTime)} | {build.Percent(build.TotalRuleTime):N2}% | {Mb(build.AllRulesAllocatedBytes)} | {build.Rules.Sum(rule => rule.Diagnostics)} |"));
        writer.WriteLine();
        writer.WriteLine("  Time: Roslyn's per-analyzer execution time. Allocated: what a pass with the rule allocates beyond a pass that only binds.");
        writer.WriteLine(Invariant($"  Of that, the driver's IOperation trees, built once for all analyzers with operation actions (the SDK's included): {Mb(build.OperationTreesAllocatedBytes)} MB."));
    }

    /// <summary>The editor table and its notes, shared with <c>--corpus</c>'s report.</summary>
    internal static void WriteEditorTable(TextWriter writer, IEnumerable<EditorCost> editors)
    {
        writer.WriteLine("  | File | Kind | Compiler (ms) | THR (ms) | Ratio | Driver wall (ms) | Wall ratio | THR first, cold (ms) | Cold ratio |");
        writer.WriteLine("  |---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var editor in editors)
        {
            writer.WriteLine(Invariant($"  | {editor.File} | {editor.Kind} | {Ms(editor.Compiler)} | {Ms(editor.Analyzers)} | {editor.Ratio:N3} | {Ms(editor.Wall)} | {editor.WallRatio:N2} | {Ms(editor.ColdAnalyzers)} | {editor.ColdRatio:N3} |"));
        }

        writer.WriteLine();
        writer.WriteLine("  Compiler: SemanticModel.GetDiagnostics(). THR: the rules' execution time in GetAnalyzerSemanticDiagnosticsAsync on the same");
        writer.WriteLine("  compilation afterwards (Ratio = THR / Compiler). Driver wall: that call's wall time, driver included. Cold: the rules");
        writer.WriteLine("  run first on a fresh compilation: whatever they ask first pays the one-time declaration merge the compiler needs too.");
    }

    internal static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString(time.TotalMilliseconds < 100 ? "N2" : "N0", CultureInfo.InvariantCulture);

    internal static string Mb(long? bytes) => bytes is { } value ? (value / (1024.0 * 1024.0)).ToString("N1", CultureInfo.InvariantCulture) : "-";

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
