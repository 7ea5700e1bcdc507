using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Rules;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR018 fix "Make the field readonly": adds <c>readonly</c> to the declaration of a locked private field that is
/// assigned only where the object is constructed (the analyzer marks those diagnostics; <c>volatile</c>, which a
/// readonly field cannot have, is replaced). The declaration may be in another part of a partial type, so the fix
/// changes the solution. Not offered when the declaration declares several fields (they would all become readonly).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR018NonReadonlyLockFieldCodeFix)), Shared]
public sealed class THR018NonReadonlyLockFieldCodeFix : SolutionCodeFix
{
    internal const string EquivalenceKey = "THR018.MakeReadonly";

    private const string Title = "Make the field readonly";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR018");

    protected override bool NeedsSemanticModel => true;

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Declaration(root, model!, diagnostic, cancellationToken) is not null)
        {
            yield return new FixOffer(Title, EquivalenceKey);
        }
    }

    protected override string FixAllTitle(string equivalenceKey) => Title;

    /// <summary>Adds readonly to the declaration of every field that <paramref name="diagnostics"/> can fix, each once.</summary>
    protected override async Task<Solution> FixAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var declarations = new Dictionary<DocumentId, HashSet<FieldDeclarationSyntax>>();
        foreach (var diagnostic in diagnostics)
        {
            if (solution.GetDocument(diagnostic.Location.SourceTree) is not { } document
                || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
                || Declaration(root, model, diagnostic, cancellationToken) is not { } declaration
                || solution.GetDocumentId(declaration.SyntaxTree) is not { } documentId)
            {
                continue;
            }

            if (!declarations.TryGetValue(documentId, out var inDocument))
            {
                declarations.Add(documentId, inDocument = new HashSet<FieldDeclarationSyntax>());
            }

            inDocument.Add(declaration);
        }

        foreach (var pair in declarations)
        {
            if (solution.GetDocument(pair.Key) is { } document && await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } root)
            {
                solution = solution.WithDocumentSyntaxRoot(pair.Key, root.ReplaceNodes(pair.Value, (original, _) => WithReadonly(original)));
            }
        }

        return solution;
    }

    /// <summary>
    /// The declaration of the locked field, in whichever part of the type declares it, when the analyzer marked the
    /// diagnostic fixable and the declaration declares only that field.
    /// </summary>
    private static FieldDeclarationSyntax? Declaration(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(THR018NonReadonlyLockFieldAnalyzer.FixProperty))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return model.GetOperation(node, cancellationToken) is { } operation
            && THR010WeakIdentityLockAnalyzer.WithoutImplicitConversions(operation) is IFieldReferenceOperation { Field: var field }
            && !field.IsReadOnly
            && field.OriginalDefinition.DeclaringSyntaxReferences is { Length: 1 } references
            && references[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax
            {
                Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax declaration },
            }
                ? declaration
                : null;
    }

    /// <summary>The declaration with <c>readonly</c> after its other modifiers (in place of <c>volatile</c>).</summary>
    private static FieldDeclarationSyntax WithReadonly(FieldDeclarationSyntax declaration)
    {
        var modifiers = declaration.Modifiers;
        var volatileIndex = modifiers.IndexOf(SyntaxKind.VolatileKeyword);
        if (volatileIndex >= 0)
        {
            var replaced = modifiers[volatileIndex];
            return declaration.WithModifiers(modifiers.Replace(replaced, SyntaxFactory.Token(replaced.LeadingTrivia, SyntaxKind.ReadOnlyKeyword, replaced.TrailingTrivia)));
        }

        if (modifiers.Count == 0)
        {
            var type = declaration.Declaration.Type;
            var readonlyToken = SyntaxFactory.Token(type.GetLeadingTrivia(), SyntaxKind.ReadOnlyKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration
                .WithDeclaration(declaration.Declaration.WithType(type.WithLeadingTrivia()))
                .WithModifiers(SyntaxFactory.TokenList(readonlyToken));
        }

        var last = modifiers[modifiers.Count - 1];
        var withoutTrailing = last.WithTrailingTrivia(SyntaxFactory.Space);
        var added = SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.ReadOnlyKeyword, last.TrailingTrivia);
        return declaration.WithModifiers(modifiers.Replace(last, withoutTrailing).Add(added));
    }
}
