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
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR020: <c>_sem.Wait(args)</c> becomes <c>await _sem.WaitAsync(args)</c> (with the function's token when the call passes none).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR020SyncLockAcrossAwaitCodeFix)), Shared]
public sealed class THR020SyncLockAcrossAwaitCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR020.UseWaitAsync";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR020.Id);

    // Each call is replaced in place; one pass per document fixes all of them.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindWait(root, diagnostic) is not null)
        {
            yield return new FixOffer("Use await WaitAsync", EquivalenceKey);
        }
    }

    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
        {
            if (FindWait(editor.OriginalRoot, diagnostic) is { } wait)
            {
                diagnostic.Properties.TryGetValue(THR020SyncLockAcrossAwaitAnalyzer.TokenProperty, out var token);
                editor.ReplaceNode(wait, (current, _) => AwaitWaitAsync((InvocationExpressionSyntax)current, token));
            }
        }

        return document.WithSyntaxRoot(editor.GetChangedRoot());
    }

    /// <summary>The <c>Wait(...)</c> call of a diagnostic that the analyzer marked fixable.</summary>
    private static InvocationExpressionSyntax? FindWait(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(THR020SyncLockAcrossAwaitAnalyzer.FixProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax wait
        && wait.Span == diagnostic.Location.SourceSpan
        && wait.Expression is MemberAccessExpressionSyntax or IdentifierNameSyntax
            ? wait
            : null;

    /// <summary>
    /// The same receiver and arguments, <c>WaitAsync</c> for <c>Wait</c>, the token appended (by name when the call names
    /// its arguments), under an <c>await</c>; in parentheses where the call was the receiver of something else.
    /// </summary>
    private static ExpressionSyntax AwaitWaitAsync(InvocationExpressionSyntax wait, string? token)
    {
        var expression = wait.Expression switch
        {
            MemberAccessExpressionSyntax member => (ExpressionSyntax)member.WithName(IdentifierName("WaitAsync").WithTriviaFrom(member.Name)),
            _ => IdentifierName("WaitAsync").WithTriviaFrom(wait.Expression),
        };
        var arguments = wait.ArgumentList;
        if (token is not null)
        {
            var value = IdentifierName(Identifier(SyntaxTriviaList.Empty, SyntaxKind.IdentifierToken, token, token.TrimStart('@'), SyntaxTriviaList.Empty));
            var argument = arguments.Arguments.Any(a => a.NameColon is not null)
                ? Argument(NameColon(IdentifierName("cancellationToken")), default, value)
                : Argument(value);
            var comma = Token(SyntaxTriviaList.Empty, SyntaxKind.CommaToken, TriviaList(Space));
            arguments = arguments.WithArguments(arguments.Arguments.Count == 0
                ? SingletonSeparatedList(argument)
                : SeparatedList<ArgumentSyntax>(arguments.Arguments.GetWithSeparators().Add(comma).Add(argument)));
        }

        ExpressionSyntax awaited = AwaitExpression(
            Token(SyntaxTriviaList.Empty, SyntaxKind.AwaitKeyword, TriviaList(Space)),
            wait.WithExpression(expression).WithArgumentList(arguments).WithoutTrivia());
        if (wait.Parent is MemberAccessExpressionSyntax or ConditionalAccessExpressionSyntax or ElementAccessExpressionSyntax or PostfixUnaryExpressionSyntax)
        {
            awaited = ParenthesizedExpression(awaited);
        }

        return awaited.WithTriviaFrom(wait);
    }
}
