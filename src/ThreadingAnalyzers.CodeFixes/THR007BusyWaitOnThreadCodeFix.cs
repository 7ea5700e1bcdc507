using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR007: replaces a loop that polls IsAlive/ThreadState with a Join() of each polled thread.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR007BusyWaitOnThreadCodeFix)), Shared]
public sealed class THR007BusyWaitOnThreadCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "THR007.Join";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR007.Id);

    // A waiting loop holds no other loop (its body only sleeps), so the rewrites never overlap.
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
            if (FindSite(root, diagnostic) is not { } site)
            {
                continue;
            }

            var document = context.Document;
            var kind = diagnostic.Properties[THR007BusyWaitOnThreadAnalyzer.FixProperty];
            var replacement = kind switch
            {
                THR007BusyWaitOnThreadAnalyzer.JoinIntervalFix => JoinWithInterval(site),
                THR007BusyWaitOnThreadAnalyzer.JoinEachFix => JoinEach(site.Loop),
                _ => null,
            };
            if (replacement is null && kind != THR007BusyWaitOnThreadAnalyzer.JoinFix)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Join the thread instead of polling it",
                    cancellationToken => replacement is null
                        ? ReplaceWithJoinAsync(document, site, cancellationToken)
                        : Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(site.Loop, replacement.WithTriviaFrom(site.Loop).WithAdditionalAnnotations(Formatter.Annotation)))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The loop and the polled thread expressions, when the analyzer found the rewrite safe.</summary>
    private static (StatementSyntax Loop, ImmutableArray<ExpressionSyntax> Threads)? FindSite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(THR007BusyWaitOnThreadAnalyzer.FixProperty)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax condition)
        {
            return null;
        }

        StatementSyntax? loop = condition.Parent switch
        {
            WhileStatementSyntax whileLoop when whileLoop.Condition == condition => whileLoop,
            DoStatementSyntax doLoop when doLoop.Condition == condition => doLoop,
            _ => null,
        };

        // The analyzer offers the fix only for conditions made of `x.IsAlive` and `x.ThreadState` tests joined with `||`.
        var threads = condition.DescendantNodesAndSelf()
            .OfType<MemberAccessExpressionSyntax>()
            .Where(access => access.Name.Identifier.ValueText is "IsAlive" or "ThreadState"
                && !(access.Parent is MemberAccessExpressionSyntax outer && outer.Expression == access)) // not System.Threading.ThreadState.Stopped
            .Select(access => access.Expression)
            .ToImmutableArray();
        return loop is null || threads.IsEmpty ? null : (loop, threads);
    }

    /// <summary><c>while (!t.Join(interval)) { progress }</c>: the Sleep's interval becomes the Join's timeout, the rest of the body stays.</summary>
    private static StatementSyntax? JoinWithInterval((StatementSyntax Loop, ImmutableArray<ExpressionSyntax> Threads) site)
    {
        var body = site.Loop switch
        {
            WhileStatementSyntax whileLoop => whileLoop.Statement,
            DoStatementSyntax doLoop => doLoop.Statement,
            _ => null,
        };
        var statements = body is BlockSyntax block ? block.Statements.ToList() : body is null ? new List<StatementSyntax>() : new List<StatementSyntax> { body };
        var sleep = statements.OfType<ExpressionStatementSyntax>()
            .FirstOrDefault(s => s.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Sleep" } or IdentifierNameSyntax { Identifier.ValueText: "Sleep" } });
        if (site.Threads.Length != 1 || sleep is null)
        {
            return null;
        }

        var progress = statements.Where(s => s != sleep).Select(s => s.WithoutLeadingTrivia().WithTrailingTrivia(ElasticCarriageReturnLineFeed)).ToList();
        var join = InvocationExpression(
            MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, site.Threads[0].WithoutTrivia(), IdentifierName("Join")),
            ((InvocationExpressionSyntax)sleep.Expression).ArgumentList.WithoutTrivia());
        StatementSyntax loopBody = progress.Count == 1 ? progress[0].WithoutTrivia() : Block(progress);
        return WhileStatement(PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, join), loopBody);
    }

    /// <summary><c>foreach (var t in threads) t.Join();</c> for <c>threads.Any(t =&gt; t.IsAlive)</c> or <c>!threads.All(t =&gt; !t.IsAlive)</c>.</summary>
    private static StatementSyntax? JoinEach(StatementSyntax loop)
    {
        var condition = loop switch
        {
            WhileStatementSyntax whileLoop => whileLoop.Condition,
            DoStatementSyntax doLoop => doLoop.Condition,
            _ => null,
        };
        while (condition is ParenthesizedExpressionSyntax or PrefixUnaryExpressionSyntax)
        {
            condition = condition is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((PrefixUnaryExpressionSyntax)condition).Operand;
        }

        if (condition is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: var threads }, ArgumentList.Arguments: { Count: 1 } arguments }
            || arguments[0].Expression is not SimpleLambdaExpressionSyntax { Parameter.Identifier: var name })
        {
            return null;
        }

        return ForEachStatement(
            IdentifierName("var"),
            name.WithoutTrivia(),
            threads.WithoutTrivia(),
            ExpressionStatement(InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(name.WithoutTrivia()), IdentifierName("Join")))));
    }

    private static async Task<Document> ReplaceWithJoinAsync(
        Document document, (StatementSyntax Loop, ImmutableArray<ExpressionSyntax> Threads) site, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var loop = site.Loop;
        var joins = site.Threads
            .Select(thread => thread.WithoutTrivia())
            .GroupBy(thread => thread.ToString())
            .Select(group => (StatementSyntax)ExpressionStatement(
                InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, group.First(), IdentifierName("Join")))))
            .ToList();

        if (joins.Count == 1)
        {
            editor.ReplaceNode(loop, joins[0].WithTriviaFrom(loop));
        }
        else if (loop.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax)
        {
            // One statement a line, at the loop's indentation; the first keeps the loop's comments, the last its line end.
            var leading = loop.GetLeadingTrivia();
            var indent = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? TriviaList(leading[leading.Count - 1]) : SyntaxTriviaList.Empty;
            var endOfLine = loop.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var lineEnd = TriviaList(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : ElasticCarriageReturnLineFeed);
            var lines = joins
                .Select((join, index) => join
                    .WithLeadingTrivia(index == 0 ? leading : indent)
                    .WithTrailingTrivia(index == joins.Count - 1 ? loop.GetTrailingTrivia() : lineEnd))
                .ToList();
            var (anchor, rest) = loop.Parent is GlobalStatementSyntax global
                ? ((SyntaxNode)global, lines.Skip(1).Select(line => (SyntaxNode)GlobalStatement(line)))
                : (loop, lines.Skip(1));
            editor.InsertAfter(anchor, rest);
            editor.ReplaceNode(loop, lines[0]);
        }
        else
        {
            // An embedded statement (`if (x) while (...) ...`) takes one statement: a block of the joins, laid out by the formatter.
            editor.ReplaceNode(loop, Block(joins).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation));
        }

        return editor.GetChangedDocument();
    }
}
