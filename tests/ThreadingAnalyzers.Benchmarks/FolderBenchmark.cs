using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using static ThreadingAnalyzers.Benchmarks.BenchmarkReport;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>--corpus DIR</c>: the benchmark on a folder of real code instead of the generated corpus. The folder is compiled
/// as <c>--list</c> compiles it (every .cs file but bin/ and obj/, framework references only), but single-threaded, so
/// that the compiler's time and the rules' time measure the same work. Real code is mostly code that starts no thread:
/// the table shows what the rules cost where they should find nothing, and the editor measure takes the documents most
/// likely to make them work.
/// </summary>
public static class FolderBenchmark
{
    /// <summary>How many documents the editor measure takes: those with the most threading words.</summary>
    public const int EditorDocuments = 12;

    /// <summary>Words that make a document likely to start, share or guard concurrent code.</summary>
    private static readonly Regex ThreadingWords = new(
        @"\b(?:Thread|ThreadPool|Task\.Run|StartNew|lock|Monitor|Parallel|Timer|Interlocked|volatile|Volatile|Mutex|Semaphore|SemaphoreSlim|"
        + @"ReaderWriterLockSlim|ManualResetEvent|ManualResetEventSlim|AutoResetEvent|CountdownEvent|Barrier|SpinWait|SpinLock)\b",
        RegexOptions.CultureInvariant);

    public static async Task<FolderBenchmarkReport> RunAsync(string directory, BenchmarkOptions options, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var loadAtStart = LoadAverage();
        var analyzers = RuleCatalog.CreateAnalyzers();
        var exceptions = new ConcurrentQueue<string>();
        var compilation = FolderReport.Compile(directory, concurrentBuild: false);
        var lines = compilation.SyntaxTrees.Sum(tree => tree.GetText(cancellationToken).Lines.Count);
        progress.WriteLine($"Folder: {directory}, {compilation.SyntaxTrees.Count():N0} files, {lines:N0} lines; load average {loadAtStart}");

        var build = await Benchmark.MeasureBuildAsync(compilation, analyzers, options, exceptions, progress, cancellationToken).ConfigureAwait(false);
        var editor = new List<EditorCost>();
        foreach (var (tree, words) in compilation.SyntaxTrees
                     .Select(tree => (Tree: tree, Words: ThreadingWords.Matches(tree.GetText(cancellationToken).ToString()).Count))
                     .OrderByDescending(document => document.Words)
                     .ThenBy(document => document.Tree.FilePath, StringComparer.Ordinal)
                     .Take(EditorDocuments))
        {
            var label = $"{words} threading words";
            var cost = await Benchmark.MeasureEditorAsync(compilation, tree, AppendLine, label, analyzers, options, exceptions, cancellationToken).ConfigureAwait(false);
            editor.Add(cost with { File = Path.GetRelativePath(directory, tree.FilePath) });
            progress.WriteLine($"Editor: {editor[^1].File} measured");
        }

        return new FolderBenchmarkReport(options, directory, compilation.SyntaxTrees.Count(), lines, build, editor, exceptions.ToList(), loadAtStart, LoadAverage());
    }

    /// <summary>Real files have no edit point: the edit is a comment line added at the end, different for every revision.</summary>
    private static SyntaxTree AppendLine(SyntaxTree tree, int revision)
    {
        var text = tree.GetText();
        return tree.WithChangedText(text.WithChanges(new TextChange(new TextSpan(text.Length, 0), $"{Environment.NewLine}// revision {revision}{Environment.NewLine}")));
    }

    /// <summary>The machine's 1, 5 and 15 minute load averages, where the system tells them: the rules' time is only comparable on a quiet machine.</summary>
    private static string LoadAverage()
    {
        const string path = "/proc/loadavg";
        return File.Exists(path) ? string.Join(" / ", File.ReadAllText(path).Split(' ').Take(3)) : "unknown";
    }
}

/// <summary>What <c>--corpus DIR</c> prints: the generated benchmark's tables, with the targets for real code.</summary>
public sealed class FolderBenchmarkReport
{
    public const double TargetTotalPercent = 2;

    public const double TargetRulePercent = 0.3;

    public const double TargetEditorMedian = 0.3;

    public const double TargetEditorMax = 1;

    public FolderBenchmarkReport(
        BenchmarkOptions options, string directory, int files, int lines, BuildCost build, IReadOnlyList<EditorCost> editor, IReadOnlyList<string> analyzerExceptions, string loadAtStart, string loadAtEnd)
    {
        Options = options;
        Directory = directory;
        Files = files;
        Lines = lines;
        Build = build;
        Editor = editor;
        AnalyzerExceptions = analyzerExceptions;
        LoadAtStart = loadAtStart;
        LoadAtEnd = loadAtEnd;
    }

    public BenchmarkOptions Options { get; }

    public string Directory { get; }

    public int Files { get; }

    public int Lines { get; }

    public BuildCost Build { get; }

    public IReadOnlyList<EditorCost> Editor { get; }

    public IReadOnlyList<string> AnalyzerExceptions { get; }

    public string LoadAtStart { get; }

    public string LoadAtEnd { get; }

    public double EditorMedian => Editor.Count == 0 ? 0 : Median(Editor.Select(editor => editor.Ratio).ToList());

    public double EditorMax => Editor.Count == 0 ? 0 : Editor.Max(editor => editor.Ratio);

    public IReadOnlyList<string> TargetMisses
    {
        get
        {
            var misses = new List<string>();
            var total = Build.Percent(Build.TotalRuleTime);
            if (total > TargetTotalPercent)
            {
                misses.Add(Invariant($"All THR rules: {total:N2}% of compile time (target {TargetTotalPercent}%)."));
            }

            foreach (var rule in Build.Rules.Where(rule => Build.Percent(rule.Time) > TargetRulePercent))
            {
                misses.Add(Invariant($"{rule.Rules}: {Build.Percent(rule.Time):N2}% of compile time (target {TargetRulePercent}%)."));
            }

            if (EditorMedian > TargetEditorMedian)
            {
                misses.Add(Invariant($"Editor ratio median {EditorMedian:N3} (target {TargetEditorMedian})."));
            }

            if (EditorMax > TargetEditorMax)
            {
                misses.Add(Invariant($"Editor ratio maximum {EditorMax:N3} (target {TargetEditorMax})."));
            }

            return misses;
        }
    }

    public void Write(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine(Invariant($"ThreadingAnalyzers benchmark on {Directory}: {Files:N0} files, {Lines:N0} lines of real code"));
        writer.WriteLine(Invariant($"References: {FrameworkReferences.Load().Description}, nothing else. Roslyn {typeof(Compilation).Assembly.GetName().Version}. {Environment.ProcessorCount} cores; compiler and analyzers run single-threaded."));
        writer.WriteLine(Invariant($"Medians of {Options.Runs} runs after {Options.WarmUps} warm-up; editor: {Options.EditorRuns} runs after {Options.EditorWarmUps} warm-up per document."));
        writer.WriteLine(Invariant($"Load average (1 / 5 / 15 min): {LoadAtStart} at start, {LoadAtEnd} at end."));
        writer.WriteLine();
        writer.WriteLine("Build cost");
        writer.WriteLine(Invariant($"  Compiler, Compilation.GetDiagnostics(): {Ms(Build.Compile)} ms, {Mb(Build.CompilerAllocatedBytes)} MB allocated, {Build.CompilerErrors.Length} errors (missing references are expected)"));
        writer.WriteLine();
        WriteRuleTable(writer, Build);
        writer.WriteLine(Invariant($"  Analysis pass wall time (driver compiles again, then runs every THR analyzer): {Ms(Build.AnalysisPass)} ms"));
        writer.WriteLine();
        writer.WriteLine(Invariant($"Editor cost: the {Editor.Count} documents with the most threading words (one-line edit, new compilation, THR diagnostics of that document)"));
        writer.WriteLine();
        WriteEditorTable(writer, Editor);
        writer.WriteLine(Invariant($"  Editor ratio (THR / Compiler) over these documents: median {EditorMedian:N3}, maximum {EditorMax:N3}."));
        writer.WriteLine();
        writer.WriteLine(Invariant($"Targets: all THR <= {TargetTotalPercent}% and each rule <= {TargetRulePercent}% of compile time; editor ratio median <= {TargetEditorMedian}, maximum <= {TargetEditorMax}."));
        foreach (var miss in TargetMisses)
        {
            writer.WriteLine("  Target missed: " + miss);
        }

        foreach (var exception in AnalyzerExceptions.Distinct())
        {
            writer.WriteLine("  FAILED: an analyzer threw: " + exception);
        }

        writer.WriteLine(AnalyzerExceptions.Count > 0 ? "Result: FAIL" : TargetMisses.Count == 0 ? "Result: targets met" : "Result: targets missed");
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
