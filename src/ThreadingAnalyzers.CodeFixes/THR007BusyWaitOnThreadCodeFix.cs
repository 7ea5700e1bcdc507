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

/// <summary>THR007: replaces a loop that polls IsAlive/ThreadState with a Join() of each polled thread.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR007BusyWaitOnThreadCodeFix)), Shared]
public sealed class THR007BusyWaitOnThreadCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR007.Join";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR007.Id);

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindSite(root, diagnostic) is { } site && Replacement(site, diagnostic) is not null)
        {
            yield return new FixOffer("Join the thread instead of polling it", EquivalenceKey);
        }
    }

    // A waiting loop holds no other loop (its body only sleeps), so the rewrites of a document never overlap.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        // One kind of fix: Fix All without a key (dotnet format's) means this one.
        if (equivalenceKey.Length != 0 && equivalenceKey != EquivalenceKey)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var loops = new HashSet<StatementSyntax>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindSite(editor.OriginalRoot, diagnostic) is not { } site || Replacement(site, diagnostic) is not { } replacement || !loops.Add(site.Loop))
            {
                continue;
            }

            if (replacement == site.Loop)
            {
                ReplaceWithJoin(editor, site);
            }
            else
            {
                editor.ReplaceNode(site.Loop, replacement.WithTriviaFrom(site.Loop).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>
    /// What the loop becomes for the kind of fix the analyzer named: a <c>Join(interval)</c> loop, a <c>foreach</c> of
    /// joins, or the loop itself where a join of each polled thread takes its place; null where the shape is not the
    /// one expected.
    /// </summary>
    private static StatementSyntax? Replacement((StatementSyntax Loop, ImmutableArray<ExpressionSyntax> Threads) site, Diagnostic diagnostic) =>
        diagnostic.Properties[THR007BusyWaitOnThreadAnalyzer.FixProperty] switch
        {
            THR007BusyWaitOnThreadAnalyzer.JoinIntervalFix => JoinWithInterval(site),
            THR007BusyWaitOnThreadAnalyzer.JoinEachFix => JoinEach(site.Loop),
            THR007BusyWaitOnThreadAnalyzer.JoinFix => site.Loop,
            _ => null,
        };

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

    /// <summary>A <c>Join()</c> of each polled thread in place of the loop, one statement a line.</summary>
    private static void ReplaceWithJoin(DocumentEditor editor, (StatementSyntax Loop, ImmutableArray<ExpressionSyntax> Threads) site)
    {
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
    }
}
