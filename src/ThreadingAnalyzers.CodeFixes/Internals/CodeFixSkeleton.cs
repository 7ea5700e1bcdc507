using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>What a fix offers for one diagnostic: the title users see and the equivalence key Fix All groups by.</summary>
public readonly struct FixOffer
{
    public FixOffer(string title, string equivalenceKey)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }
}

/// <summary>
/// The register and Fix All skeleton every fix of the package shares: each diagnostic gets the actions
/// <see cref="Offers"/> names (none when the fix cannot be sure), and one rewrite serves a single diagnostic and Fix All
/// alike, so that fixes that add a shared member (one lock gate per type) or touch nearby spans see all of their
/// diagnostics at once. <see cref="DocumentCodeFix"/> rewrites a diagnostic's own document, <see cref="SolutionCodeFix"/>
/// any document of the solution.
/// </summary>
/// <remarks>
/// <c>dotnet format</c> can ask for Fix All without an equivalence key (when the first diagnostic it meets has no
/// action): the rewrite then gets an empty key, which each fix answers as it sees fit (most with one kind of action
/// rewrite all the same; with several, nothing or one default kind).
/// </remarks>
public abstract class CodeFixSkeleton : CodeFixProvider
{
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = NeedsSemanticModel ? await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) : null;
        if (root is null || (NeedsSemanticModel && model is null))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var offer in Offers(root, model, diagnostic, context.CancellationToken))
            {
                context.RegisterCodeFix(Action(context.Document, diagnostic, offer), diagnostic);
            }
        }
    }

    /// <summary>Whether <see cref="Offers"/> needs the document's semantic model (it is null otherwise).</summary>
    protected virtual bool NeedsSemanticModel => false;

    /// <summary>The actions to offer for <paramref name="diagnostic"/>: none where the rewrite cannot be sure.</summary>
    protected abstract IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>The action that applies <paramref name="offer"/> to <paramref name="diagnostic"/> alone.</summary>
    private protected abstract CodeAction Action(Document document, Diagnostic diagnostic, FixOffer offer);
}
