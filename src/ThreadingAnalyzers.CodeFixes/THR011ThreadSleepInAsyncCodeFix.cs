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
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR011: <c>Thread.Sleep(x)</c> becomes <c>await Task.Delay(x)</c> (<c>await Task.Delay(x, token)</c> with the function's token).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR011ThreadSleepInAsyncCodeFix)), Shared]
public sealed class THR011ThreadSleepInAsyncCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR011.UseTaskDelay";

    private const string TaskTypeName = "System.Threading.Tasks.Task";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR011.Id);

    // Each call is replaced in place; one pass per document fixes all of them and adds the using once.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindSleep(root, diagnostic) is not null)
        {
            yield return new FixOffer("Use await Task.Delay", EquivalenceKey);
        }
    }

    protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken) =>
        ReplaceAndImport.ApplyAsync(
            document,
            TaskTypeName,
            diagnostics,
            FindSleep,
            static (sleep, diagnostic) =>
            {
                diagnostic.Properties.TryGetValue(THR011ThreadSleepInAsyncAnalyzer.TokenProperty, out var token);
                return AwaitDelay((InvocationExpressionSyntax)sleep, token);
            },
            cancellationToken);

    /// <summary>The <c>Thread.Sleep(...)</c> call of a diagnostic that the analyzer marked fixable.</summary>
    private static InvocationExpressionSyntax? FindSleep(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(THR011ThreadSleepInAsyncAnalyzer.FixProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is InvocationExpressionSyntax sleep
        && sleep.Span == diagnostic.Location.SourceSpan
        && sleep.ArgumentList.Arguments.Count == 1
            ? sleep
            : null;

    /// <summary>
    /// <c>Thread.Sleep(millisecondsTimeout: x)</c> becomes <c>await Task.Delay(x)</c>: Delay's parameters have other names,
    /// and Sleep has one, so the argument goes by position. The type is written in full; the cleanup shortens it.
    /// </summary>
    private static ExpressionSyntax AwaitDelay(InvocationExpressionSyntax sleep, string? token)
    {
        var argument = sleep.ArgumentList.Arguments[0];
        if (argument.NameColon is { } name)
        {
            // Comments after the colon stay in front of the value.
            var comments = name.ColonToken.TrailingTrivia.SkipWhile(static t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            argument = argument.WithNameColon(null).WithLeadingTrivia(argument.GetLeadingTrivia().AddRange(comments));
        }

        var arguments = token is null
            ? SingletonSeparatedList(argument)
            // The separator and the name carry their own trivia: elastic trivia would let the cleanup reformat the line.
            : SeparatedList<ArgumentSyntax>(new SyntaxNodeOrToken[]
            {
                argument,
                Token(SyntaxTriviaList.Empty, SyntaxKind.CommaToken, TriviaList(Space)),
                Argument(IdentifierName(Identifier(SyntaxTriviaList.Empty, SyntaxKind.IdentifierToken, token, token.TrimStart('@'), SyntaxTriviaList.Empty))),
            });
        var delay = InvocationExpression(
            ParseExpression("global::" + TaskTypeName + ".Delay").WithAdditionalAnnotations(Simplifier.Annotation),
            sleep.ArgumentList.WithArguments(arguments));
        return AwaitExpression(Token(SyntaxTriviaList.Empty, SyntaxKind.AwaitKeyword, TriviaList(Space)), delay)
            .WithTriviaFrom(sleep);
    }
}
