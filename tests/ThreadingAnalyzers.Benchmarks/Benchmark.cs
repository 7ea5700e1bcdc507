using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Benchmarks;

/// <param name="PerRuleAllocations">Whether to run one extra pass per rule to attribute allocations to it.</param>
public sealed record BenchmarkOptions(bool Quick, CorpusSize Size, int WarmUps, int Runs, int EditorWarmUps, int EditorRuns, bool PerRuleAllocations)
{
    /// <summary>The large corpus (at least 1,500 files and 200,000 lines), five measured runs.</summary>
    public static BenchmarkOptions Full { get; } = new(false, CorpusSize.Full, 1, 5, 3, 15, PerRuleAllocations: true);

    /// <summary>
    /// What CI runs: six groups of the corpus, five measured runs (a median that two GC-hit runs cannot move),
    /// allocations of all rules together; seconds, not minutes.
    /// </summary>
    public static BenchmarkOptions QuickMode { get; } = new(true, CorpusSize.Quick, 1, 5, 2, 7, PerRuleAllocations: false);

    /// <summary>
    /// <c>--corpus DIR</c>: a folder of real code (the size is the folder's), five measured builds, five edits per
    /// document. A collection of a large project's heap pauses whichever callback runs, for up to a few hundred
    /// milliseconds: each rule's median of five holds against two such runs.
    /// </summary>
    public static BenchmarkOptions Folder { get; } = new(false, CorpusSize.Full, 1, 5, 1, 5, PerRuleAllocations: true);
}

/// <summary>
/// Measures what the THR analyzers cost a build and an editor, against the compiler's own work on the same code.
/// Both sides run single-threaded so that the ratio compares work, not the number of idle cores.
/// </summary>
public static class Benchmark
{
    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, string repoRoot, TextWriter progress, CancellationToken cancellationToken = default)
    {
        var analyzers = RuleCatalog.CreateAnalyzers();
        var exceptions = new ConcurrentQueue<string>();

        var stopwatch = Stopwatch.StartNew();
        var corpus = Corpus.Create(options.Size, repoRoot);
        progress.WriteLine($"Corpus: {corpus.GeneratedFiles:N0} generated files, {corpus.GeneratedLines:N0} lines, {corpus.SampleFiles} sample files; "
            + $"references: {corpus.ReferencesDescription}; built in {stopwatch.Elapsed.TotalSeconds:N1} s");

        var build = await MeasureBuildAsync(corpus.Compilation, analyzers, options, exceptions, progress, cancellationToken).ConfigureAwait(false);
        var editor = new List<EditorCost>();
        foreach (var (label, file) in new[] { ("starts threads", corpus.ThreadFile), ("no threads", corpus.PlainFile) })
        {
            var cost = await MeasureEditorAsync(corpus.Compilation, file, Corpus.EditOneLine, label, analyzers, options, exceptions, cancellationToken).ConfigureAwait(false);
            progress.WriteLine($"Editor: {cost.File} measured");
            editor.Add(cost);
        }

        return new BenchmarkReport(options, corpus, build, editor, exceptions.ToList());
    }

    /// <summary>The compiler's time on <paramref name="source"/> against the analyzers' on copies of it, run after run.</summary>
    internal static async Task<BuildCost> MeasureBuildAsync(
        CSharpCompilation source, ImmutableArray<DiagnosticAnalyzer> analyzers, BenchmarkOptions options, ConcurrentQueue<string> exceptions, TextWriter progress, CancellationToken cancellationToken)
    {
        var compileTimes = new List<TimeSpan>();
        var passTimes = new List<TimeSpan>();
        var ruleTimes = analyzers.ToDictionary(analyzer => analyzer, _ => new List<TimeSpan>());
        var compilerErrors = ImmutableArray<Diagnostic>.Empty;
        var found = ImmutableArray<Diagnostic>.Empty;
        var compilerAllocations = new List<long>();

        for (var run = 0; run < options.WarmUps + options.Runs; run++)
        {
            var compilation = FreshTrees(source);
            Settle();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var stopwatch = Stopwatch.StartNew();
            var diagnostics = compilation.GetDiagnostics(cancellationToken);
            var compileTime = stopwatch.Elapsed;
            var compilerAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            compilerErrors = diagnostics.Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error).ToImmutableArray();

            var withAnalyzers = FreshTrees(source).WithAnalyzers(analyzers, AnalysisOptions(exceptions, logExecutionTime: true));
            Settle();
            var pausedBefore = GC.GetTotalPauseDuration();
            var gen2Before = GC.CollectionCount(2);
            stopwatch.Restart();
            found = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
            var passTime = stopwatch.Elapsed;
            // Collections pause whichever callback is running: a rule's time can hold part of them.
            var paused = GC.GetTotalPauseDuration() - pausedBefore;
            var gen2 = GC.CollectionCount(2) - gen2Before;

            var measured = run >= options.WarmUps;
            if (measured)
            {
                if (compilerAllocated >= 0)
                {
                    compilerAllocations.Add(compilerAllocated);
                }

                compileTimes.Add(compileTime);
                passTimes.Add(passTime);
            }

            var runRuleTime = TimeSpan.Zero;
            foreach (var analyzer in analyzers)
            {
                var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken).ConfigureAwait(false);
                runRuleTime += telemetry.ExecutionTime;
                if (measured)
                {
                    ruleTimes[analyzer].Add(telemetry.ExecutionTime);
                }
            }

            progress.WriteLine($"Build run {run + 1}/{options.WarmUps + options.Runs}{(measured ? string.Empty : " (warm-up)")}: compiler {compileTime.TotalMilliseconds:N0} ms, "
                + $"THR {runRuleTime.TotalMilliseconds:N1} ms, analysis pass {passTime.TotalMilliseconds:N0} ms (GC pauses {paused.TotalMilliseconds:N0} ms, {gen2} gen2)");
        }

        // Allocations: a pass with a do-nothing analyzer that makes the driver bind every file is the baseline; what a
        // pass with a rule allocates beyond it is the rule's. Part of that is the driver's: it builds the IOperation
        // tree of every method for any analyzer with operation actions (shared with every other such analyzer, the
        // SDK's own included), so a second baseline adds an empty operation action.
        var bindOnly = ImmutableArray.Create<DiagnosticAnalyzer>(new BindEverythingAnalyzer());
        var baseline = await AllocatedByPassAsync(source, bindOnly, exceptions, cancellationToken).ConfigureAwait(false);
        var operationTrees = await AllocatedByPassAsync(source, bindOnly.Add(new OperationTreesAnalyzer()), exceptions, cancellationToken).ConfigureAwait(false) - baseline;
        var ruleAllocations = new Dictionary<DiagnosticAnalyzer, long?>();
        foreach (var analyzer in analyzers)
        {
            ruleAllocations[analyzer] = !options.PerRuleAllocations ? null : await AllocatedByPassAsync(source, bindOnly.Add(analyzer), exceptions, cancellationToken).ConfigureAwait(false) - baseline;
        }

        var allAllocated = await AllocatedByPassAsync(source, bindOnly.AddRange(analyzers), exceptions, cancellationToken).ConfigureAwait(false) - baseline;
        progress.WriteLine("Allocations measured");

        var compile = Statistics.Median(compileTimes);
        var rules = analyzers.Select(analyzer => new RuleCost(
                RuleCatalog.RuleIds(analyzer),
                analyzer.GetType().Name,
                Statistics.Median(ruleTimes[analyzer]),
                ruleAllocations[analyzer],
                found.Count(diagnostic => analyzer.SupportedDiagnostics.Any(descriptor => descriptor.Id == diagnostic.Id))))
            .ToList();
        var medianCompilerAllocation = compilerAllocations.Count == 0 ? 0 : compilerAllocations.OrderBy(bytes => bytes).ElementAt(compilerAllocations.Count / 2);
        return new BuildCost(compile, medianCompilerAllocation, compilerErrors, Statistics.Median(passTimes), rules, allAllocated, operationTrees);
    }

    /// <summary>
    /// The editor works on a new compilation after every keystroke: the edited tree replaces the old one. The compiler
    /// computes the document's diagnostics on it, then the analyzers run on the same compilation; their execution time
    /// is what the THR rules add. A second, fresh compilation has the analyzers run first: then their compilation-start
    /// actions pay for work the compiler would otherwise do (merging the declarations of every file to resolve types
    /// by name), which grows with the size of the project.
    /// </summary>
    internal static async Task<EditorCost> MeasureEditorAsync(
        CSharpCompilation source, SyntaxTree file, Func<SyntaxTree, int, SyntaxTree> edit, string label, ImmutableArray<DiagnosticAnalyzer> analyzers, BenchmarkOptions options, ConcurrentQueue<string> exceptions, CancellationToken cancellationToken)
    {
        var compilerTimes = new List<TimeSpan>();
        var analyzerTimes = new List<TimeSpan>();
        var wallTimes = new List<TimeSpan>();
        var coldAnalyzerTimes = new List<TimeSpan>();
        var diagnosticCount = 0;
        for (var run = 0; run < options.EditorWarmUps + options.EditorRuns; run++)
        {
            var edited = edit(file, run + 1);

            var compilation = source.ReplaceSyntaxTree(file, edited);
            var model = compilation.GetSemanticModel(edited);
            Settle();
            var stopwatch = Stopwatch.StartNew();
            model.GetDiagnostics(cancellationToken: cancellationToken);
            var compilerTime = stopwatch.Elapsed;

            var withAnalyzers = compilation.WithAnalyzers(analyzers, AnalysisOptions(exceptions, logExecutionTime: true));
            Settle();
            stopwatch.Restart();
            var diagnostics = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, null, cancellationToken).ConfigureAwait(false);
            var wallTime = stopwatch.Elapsed;
            var analyzerTime = await ExecutionTimeAsync(withAnalyzers, analyzers, cancellationToken).ConfigureAwait(false);

            var fresh = source.ReplaceSyntaxTree(file, edited);
            var coldAnalyzers = fresh.WithAnalyzers(analyzers, AnalysisOptions(exceptions, logExecutionTime: true));
            Settle();
            await coldAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(fresh.GetSemanticModel(edited), null, cancellationToken).ConfigureAwait(false);
            var coldAnalyzerTime = await ExecutionTimeAsync(coldAnalyzers, analyzers, cancellationToken).ConfigureAwait(false);

            diagnosticCount = diagnostics.Length;
            if (run >= options.EditorWarmUps)
            {
                compilerTimes.Add(compilerTime);
                analyzerTimes.Add(analyzerTime);
                wallTimes.Add(wallTime);
                coldAnalyzerTimes.Add(coldAnalyzerTime);
            }
        }

        return new EditorCost(file.FilePath, label, Statistics.Median(compilerTimes), Statistics.Median(analyzerTimes), Statistics.Median(wallTimes), Statistics.Median(coldAnalyzerTimes), diagnosticCount);
    }

    private static async Task<TimeSpan> ExecutionTimeAsync(CompilationWithAnalyzers withAnalyzers, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken)
    {
        var total = TimeSpan.Zero;
        foreach (var analyzer in analyzers)
        {
            total += (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, cancellationToken).ConfigureAwait(false)).ExecutionTime;
        }

        return total;
    }

    /// <summary>
    /// What one pass allocates. Under the server GC's dynamic heap count (DATAS, on by default since .NET 9) the runtime's
    /// total can drop when a heap is retired (dotnet/runtime#131069), so a pass whose count went backwards is run again.
    /// </summary>
    private static async Task<long> AllocatedByPassAsync(CSharpCompilation source, ImmutableArray<DiagnosticAnalyzer> analyzers, ConcurrentQueue<string> exceptions, CancellationToken cancellationToken)
    {
        long allocated = -1;
        for (var attempt = 0; attempt < 3 && allocated < 0; attempt++)
        {
            var withAnalyzers = FreshTrees(source).WithAnalyzers(analyzers, AnalysisOptions(exceptions, logExecutionTime: false));
            Settle();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
            allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        return allocated;
    }

    private static CompilationWithAnalyzersOptions AnalysisOptions(ConcurrentQueue<string> exceptions, bool logExecutionTime) => new(
        new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
        (exception, analyzer, diagnostic) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}"),
        concurrentAnalysis: false,
        logAnalyzerExecutionTime: logExecutionTime,
        reportSuppressedDiagnostics: false);

    /// <summary>
    /// <paramref name="source"/> with every file parsed again. A build parses its files anew, so whatever a rule keeps
    /// per syntax tree (the positions of its words in the text) is found again in every build; a clone would share the
    /// trees, and the rules would find their per-tree facts already there from the previous run. Parsing is outside
    /// every measured span.
    /// </summary>
    internal static CSharpCompilation FreshTrees(CSharpCompilation source) =>
        source.RemoveAllSyntaxTrees().AddSyntaxTrees(source.SyntaxTrees.Select(tree =>
            CSharpSyntaxTree.ParseText(tree.GetText(), (CSharpParseOptions)tree.Options, tree.FilePath)));

    /// <summary>Collects garbage left by the previous step, so that a collection it caused is not timed in the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>Registers an empty semantic model action: the driver binds every file, the analyzer does nothing.</summary>
#pragma warning disable RS1036, RS2008 // a measuring aid inside the benchmark, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class BindEverythingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new("BENCH000", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSemanticModelAction(_ => { });
        }
    }

    /// <summary>Registers an empty operation action: the driver builds the IOperation tree of every method body.</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class OperationTreesAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Never = new("BENCH001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Never);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterOperationAction(_ => { }, OperationKind.Invocation);
        }
    }
#pragma warning restore RS1036, RS2008
}

public static class Statistics
{
    public static TimeSpan Median(IReadOnlyCollection<TimeSpan> values)
    {
        if (values.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
