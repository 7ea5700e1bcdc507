using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using ThreadingAnalyzers.Rules;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR016: the update of a volatile int or long field becomes one Interlocked call (<c>_n++;</c> becomes
/// <c>Interlocked.Increment(ref _n);</c>), where the analyzer marked that the value stays the same.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR016NonAtomicVolatileUpdateCodeFix)), Shared]
public sealed class THR016NonAtomicVolatileUpdateCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR016.UseInterlocked";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR016.Id);

    // Each update is replaced in place; one pass per document fixes all of them and adds the using once.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindUpdate(root, diagnostic) is not null)
        {
            yield return new FixOffer("Use Interlocked." + diagnostic.Properties[THR016NonAtomicVolatileUpdateAnalyzer.FixProperty], EquivalenceKey);
        }
    }

    protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken) =>
        ReplaceAndImport.ApplyAsync(
            document,
            InterlockedUpdate.InterlockedTypeName,
            diagnostics,
            FindUpdate,
            static (update, _) => InterlockedUpdate.Replacement(update) ?? update,
            cancellationToken);

    /// <summary>The update expression of a diagnostic that the analyzer marked fixable.</summary>
    private static SyntaxNode? FindUpdate(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(THR016NonAtomicVolatileUpdateAnalyzer.FixProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is { } node
        && node.Span == diagnostic.Location.SourceSpan
        && InterlockedUpdate.Replacement(node) is not null
            ? node
            : null;
}
