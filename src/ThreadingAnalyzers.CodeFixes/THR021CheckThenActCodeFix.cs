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
/// THR021: <c>if (!d.ContainsKey(k)) d[k] = v;</c> becomes <c>d.TryAdd(k, v);</c>, and
/// <c>if (!d.TryGetValue(k, out var x)) { x = E; d[k] = x; }</c> becomes <c>var x = d.GetOrAdd(k, _ =&gt; E);</c>.
/// The analyzer offers a fix only for the shapes where the rewrite changes nothing but atomicity.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR021CheckThenActCodeFix)), Shared]
public sealed class THR021CheckThenActCodeFix : DocumentCodeFix
{
    internal const string TryAddKey = "THR021.TryAdd";
    internal const string GetOrAddKey = "THR021.GetOrAdd";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR021.Id);

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindSite(root, diagnostic) is { } site)
        {
            yield return new FixOffer($"Use {site.Fix}", site.Key);
        }
    }

    // Each fix replaces its own if statement, and two flagged ifs never nest: one pass per document fixes all of them.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var ifs = new HashSet<IfStatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindSite(editor.OriginalRoot, diagnostic) is { } site && site.Key == equivalenceKey && ifs.Add(site.If))
            {
                editor.ReplaceNode(site.If, site.Replacement);
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The if statement of a fixable diagnostic, what replaces it, and the kind of fix with its equivalence key.</summary>
    private static (IfStatementSyntax If, StatementSyntax Replacement, string Fix, string Key)? FindSite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(THR021CheckThenActAnalyzer.FixProperty, out var fix)
            || fix is null
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax check
            || check.FirstAncestorOrSelf<IfStatementSyntax>() is not { } ifStatement
            || Rewrite(ifStatement, check, fix) is not { } replacement)
        {
            return null;
        }

        return (ifStatement, replacement, fix, fix == THR021CheckThenActAnalyzer.GetOrAddFix ? GetOrAddKey : TryAddKey);
    }

    private static StatementSyntax? Rewrite(IfStatementSyntax ifStatement, InvocationExpressionSyntax check, string? fix)
    {
        if (check.Expression is not MemberAccessExpressionSyntax { Expression: var dictionary } || check.ArgumentList.Arguments.Count == 0)
        {
            return null;
        }

        var key = check.ArgumentList.Arguments[0].Expression;
        var replacement = fix switch
        {
            THR021CheckThenActAnalyzer.TryAddFix when Statements(ifStatement.Statement).SingleOrDefault() is ExpressionStatementSyntax { Expression: var store }
                && StoredValue(store) is { } value => TryAdd(dictionary, key, value),
            THR021CheckThenActAnalyzer.GetOrAddFix when check.ArgumentList.Arguments.Count == 2
                && check.ArgumentList.Arguments[1].Expression is DeclarationExpressionSyntax declaration
                && Statements(ifStatement.Statement).FirstOrDefault() is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: var factory } }
                => GetOrAdd(dictionary, key, declaration, factory),
            _ => null,
        };
        return replacement?.WithTriviaFrom(ifStatement).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax TryAdd(ExpressionSyntax dictionary, ExpressionSyntax key, ExpressionSyntax value) =>
        ExpressionStatement(InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, dictionary.WithoutTrivia(), IdentifierName("TryAdd")),
            ArgumentList(SeparatedList(new[] { Argument(key.WithoutTrivia()), Argument(value.WithoutTrivia()) }))));

    private static StatementSyntax GetOrAdd(ExpressionSyntax dictionary, ExpressionSyntax key, DeclarationExpressionSyntax declaration, ExpressionSyntax factory)
    {
        var call = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, dictionary.WithoutTrivia(), IdentifierName("GetOrAdd")),
            ArgumentList(SeparatedList(new[]
            {
                Argument(key.WithoutTrivia()),
                Argument(SimpleLambdaExpression(Parameter(Identifier("_")), factory.WithoutTrivia())),
            })));
        var variable = ((SingleVariableDesignationSyntax)declaration.Designation).Identifier;
        return LocalDeclarationStatement(VariableDeclaration(
            declaration.Type.WithoutTrivia().WithTrailingTrivia(Space),
            SingletonSeparatedList(VariableDeclarator(variable.WithoutTrivia()).WithInitializer(EqualsValueClause(call)))));
    }

    private static SyntaxList<StatementSyntax> Statements(StatementSyntax body) =>
        body is BlockSyntax block ? block.Statements : SingletonList(body);

    /// <summary>The value of <c>d[k] = v</c>, <c>d.Add(k, v)</c> or <c>d.TryAdd(k, v)</c>.</summary>
    private static ExpressionSyntax? StoredValue(ExpressionSyntax store) => store switch
    {
        AssignmentExpressionSyntax { Left: ElementAccessExpressionSyntax, Right: var value } => value,
        InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 2 } arguments } => arguments[1].Expression,
        _ => null,
    };
}
