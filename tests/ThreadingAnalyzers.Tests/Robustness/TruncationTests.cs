using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests.Robustness;

/// <summary>
/// Half-typed code is what an analyzer sees on most keystrokes. Every analyzer runs on every source cut at every
/// line end and at a stride of characters in between; every code fix runs on whatever they report there. No
/// analyzer may throw (no AD0001) and no fix may throw while computing its changed document.
/// </summary>
public sealed class TruncationTests
{
    private readonly ITestOutputHelper _output;

    public TruncationTests(ITestOutputHelper output) => _output = output;

    /// <summary>Every line end, and a cut every few characters in between.</summary>
    [Fact]
    public Task SamplesCutAnywhere() => AssertSurvivesTruncation(RobustnessSources.Samples(), new CutPlan(MinimumStride: 5, MidLineCuts: 1_500, LineEndStep: 1, FixedCuts: 300));

    /// <summary>Every line end; the cuts in between thin out as the rule tests grow, to keep the test fast.</summary>
    [Fact]
    public Task RuleTestSnippetsCutAnywhere() => AssertSurvivesTruncation(RobustnessSources.RuleTestSnippets(), new CutPlan(MinimumStride: 7, MidLineCuts: 1_500, LineEndStep: 1, FixedCuts: 200));

    /// <summary>Ten files of ordinary and threading code, cut more sparsely; each cut analyzes its own file, as the editor does.</summary>
    [Fact]
    public Task BenchmarkCorpusCutAnywhere() => AssertSurvivesTruncation(new[] { RobustnessSources.CorpusGroup() }, new CutPlan(MinimumStride: 509, MidLineCuts: 60, LineEndStep: 12, FixedCuts: 60));

    /// <summary>
    /// Where to cut: every <see cref="LineEndStep"/>th line end, and every so many characters so that there are about
    /// <see cref="MidLineCuts"/> cuts in between (never closer than <see cref="MinimumStride"/>). Fixes, which cost
    /// far more than analysis, run on the diagnostics of about <see cref="FixedCuts"/> of the line-end cuts.
    /// </summary>
    private sealed record CutPlan(int MinimumStride, int MidLineCuts, int LineEndStep, int FixedCuts);

    private async Task AssertSurvivesTruncation(IReadOnlyList<SourceProject> projects, CutPlan plan)
    {
        var files = projects.SelectMany(project => project.Files).ToList();
        var characters = files.Sum(file => file.Text.Length);
        var lineEnds = files.Sum(file => SourceText.From(file.Text).Lines.Count) / plan.LineEndStep;
        var stride = Math.Max(plan.MinimumStride, characters / plan.MidLineCuts);
        var fixStep = Math.Max(1, lineEnds / plan.FixedCuts);
        var runner = new TruncationRunner(Harness.Analyzers(), Harness.CodeFixes());
        foreach (var project in projects)
        {
            await runner.RunAsync(project, stride, plan.LineEndStep, fixStep);
        }

        _output.WriteLine($"{projects.Count} projects, {characters} characters, {runner.Cuts} cuts (stride {stride}), {runner.Diagnostics} THR diagnostics on cut code, "
            + $"{runner.CodeActions} code actions applied (fixes on 1 in {fixStep} line-end cuts)");
        Assert.True(runner.Failures.IsEmpty, $"{runner.Failures.Count} failures, first ones:\n" + string.Join("\n\n", runner.Failures.Take(5)));
    }

    private sealed class TruncationRunner
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;
        private readonly ILookup<string, CodeFixProvider> _fixers;
        private int _cuts;
        private int _diagnostics;
        private int _codeActions;

        public TruncationRunner(ImmutableArray<DiagnosticAnalyzer> analyzers, ImmutableArray<CodeFixProvider> fixers)
        {
            _analyzers = analyzers;
            _fixers = Harness.FixersById(fixers);
        }

        public ConcurrentQueue<string> Failures { get; } = new();

        public int Cuts => _cuts;

        public int Diagnostics => _diagnostics;

        public int CodeActions => _codeActions;

        public async Task RunAsync(SourceProject project, int stride, int lineEndStep, int fixStep)
        {
            using var workspace = new AdhocWorkspace();
            var (solution, documents) = Harness.CreateSolution(workspace, new[] { project });
            for (var fileIndex = 0; fileIndex < project.Files.Count; fileIndex++)
            {
                var (path, text) = project.Files[fileIndex];
                var others = project.AllFiles.Where(file => file.Path != path)
                    .Select(file => CSharpSyntaxTree.ParseText(file.Text, Harness.ParseOptions, file.Path))
                    .ToList();
                var withoutFile = project.Compilation(others);
                var (points, fixPoints) = CutPoints(SourceText.From(text), stride, lineEndStep, fixStep);
                await Parallel.ForEachAsync(points, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (point, cancellationToken) =>
                {
                    Interlocked.Increment(ref _cuts);
                    var cut = text[..point];
                    var where = $"{project.Name}: {path} cut at {point} (line {SourceText.From(cut).Lines.Count})";
                    try
                    {
                        var tree = CSharpSyntaxTree.ParseText(cut, Harness.ParseOptions, path, cancellationToken: cancellationToken);
                        var (diagnostics, exceptions) = await Harness.AnalyzeAsync(
                            withoutFile.AddSyntaxTrees(tree), _analyzers, only: project.Files.Count > 1 ? tree : null, cancellationToken: cancellationToken);
                        foreach (var exception in exceptions)
                        {
                            Failures.Enqueue($"{where}: {exception}");
                        }

                        Interlocked.Add(ref _diagnostics, diagnostics.Length);
                        if (fixPoints.Contains(point) && diagnostics.Any(diagnostic => _fixers.Contains(diagnostic.Id)))
                        {
                            await RunFixesAsync(solution.WithDocumentText(documents[fileIndex], SourceText.From(cut)), documents[fileIndex], where, cancellationToken);
                        }
                    }
                    catch (Exception exception)
                    {
                        Failures.Enqueue($"{where}: {exception}");
                    }
                });
            }
        }

        /// <summary>
        /// Every <paramref name="lineEndStep"/>th line end, every <paramref name="stride"/> characters, and the whole text;
        /// of those, every <paramref name="fixStep"/>th line end and the whole text also get their fixes run.
        /// </summary>
        private static (SortedSet<int> Points, HashSet<int> FixPoints) CutPoints(SourceText text, int stride, int lineEndStep, int fixStep)
        {
            var points = new SortedSet<int> { text.Length };
            var fixPoints = new HashSet<int> { text.Length };
            for (var line = 0; line < text.Lines.Count; line += lineEndStep)
            {
                points.Add(text.Lines[line].End);
                if (line / lineEndStep % fixStep == 0)
                {
                    fixPoints.Add(text.Lines[line].End);
                }
            }

            for (var point = stride; point < text.Length; point += stride)
            {
                points.Add(point);
            }

            return (points, fixPoints);
        }

        /// <summary>As the IDE does: the diagnostics of the cut document, every action of every fixer, its changed document.</summary>
        private async Task RunFixesAsync(Solution solution, DocumentId documentId, string where, CancellationToken cancellationToken)
        {
            var document = solution.GetDocument(documentId)!;
            var compilation = (await document.Project.GetCompilationAsync(cancellationToken))!;
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            var (diagnostics, _) = await Harness.AnalyzeAsync(compilation, _analyzers, only: tree, cancellationToken: cancellationToken);
            foreach (var diagnostic in diagnostics)
            {
                foreach (var fixer in _fixers[diagnostic.Id])
                {
                    try
                    {
                        foreach (var action in await Harness.CodeActionsAsync(fixer, document, diagnostic, cancellationToken))
                        {
                            var changed = (await Harness.ApplyAsync(action, cancellationToken)).GetDocument(documentId);
                            if (changed is not null)
                            {
                                await changed.GetSyntaxRootAsync(cancellationToken);
                                await changed.GetTextAsync(cancellationToken);
                            }

                            Interlocked.Increment(ref _codeActions);
                        }
                    }
                    catch (Exception exception)
                    {
                        Failures.Enqueue($"{where}: {fixer.GetType().Name} on {diagnostic}: {exception}");
                    }
                }
            }
        }
    }
}
