using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>A fix that changes only the documents its diagnostics are in: Fix All rewrites each document once.</summary>
public abstract class DocumentCodeFix : CodeFixSkeleton
{
    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(async (context, document, diagnostics) =>
        diagnostics.IsEmpty
            ? null
            : await FixAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? string.Empty, context.CancellationToken).ConfigureAwait(false));

    private protected sealed override CodeAction Action(Document document, Diagnostic diagnostic, FixOffer offer)
    {
        var key = offer.EquivalenceKey;
        return CodeAction.Create(offer.Title, cancellationToken => FixAsync(document, ImmutableArray.Create(diagnostic), key, cancellationToken), key);
    }

    /// <summary>Applies the <paramref name="equivalenceKey"/> rewrite to every site of <paramref name="diagnostics"/> in <paramref name="document"/>.</summary>
    protected abstract Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken);
}
