using System.Collections.Generic;
using System.Collections.Immutable;
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
/// <see cref="Offers"/> names (none when the fix cannot be sure), and one rewrite of a document serves a single
/// diagnostic and Fix All alike, so that fixes that add a shared member (one lock gate per type) or touch nearby
/// spans see all of their document's diagnostics at once.
/// </summary>
public abstract class DocumentCodeFix : CodeFixProvider
{
    /// <remarks>
    /// <c>dotnet format</c> can ask for Fix All without an equivalence key (when the first diagnostic it meets has no
    /// action): a fix with one kind of action rewrites all the same, and one with several rewrites nothing for no key.
    /// </remarks>
    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
        diagnostics.IsEmpty
            ? null
            : await FixAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? string.Empty, context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = NeedsSemanticModel ? await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) : null;
        if (root is null || (NeedsSemanticModel && model is null))
        {
            return;
        }

        var document = context.Document;
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var offer in Offers(root, model, diagnostic, context.CancellationToken))
            {
                var key = offer.EquivalenceKey;
                context.RegisterCodeFix(
                    CodeAction.Create(offer.Title, cancellationToken => FixAsync(document, ImmutableArray.Create(diagnostic), key, cancellationToken), key),
                    diagnostic);
            }
        }
    }

    /// <summary>Whether <see cref="Offers"/> needs the document's semantic model (it is null otherwise).</summary>
    protected virtual bool NeedsSemanticModel => false;

    /// <summary>The actions to offer for <paramref name="diagnostic"/>: none where the rewrite cannot be sure.</summary>
    protected abstract IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken);

    /// <summary>Applies the <paramref name="equivalenceKey"/> rewrite to every site of <paramref name="diagnostics"/> in <paramref name="document"/>.</summary>
    protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken);
}
