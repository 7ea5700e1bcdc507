using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
public sealed class THR021CheckThenActCodeFix : CodeFixProvider
{
    internal const string TryAddKey = "THR021.TryAdd";
    internal const string GetOrAddKey = "THR021.GetOrAdd";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR021.Id);

    // Each fix replaces its own if statement, and two flagged ifs never nest: the fixes are independent.
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(THR021CheckThenActAnalyzer.FixProperty, out var fix)
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax check
                || check.FirstAncestorOrSelf<IfStatementSyntax>() is not { } ifStatement
                || Rewrite(ifStatement, check, fix) is not { } replacement)
            {
                continue;
            }

            var key = fix == THR021CheckThenActAnalyzer.GetOrAddFix ? GetOrAddKey : TryAddKey;
            var document = context.Document;
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use {fix}",
                    _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(ifStatement, replacement))),
                    key),
                diagnostic);
        }
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
