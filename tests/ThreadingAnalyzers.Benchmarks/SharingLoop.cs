using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>What <see cref="SharingLoop.Run"/> measured: THR002's analysis of every starting function, per pass.</summary>
public sealed record SharingLoopResult(int Roots, int Types, IReadOnlyList<double> PassMilliseconds, IReadOnlyList<long> PassAllocatedBytes, int Findings)
{
    public double Median => PassMilliseconds.OrderBy(time => time).ElementAt(PassMilliseconds.Count / 2);
}

/// <summary>
/// THR002's own work, without the analyzer driver: the functions of the corpus that THR002 would analyze (those whose text
/// holds one of their type's entry point words) have their operation trees built once, then every pass analyzes all of
/// them again (<see cref="Sharing.Analyze"/> and the sharing check of each unlocked write) with a fresh
/// <see cref="Reach"/>, as a new compilation would. The build cost's per-rule times are wall times inside the driver,
/// which move by a fifth from run to run on a small VM; this moves by a few percent (pin it to a core:
/// <c>taskset -c 1 dotnet run -c Release --project tests/ThreadingAnalyzers.Benchmarks -- --sharing 25</c>), so it is
/// the way to compare two versions of THR002's analysis.
/// </summary>
public static class SharingLoop
{
    public static SharingLoopResult Run(CorpusSize size, string repoRoot, int passes, TextWriter progress)
    {
        var compilation = WithSharedModels(Corpus.Create(size, repoRoot).Compilation);
        var roots = new List<(IOperation Root, ISymbol Owner, EntryPointPlaces Places)>();
        var types = 0;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<TypeDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not { } type || EntryPointText.PlacesIn(type, ThreadingOptions.None) is not { } places)
                {
                    continue;
                }

                types++;
                foreach (var (node, owner) in Blocks(declaration, model, type))
                {
                    if (model.GetOperation(node) is { } block && places.MayStartConcurrentCode(block.Syntax)
                        && OperationTree.Root(block) is { } root && !root.Syntax.ContainsDiagnostics)
                    {
                        roots.Add((root, owner, places));
                    }
                }
            }
        }

        var times = new List<double>();
        var allocations = new List<long>();
        var findings = -1;
        for (var pass = 0; pass <= passes; pass++)
        {
            var reach = NewReach(compilation);
            var threadingTypes = ThreadingTypes.From(compilation);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var stopwatch = Stopwatch.StartNew();
            var found = 0;
            foreach (var (root, owner, places) in roots)
            {
                var sharing = Sharing.Analyze(root, owner, places.WordsIn(root.Syntax.SyntaxTree), threadingTypes, reach, CancellationToken.None);
                foreach (var run in sharing.Runs)
                {
                    found += run.Accesses.Count(access => access.IsUnlockedWrite && sharing.IsShared(run, access));
                }
            }

            var elapsed = stopwatch.Elapsed.TotalMilliseconds;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (findings >= 0 && found != findings)
            {
                throw new InvalidOperationException($"pass {pass} found {found} shared writes, the first {findings}");
            }

            findings = found;
            if (pass > 0)
            {
                // The first pass builds every callee's operation tree too: a warm-up.
                times.Add(elapsed);
                allocations.Add(allocated);
            }

            progress.WriteLine($"Pass {pass}{(pass == 0 ? " (warm-up)" : string.Empty)}: {elapsed:N1} ms, {allocated / 1e6:N1} MB, {found} shared writes");
        }

        return new SharingLoopResult(roots.Count, types, times, allocations, findings);
    }

    /// <summary>The operation blocks of a type's members, each with its owner, as THR002's operation block action is given them.</summary>
    private static IEnumerable<(SyntaxNode Node, ISymbol Owner)> Blocks(TypeDeclarationSyntax declaration, SemanticModel model, ISymbol type)
    {
        foreach (var member in declaration.Members)
        {
            switch (member)
            {
                case BaseMethodDeclarationSyntax method:
                    yield return (method, model.GetDeclaredSymbol(method) ?? type);
                    break;
                case PropertyDeclarationSyntax property:
                    var symbol = model.GetDeclaredSymbol(property) ?? type;
                    if (property.ExpressionBody is { } arrow)
                    {
                        yield return (arrow, symbol);
                    }

                    foreach (var accessor in property.AccessorList?.Accessors ?? default)
                    {
                        yield return (accessor, model.GetDeclaredSymbol(accessor) ?? symbol);
                    }

                    if (property.Initializer is { } initializer)
                    {
                        yield return (initializer, symbol);
                    }

                    break;
                case FieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer is { } value)
                        {
                            yield return (value, model.GetDeclaredSymbol(variable) ?? type);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>
    /// The compilation with the caching semantic model provider the analyzer driver gives analyzers, so that the
    /// analysis finds the operation trees built once (Roslyn keeps that API internal: a measuring aid only).
    /// </summary>
    private static Compilation WithSharedModels(Compilation compilation)
    {
        var providerType = typeof(Compilation).Assembly.GetType("Microsoft.CodeAnalysis.Diagnostics.CachingSemanticModelProvider", throwOnError: true)!;
        var provider = Activator.CreateInstance(providerType, nonPublic: true)!;
        var with = typeof(Compilation).GetMethod("WithSemanticModelProvider", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        return (Compilation)with.Invoke(compilation, new[] { provider })!;
    }

    /// <summary>A new <see cref="Reach"/>: what a new compilation starts with (<see cref="Reach.For"/> keeps one per compilation).</summary>
    private static Reach NewReach(Compilation compilation) =>
        (Reach)typeof(Reach).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, new[] { typeof(Compilation) })!.Invoke(new object[] { compilation });
}
