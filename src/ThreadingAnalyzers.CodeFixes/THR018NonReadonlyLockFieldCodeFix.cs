using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
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
public sealed class THR018NonReadonlyLockFieldCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "THR018.MakeReadonly";

    private const string Title = "Make the field readonly";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR018");

    public override FixAllProvider GetFixAllProvider() => new MakeReadonlyFixAll();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (await DeclarationAsync(context.Document.Project.Solution, diagnostic, context.CancellationToken).ConfigureAwait(false) is not null)
            {
                var solution = context.Document.Project.Solution;
                context.RegisterCodeFix(
                    CodeAction.Create(Title, ct => FixAsync(solution, ImmutableArray.Create(diagnostic), ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Adds readonly to the declaration of every field that <paramref name="diagnostics"/> can fix, each once.</summary>
    private static async Task<Solution> FixAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var declarations = new Dictionary<DocumentId, HashSet<FieldDeclarationSyntax>>();
        foreach (var diagnostic in diagnostics)
        {
            if (await DeclarationAsync(solution, diagnostic, cancellationToken).ConfigureAwait(false) is var (documentId, declaration))
            {
                if (!declarations.TryGetValue(documentId, out var inDocument))
                {
                    declarations.Add(documentId, inDocument = new HashSet<FieldDeclarationSyntax>());
                }

                inDocument.Add(declaration);
            }
        }

        foreach (var pair in declarations)
        {
            var document = solution.GetDocument(pair.Key)!;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var newRoot = root!.ReplaceNodes(pair.Value, (original, _) => WithReadonly(original));
            solution = solution.WithDocumentSyntaxRoot(pair.Key, newRoot);
        }

        return solution;
    }

    /// <summary>The declaration of the locked field, when the analyzer marked the diagnostic fixable and it declares only that field.</summary>
    private static async Task<(DocumentId Document, FieldDeclarationSyntax Declaration)?> DeclarationAsync(Solution solution, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (!diagnostic.Properties.ContainsKey(THR018NonReadonlyLockFieldAnalyzer.FixProperty)
            || solution.GetDocument(diagnostic.Location.SourceTree) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (model.GetOperation(node, cancellationToken) is not { } operation
            || THR010WeakIdentityLockAnalyzer.WithoutImplicitConversions(operation) is not IFieldReferenceOperation { Field: var field }
            || field.IsReadOnly
            || field.OriginalDefinition.DeclaringSyntaxReferences is not { Length: 1 } references
            || await references[0].GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not VariableDeclaratorSyntax
            {
                Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: FieldDeclarationSyntax declaration },
            }
            || solution.GetDocumentId(declaration.SyntaxTree) is not { } documentId)
        {
            return null;
        }

        return (documentId, declaration);
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

    /// <summary>Fix All: every fixable diagnostic of the scope, one edit per field declaration, in whichever document declares it.</summary>
    private sealed class MakeReadonlyFixAll : FixAllProvider
    {
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
            return CodeAction.Create(Title, ct => FixAsync(solution, diagnostics, ct), EquivalenceKey);
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
