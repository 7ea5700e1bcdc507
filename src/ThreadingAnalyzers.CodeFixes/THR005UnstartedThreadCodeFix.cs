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

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR005 fix "Start the thread": inserts <c>t.Start();</c> after the declaration of <c>t</c> and after the statements
/// right below it that configure the thread (<c>t.IsBackground = true;</c>, <c>t.SetApartmentState(...)</c>), which
/// must run before it starts. A discarded <c>new Thread(...);</c> becomes <c>new Thread(...).Start();</c>. A private field
/// gets no fix: where its thread should start (a constructor, a Start method) is the type's design.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR005UnstartedThreadCodeFix)), Shared]
public sealed class THR005UnstartedThreadCodeFix : DocumentCodeFix
{
    internal const string StartKey = "THR005.Start";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR005");

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var title = Discarded(root, diagnostic) is not null ? "Start the new thread"
            : Insertion(root, diagnostic) is var (_, name) ? $"Start '{name.ValueText}'"
            : null;
        if (title is not null)
        {
            yield return new FixOffer(title, StartKey);
        }
    }

    // Several threads may start after one anchor statement: one pass per document inserts them in order.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var starts = new Dictionary<SyntaxNode, List<SyntaxNode>>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Discarded(editor.OriginalRoot, diagnostic) is { } creation)
            {
                editor.ReplaceNode(creation, SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, creation.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName("Start")))
                    .WithTrailingTrivia(creation.GetTrailingTrivia()));
                continue;
            }

            if (Insertion(editor.OriginalRoot, diagnostic) is not var (anchor, name))
            {
                continue;
            }

            if (!starts.TryGetValue(anchor, out var statements))
            {
                starts.Add(anchor, statements = new List<SyntaxNode>());
            }

            StatementSyntax start = SyntaxFactory.ExpressionStatement(
                SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, SyntaxFactory.IdentifierName(name.WithoutTrivia()), SyntaxFactory.IdentifierName("Start"))));
            statements.Add(anchor is GlobalStatementSyntax
                ? SyntaxFactory.GlobalStatement(start).WithTrailingTrivia(EndOfLine(anchor))
                : start.WithAdditionalAnnotations(Formatter.Annotation));
        }

        foreach (var pair in starts)
        {
            editor.InsertAfter(pair.Key, pair.Value);
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The creation of <c>new Thread(...);</c>, a statement whose value nothing holds.</summary>
    private static ObjectCreationExpressionSyntax? Discarded(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ObjectCreationExpressionSyntax { Parent: ExpressionStatementSyntax } creation
            ? creation
            : null;

    /// <summary>The statement to insert the call after, and the thread's name; null where no statement can follow the declaration.</summary>
    private static (SyntaxNode Anchor, SyntaxToken Name)? Insertion(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is not BaseObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } }
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax declaration)
        {
            return null;
        }

        SyntaxNode anchor = declaration;
        IReadOnlyList<SyntaxNode> siblings;
        switch (declaration.Parent)
        {
            case BlockSyntax block:
                siblings = block.Statements;
                break;
            case SwitchSectionSyntax section:
                siblings = section.Statements;
                break;
            case GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } global:
                anchor = global;
                siblings = unit.Members;
                break;
            default:
                return null;
        }

        var names = declaration.Declaration.Variables.Select(v => v.Identifier.ValueText).ToImmutableHashSet();
        for (var index = IndexOf(siblings, anchor) + 1; index > 0 && index < siblings.Count && ConfiguresOrStarts(siblings[index], names); index++)
        {
            anchor = siblings[index];
        }

        return (anchor, declarator.Identifier);
    }

    private static int IndexOf(IReadOnlyList<SyntaxNode> nodes, SyntaxNode node)
    {
        for (var index = 0; index < nodes.Count; index++)
        {
            if (nodes[index] == node)
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>
    /// <c>t.Member = value;</c>, <c>t.SetApartmentState(...)</c>, <c>t.TrySetApartmentState(...)</c> or <c>t.Start()</c>
    /// for a thread declared in the same statement: the new call goes after them.
    /// </summary>
    private static bool ConfiguresOrStarts(SyntaxNode statement, ImmutableHashSet<string> names)
    {
        if (statement is GlobalStatementSyntax global)
        {
            statement = global.Statement;
        }

        return statement is ExpressionStatementSyntax { Expression: var expression } && expression switch
        {
            AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } } => names.Contains(target.Identifier.ValueText),
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target, Name.Identifier.ValueText: "SetApartmentState" or "TrySetApartmentState" or "Start" } }
                => names.Contains(target.Identifier.ValueText),
            _ => false,
        };
    }

    private static SyntaxTrivia EndOfLine(SyntaxNode node) =>
        node.GetTrailingTrivia().Where(t => t.IsKind(SyntaxKind.EndOfLineTrivia)).DefaultIfEmpty(SyntaxFactory.ElasticCarriageReturnLineFeed).Last();
}
