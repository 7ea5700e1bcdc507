using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// A fix whose rewrite may land in another document than its diagnostic's (a field declared in another part of a
/// partial type): Fix All collects every diagnostic of its scope and rewrites the solution once, so that two
/// diagnostics in two documents that change one declaration change it once.
/// </summary>
public abstract class SolutionCodeFix : CodeFixSkeleton
{
    public sealed override FixAllProvider GetFixAllProvider() => new ScopeFixAll(this);

    private protected sealed override CodeAction Action(Document document, Diagnostic diagnostic, FixOffer offer)
    {
        var key = offer.EquivalenceKey;
        var solution = document.Project.Solution;
        return CodeAction.Create(offer.Title, cancellationToken => FixAsync(solution, ImmutableArray.Create(diagnostic), key, cancellationToken), key);
    }

    /// <summary>The title of the Fix All action for <paramref name="equivalenceKey"/>.</summary>
    protected abstract string FixAllTitle(string equivalenceKey);

    /// <summary>Applies the <paramref name="equivalenceKey"/> rewrite for every site of <paramref name="diagnostics"/>, wherever it lands in <paramref name="solution"/>.</summary>
    protected abstract Task<Solution> FixAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken);

    private sealed class ScopeFixAll : FixAllProvider
    {
        private readonly SolutionCodeFix _fix;

        public ScopeFixAll(SolutionCodeFix fix) => _fix = fix;

        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var diagnostics = fixAllContext.Scope switch
            {
                FixAllScope.Document when fixAllContext.Document is not null => await fixAllContext.GetDocumentDiagnosticsAsync(fixAllContext.Document).ConfigureAwait(false),
                FixAllScope.Project => await fixAllContext.GetAllDiagnosticsAsync(fixAllContext.Project).ConfigureAwait(false),
                FixAllScope.Solution => await SolutionDiagnosticsAsync(fixAllContext).ConfigureAwait(false),
                _ => ImmutableArray<Diagnostic>.Empty,
            };
            var solution = fixAllContext.Solution;
            var key = fixAllContext.CodeActionEquivalenceKey ?? string.Empty;
            return CodeAction.Create(_fix.FixAllTitle(key), cancellationToken => _fix.FixAsync(solution, diagnostics, key, cancellationToken), key);
        }

        private static async Task<ImmutableArray<Diagnostic>> SolutionDiagnosticsAsync(FixAllContext context)
        {
            var all = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var project in context.Solution.Projects)
            {
                all.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
            }

            return all.ToImmutable();
        }
    }
}
