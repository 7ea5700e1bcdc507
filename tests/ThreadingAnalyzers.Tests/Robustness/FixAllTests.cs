using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests.Robustness;

/// <summary>
/// Fix All, as `dotnet format` and the IDE run it: for every fixable rule and every kind of fix (equivalence key),
/// over all samples at once. The result must compile with no new errors, and analyzing it again must leave nothing
/// that the same fix would change (Fix All is idempotent).
/// </summary>
public sealed class FixAllTests
{
    private readonly ITestOutputHelper _output;

    public FixAllTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task FixAllOverAllSamplesCompilesAndLeavesNothingToFix()
    {
        var analyzers = Harness.Analyzers();
        var failures = new List<string>();
        using var workspace = new AdhocWorkspace();
        var (solution, _) = Harness.CreateSolution(workspace, RobustnessSources.Samples());
        var diagnosticsBefore = await AnalyzeAsync(solution, analyzers);
        var errorsBefore = await ErrorsAsync(solution);

        foreach (var fixer in Harness.CodeFixes())
        {
            var offers = await OffersAsync(fixer, solution, diagnosticsBefore);
            if (offers.Count == 0)
            {
                _output.WriteLine($"{fixer.GetType().Name}: no fix offered on the samples");
                continue;
            }

            var fixAll = fixer.GetFixAllProvider();
            if (fixAll is null)
            {
                _output.WriteLine($"{fixer.GetType().Name}: offers fixes, but no Fix All");
                continue;
            }

            foreach (var kind in offers.GroupBy(offer => offer.Key))
            {
                var label = $"{fixer.GetType().Name} '{kind.Key}'";
                if (kind.Key.Length == 0)
                {
                    failures.Add($"{label}: a code action without an equivalence key cannot take part in Fix All");
                    continue;
                }

                try
                {
                    var fixedSolution = await FixAllAsync(fixAll, fixer, solution, kind.First().Document, kind.Key, analyzers, kind.Select(offer => offer.Document.Id).Distinct());
                    var errorsAfter = await ErrorsAsync(fixedSolution);
                    foreach (var (project, errors) in errorsAfter)
                    {
                        var added = Subtract(errors, errorsBefore[project]);
                        failures.AddRange(added.Select(error => $"{label}: new error in {solution.GetProject(project)!.Name}: {error}"));
                    }

                    var diagnosticsAfter = await AnalyzeAsync(fixedSolution, analyzers);
                    var offeredAgain = await OffersAsync(fixer, fixedSolution, diagnosticsAfter);
                    failures.AddRange(offeredAgain.Where(offer => offer.Key == kind.Key)
                        .Select(offer => $"{label}: after Fix All, still offered for {offer.Diagnostic}"));
                    foreach (var id in kind.Select(offer => offer.Diagnostic.Id).Distinct())
                    {
                        var fixedCount = kind.Where(offer => offer.Diagnostic.Id == id).Select(offer => offer.Diagnostic).Distinct().Count();
                        var expectedAtMost = diagnosticsBefore.Count(diagnostic => diagnostic.Id == id) - fixedCount;
                        var remaining = diagnosticsAfter.Count(diagnostic => diagnostic.Id == id);
                        if (remaining > expectedAtMost)
                        {
                            failures.Add($"{label}: {remaining} {id} diagnostics remain after fixing {fixedCount}; at most {expectedAtMost} expected: "
                                + string.Join("; ", diagnosticsAfter.Where(diagnostic => diagnostic.Id == id)));
                        }
                    }

                    _output.WriteLine($"{label}: Fix All over {kind.Count()} diagnostics");
                }
                catch (Exception exception)
                {
                    failures.Add($"{label}: Fix All threw {exception}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// `dotnet format` asks for Fix All without an equivalence key when a rule's first diagnostic has no action: a fix
    /// with one kind of action must then rewrite exactly what Fix All with its key rewrites.
    /// </summary>
    [Fact]
    public async Task FixAllWithoutKeyRewritesLikeTheOnlyKey()
    {
        var analyzers = Harness.Analyzers();
        var failures = new List<string>();
        using var workspace = new AdhocWorkspace();
        var (solution, _) = Harness.CreateSolution(workspace, RobustnessSources.Samples());
        var diagnostics = await AnalyzeAsync(solution, analyzers);
        var checkedFixers = 0;
        foreach (var fixer in Harness.CodeFixes())
        {
            var offers = await OffersAsync(fixer, solution, diagnostics);
            var keys = offers.Select(offer => offer.Key).Distinct().ToList();
            if (keys.Count != 1 || fixer.GetFixAllProvider() is not { } fixAll)
            {
                continue;
            }

            checkedFixers++;
            var documents = offers.Select(offer => offer.Document.Id).Distinct().ToList();
            var withKey = await FixAllAsync(fixAll, fixer, solution, offers[0].Document, keys[0], analyzers, documents);
            var withoutKey = await FixAllAsync(fixAll, fixer, solution, offers[0].Document, null, analyzers, documents);
            foreach (var id in documents)
            {
                var expected = (await withKey.GetDocument(id)!.GetTextAsync()).ToString();
                var actual = (await withoutKey.GetDocument(id)!.GetTextAsync()).ToString();
                if (expected != actual)
                {
                    failures.Add($"{fixer.GetType().Name}: Fix All without a key differs from '{keys[0]}' in {withKey.GetDocument(id)!.Name}");
                }
            }
        }

        Assert.True(checkedFixers >= 10, $"only {checkedFixers} fixes offer one kind of action on the samples");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private sealed record Offer(Diagnostic Diagnostic, Document Document, string Key);

    /// <summary>Every action <paramref name="fixer"/> offers on every diagnostic it can fix.</summary>
    private static async Task<List<Offer>> OffersAsync(CodeFixProvider fixer, Solution solution, ImmutableArray<Diagnostic> diagnostics)
    {
        var offers = new List<Offer>();
        foreach (var diagnostic in diagnostics.Where(diagnostic => fixer.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            foreach (var action in await Harness.CodeActionsAsync(fixer, document, diagnostic))
            {
                offers.Add(new Offer(diagnostic, document, action.EquivalenceKey ?? string.Empty));
            }
        }

        return offers;
    }

    /// <summary>Fix All in the widest scope the provider supports: the solution, else each project, else each document.</summary>
    private static async Task<Solution> FixAllAsync(
        FixAllProvider fixAll, CodeFixProvider fixer, Solution solution, Document trigger, string? key, ImmutableArray<DiagnosticAnalyzer> analyzers, IEnumerable<DocumentId> documents)
    {
        var scopes = fixAll.GetSupportedFixAllScopes().ToList();
        var ids = fixer.FixableDiagnosticIds.Where(id => id.StartsWith("THR", StringComparison.Ordinal)).ToImmutableArray();
        IEnumerable<(FixAllScope Scope, DocumentId Document)> steps = scopes.Contains(FixAllScope.Solution)
            ? new[] { (FixAllScope.Solution, trigger.Id) }
            : scopes.Contains(FixAllScope.Project)
                ? documents.GroupBy(document => document.ProjectId).Select(project => (FixAllScope.Project, project.First()))
                : documents.Select(document => (FixAllScope.Document, document));
        foreach (var (scope, documentId) in steps.ToList())
        {
            var context = new FixAllContext(solution.GetDocument(documentId)!, fixer, scope, key, ids, new DiagnosticProvider(analyzers), CancellationToken.None);
            var action = await fixAll.GetFixAsync(context) ?? throw new InvalidOperationException($"Fix All in {scope} scope returned no action");
            solution = await Harness.ApplyAsync(action);
        }

        return solution;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Solution solution, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var all = ImmutableArray.CreateBuilder<Diagnostic>();
        foreach (var project in solution.Projects)
        {
            var (diagnostics, exceptions) = await Harness.AnalyzeAsync((await project.GetCompilationAsync())!, analyzers);
            Assert.True(exceptions.IsEmpty, string.Join("\n", exceptions));
            all.AddRange(diagnostics);
        }

        return all.ToImmutable();
    }

    private static async Task<Dictionary<ProjectId, List<string>>> ErrorsAsync(Solution solution)
    {
        var result = new Dictionary<ProjectId, List<string>>();
        foreach (var project in solution.Projects)
        {
            result[project.Id] = (await project.GetCompilationAsync())!.GetDiagnostics()
                .Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error)
                .Select(diagnostic => $"{diagnostic.Id}: {diagnostic.GetMessage()}")
                .ToList();
        }

        return result;
    }

    /// <summary>The errors of <paramref name="after"/> that <paramref name="before"/> did not have, counting duplicates.</summary>
    private static List<string> Subtract(List<string> after, List<string> before)
    {
        var remaining = before.GroupBy(error => error).ToDictionary(group => group.Key, group => group.Count());
        var added = new List<string>();
        foreach (var error in after)
        {
            if (remaining.TryGetValue(error, out var count) && count > 0)
            {
                remaining[error] = count - 1;
            }
            else
            {
                added.Add(error);
            }
        }

        return added;
    }

    /// <summary>What Fix All asks for: the THR diagnostics of a document or project, computed on its current text.</summary>
    private sealed class DiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<DiagnosticAnalyzer> _analyzers;

        public DiagnosticProvider(ImmutableArray<DiagnosticAnalyzer> analyzers) => _analyzers = analyzers;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            var tree = await document.GetSyntaxTreeAsync(cancellationToken);
            return (await GetAllDiagnosticsAsync(document.Project, cancellationToken)).Where(diagnostic => diagnostic.Location.SourceTree == tree);
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var compilation = (await project.GetCompilationAsync(cancellationToken))!;
            return (await Harness.AnalyzeAsync(compilation, _analyzers, cancellationToken: cancellationToken)).Diagnostics;
        }
    }
}
