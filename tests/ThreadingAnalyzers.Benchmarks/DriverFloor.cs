using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>--floor DIR [passes]</c>: what the driver charges a rule for each way of registering, before the rule does any
/// work. Every probe analyzer registers one kind of action whose callback does nothing, and the table shows its
/// execution time on a folder of real code as a share of the compiler's time. A rule cannot cost less than the floor
/// of the registrations it makes, so this is where the per-rule target is won or lost.
/// </summary>
public static class DriverFloor
{
    public static async Task<int> RunAsync(string directory, int passes, TextWriter output)
    {
        var source = FolderReport.Compile(directory, concurrentBuild: false);
        var probes = Probes();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false);
        var compileTimes = new List<double>();
        var times = probes.ToDictionary(probe => probe.Name, _ => new List<double>());
        for (var pass = 0; pass <= passes; pass++)
        {
            var compilation = Benchmark.FreshTrees(source);
            GC.Collect();
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            compilation.GetDiagnostics();
            var compile = stopwatch.Elapsed.TotalMilliseconds;
            var analyzers = probes.Select(probe => (DiagnosticAnalyzer)probe).ToImmutableArray();
            var withAnalyzers = Benchmark.FreshTrees(source).WithAnalyzers(analyzers, options);
            await withAnalyzers.GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
            if (pass == 0)
            {
                continue;
            }

            compileTimes.Add(compile);
            foreach (var probe in probes)
            {
                times[probe.Name].Add((await withAnalyzers.GetAnalyzerTelemetryInfoAsync(probe, default).ConfigureAwait(false)).ExecutionTime.TotalMilliseconds);
            }
        }

        var compileMedian = Median(compileTimes);
        output.WriteLine(FormattableString.Invariant($"Compiler: {compileMedian:N0} ms (median of {passes})"));
        output.WriteLine("| Registration (empty callbacks) | ms | % of compiler | callbacks |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var probe in probes)
        {
            var median = Median(times[probe.Name]);
            output.WriteLine(FormattableString.Invariant($"| {probe.Name} | {median:N2} | {100 * median / compileMedian:N3}% | {probe.Callbacks / (passes + 1):N0} |"));
        }

        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static ImmutableArray<Probe> Probes() => ImmutableArray.Create(
        new Probe("Compilation start only", (context, count) => context.RegisterCompilationStartAction(_ => count())),
        new Probe("Operation action, Invocation", (context, count) => context.RegisterOperationAction(_ => count(), OperationKind.Invocation)),
        new Probe("Operation action, Lock", (context, count) => context.RegisterOperationAction(_ => count(), OperationKind.Lock)),
        new Probe("Operation action, ObjectCreation", (context, count) => context.RegisterOperationAction(_ => count(), OperationKind.ObjectCreation)),
        new Probe("Operation block action", (context, count) => context.RegisterOperationBlockAction(_ => count())),
        new Probe("Operation block start + Invocation", (context, count) => context.RegisterOperationBlockStartAction(block =>
        {
            count();
            block.RegisterOperationAction(_ => count(), OperationKind.Invocation);
        })),
        new Probe("Syntax node action, InvocationExpression", (context, count) => context.RegisterSyntaxNodeAction(_ => count(), SyntaxKind.InvocationExpression)),
        new Probe("Syntax node action, LockStatement", (context, count) => context.RegisterSyntaxNodeAction(_ => count(), SyntaxKind.LockStatement)),
        new Probe("Semantic model action", (context, count) => context.RegisterSemanticModelAction(_ => count())),
        new Probe("Syntax tree action", (context, count) => context.RegisterSyntaxTreeAction(_ => count())),
        new Probe("Symbol action, NamedType", (context, count) => context.RegisterSymbolAction(_ => count(), SymbolKind.NamedType)),
        new Probe("Symbol start, NamedType", (context, count) => context.RegisterSymbolStartAction(_ => count(), SymbolKind.NamedType)),
        new Probe("Symbol start + end, NamedType", (context, count) => context.RegisterSymbolStartAction(start =>
        {
            count();
            start.RegisterSymbolEndAction(_ => count());
        }, SymbolKind.NamedType)),
        new Probe("Symbol start + block + end, NamedType", (context, count) => context.RegisterSymbolStartAction(start =>
        {
            count();
            start.RegisterOperationBlockAction(_ => count());
            start.RegisterSymbolEndAction(_ => count());
        }, SymbolKind.NamedType)),
        new Probe("Symbol start + Invocation + end, NamedType", (context, count) => context.RegisterSymbolStartAction(start =>
        {
            count();
            start.RegisterOperationAction(_ => count(), OperationKind.Invocation);
            start.RegisterSymbolEndAction(_ => count());
        }, SymbolKind.NamedType)));

#pragma warning disable RS1036, RS2008 // measuring aids inside the benchmark, never shipped
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class Probe : DiagnosticAnalyzer
    {
        private readonly Action<AnalysisContext, Action> register;
        private long callbacks;

        public Probe(string name, Action<AnalysisContext, Action> register)
        {
            Name = name;
            this.register = register;
            SupportedDiagnostics = ImmutableArray.Create(new DiagnosticDescriptor("FLOOR", name, name, "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true));
        }

        public string Name { get; }

        public long Callbacks => callbacks;

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            register(context, () => System.Threading.Interlocked.Increment(ref callbacks));
        }
    }
#pragma warning restore RS1036, RS2008
}
