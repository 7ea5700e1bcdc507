using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR015 fixes: "Build in a local, then assign" (<c>_x = new X(); _x.Init();</c> becomes <c>var x = new X(); x.Init(); _x = x;</c>,
/// <c>_x = x; x.Init();</c> moves the store last), and "Make the flag volatile".
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR015LazyInitPublishedEarlyCodeFix)), Shared]
public sealed class THR015LazyInitPublishedEarlyCodeFix : DocumentCodeFix
{
    internal const string BuildInLocalKey = "THR015.BuildInLocal";
    internal const string MakeVolatileKey = "THR015.MakeVolatile";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR015.Id);

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var kind = diagnostic.Properties.TryGetValue(THR015LazyInitPublishedEarlyAnalyzer.FixProperty, out var value) ? value : null;
        if (kind == THR015LazyInitPublishedEarlyAnalyzer.BuildInLocal && Publication(root, diagnostic) is not null)
        {
            yield return new FixOffer("Build in a local, then assign", BuildInLocalKey);
        }
        else if (kind == THR015LazyInitPublishedEarlyAnalyzer.MakeVolatile)
        {
            yield return new FixOffer("Make the flag volatile", MakeVolatileKey);
        }
    }

    // Several diagnostics may name one field: one pass per document makes each field volatile once.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var fields = new HashSet<FieldDeclarationSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            var kind = diagnostic.Properties.TryGetValue(THR015LazyInitPublishedEarlyAnalyzer.FixProperty, out var value) ? value : null;
            if (key == BuildInLocalKey && kind == THR015LazyInitPublishedEarlyAnalyzer.BuildInLocal && Publication(editor.OriginalRoot, diagnostic) is { } publication)
            {
                BuildInLocal(editor, model, publication, cancellationToken);
            }
            else if (key == MakeVolatileKey && kind == THR015LazyInitPublishedEarlyAnalyzer.MakeVolatile
                && editor.OriginalRoot.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is AssignmentExpressionSyntax flag
                && model.GetSymbolInfo(flag.Left, cancellationToken).Symbol is IFieldSymbol field
                && field.DeclaringSyntaxReferences.Length == 1
                && field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken).Parent?.Parent is FieldDeclarationSyntax declaration
                && declaration.SyntaxTree == editor.OriginalRoot.SyntaxTree
                && fields.Add(declaration))
            {
                editor.ReplaceNode(declaration, (current, _) => AddVolatile((FieldDeclarationSyntax)current));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary><c>volatile</c> after the other modifiers (<c>private static volatile bool</c>).</summary>
    private static FieldDeclarationSyntax AddVolatile(FieldDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Any(SyntaxKind.VolatileKeyword))
        {
            return declaration;
        }

        if (declaration.Modifiers.Count == 0)
        {
            var type = declaration.Declaration.Type;
            return declaration
                .WithModifiers(TokenList(Token(type.GetLeadingTrivia(), SyntaxKind.VolatileKeyword, TriviaList(Space))))
                .WithDeclaration(declaration.Declaration.WithType(type.WithLeadingTrivia()));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(Token(SyntaxTriviaList.Empty, SyntaxKind.VolatileKeyword, TriviaList(Space))));
    }

    /// <summary>The store <c>_x = ...;</c> of a diagnostic, in a block whose later statements do not jump out of it.</summary>
    private static ExpressionStatementSyntax? Publication(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax { Parent: BlockSyntax block } statement }
        && block.Statements.SkipWhile(s => s != statement).Skip(1)
            .All(static s => !s.DescendantNodesAndSelf(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
                .Any(static n => n is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax))
            ? statement
            : null;

    private static void BuildInLocal(DocumentEditor editor, SemanticModel model, ExpressionStatementSyntax publication, CancellationToken cancellationToken)
    {
        var assignment = (AssignmentExpressionSyntax)publication.Expression;
        var block = (BlockSyntax)publication.Parent!;
        var later = block.Statements.SkipWhile(s => s != publication).Skip(1).ToList();
        if (later.Count == 0)
        {
            return;
        }

        if (assignment.Right is IdentifierNameSyntax local)
        {
            // _x = x; x.Init();  ->  x.Init(); _x = x;
            editor.RemoveNode(publication);
            editor.InsertAfter(later[later.Count - 1], publication.WithAdditionalAnnotations(Formatter.Annotation));
            return;
        }

        if (model.GetSymbolInfo(assignment.Left, cancellationToken).Symbol is not IFieldSymbol field)
        {
            return;
        }

        var name = LocalName(model, publication.SpanStart, field.Name);
        editor.ReplaceNode(publication, LocalDeclarationStatement(VariableDeclaration(
                IdentifierName(Identifier(TriviaList(), SyntaxKind.VarKeyword, "var", "var", TriviaList())),
                SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(assignment.Right.WithoutTrivia())))))
            .WithTriviaFrom(publication)
            .WithAdditionalAnnotations(Formatter.Annotation));
        foreach (var statement in later)
        {
            foreach (var reference in statement.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (reference.Identifier.ValueText == field.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(reference, cancellationToken).Symbol, field))
                {
                    SyntaxNode target = reference.Parent is MemberAccessExpressionSyntax access && access.Name == reference ? access : reference;
                    editor.ReplaceNode(target, IdentifierName(name).WithTriviaFrom(target));
                }
            }
        }

        editor.InsertAfter(later[later.Count - 1], ExpressionStatement(AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression, assignment.Left.WithoutTrivia(), IdentifierName(name)))
            .WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary><c>_cache</c>, <c>s_cache</c>, <c>m_cache</c> and <c>Cache</c> give <c>cache</c>; a number is added while the name is taken.</summary>
    private static string LocalName(SemanticModel model, int position, string fieldName)
    {
        var name = fieldName.StartsWith("s_", System.StringComparison.Ordinal) || fieldName.StartsWith("m_", System.StringComparison.Ordinal) ? fieldName.Substring(2) : fieldName.TrimStart('_');
        name = name.Length == 0 ? "value" : char.ToLowerInvariant(name[0]) + name.Substring(1);
        if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || name == fieldName)
        {
            name = "created";
        }

        var candidate = name;
        for (var suffix = 2; !model.LookupSymbols(position, name: candidate).IsEmpty; suffix++)
        {
            candidate = name + suffix;
        }

        return candidate;
    }
}
