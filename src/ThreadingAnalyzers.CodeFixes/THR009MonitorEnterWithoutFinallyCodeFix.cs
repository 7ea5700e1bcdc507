using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR009: turns <c>Monitor.Enter(x); ...; Monitor.Exit(x);</c> into <c>lock (x) { ... }</c>, and the other primitives'
/// <c>acquire; ...; release;</c> into <c>acquire; try { ... } finally { release; }</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR009MonitorEnterWithoutFinallyCodeFix)), Shared]
public sealed class THR009MonitorEnterWithoutFinallyCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR009.UseLock";

    internal const string TryFinallyEquivalenceKey = "THR009.UseTryFinally";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR009.Id);

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindPair(root, diagnostic) is not null)
        {
            yield return IsLockFix(diagnostic)
                ? new FixOffer("Use a lock statement", EquivalenceKey)
                : new FixOffer("Release in a finally", TryFinallyEquivalenceKey);
        }
    }

    // Pairs can nest (Enter(a); Enter(b); ... Exit(b); Exit(a);): one document pass rewrites them one after another.
    // Any key but the lock's, an empty one too, rewrites the try/finally pairs.
    protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var isLock = equivalenceKey == EquivalenceKey;
        return RewriteAsync(document, diagnostics.Where(d => IsLockFix(d) == isLock).ToImmutableArray(), cancellationToken);
    }

    private static bool IsLockFix(Diagnostic diagnostic) =>
        !diagnostic.Properties.TryGetValue(THR009MonitorEnterWithoutFinallyAnalyzer.FixProperty, out var kind)
        || kind == THR009MonitorEnterWithoutFinallyAnalyzer.LockFix;

    private static async Task<Document> RewriteAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        // Mark every pair in the original tree, then rewrite them one at a time: the marks survive the moves.
        var pairs = new List<(SyntaxAnnotation Enter, SyntaxAnnotation Exit, bool IsLock)>();
        var marks = new Dictionary<SyntaxNode, List<SyntaxAnnotation>>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindPair(root, diagnostic) is { } pair)
            {
                var marked = (Enter: new SyntaxAnnotation(), Exit: new SyntaxAnnotation(), IsLock: IsLockFix(diagnostic));
                pairs.Add(marked);
                Mark(marks, pair.Enter, marked.Enter);
                Mark(marks, pair.Exit, marked.Exit);
            }
        }

        root = root.ReplaceNodes(marks.Keys, (original, current) => current.WithAdditionalAnnotations(marks[original]));
        foreach (var (enterMark, exitMark, isLock) in pairs)
        {
            if (root.GetAnnotatedNodes(enterMark).SingleOrDefault() is ExpressionStatementSyntax enter
                && root.GetAnnotatedNodes(exitMark).SingleOrDefault() is ExpressionStatementSyntax exit
                && enter.Parent is BlockSyntax block
                && exit.Parent == block)
            {
                root = root.ReplaceNode(block, isLock ? WithLock(block, enter, exit) : WithTryFinally(block, enter, exit));
            }
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(root), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static void Mark(Dictionary<SyntaxNode, List<SyntaxAnnotation>> marks, SyntaxNode node, SyntaxAnnotation annotation)
    {
        if (!marks.TryGetValue(node, out var list))
        {
            marks[node] = list = new List<SyntaxAnnotation>();
        }

        list.Add(annotation);
    }

    /// <summary>The acquiring and releasing statements of a fixable diagnostic, in one block.</summary>
    private static (ExpressionStatementSyntax Enter, ExpressionStatementSyntax Exit)? FindPair(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(THR009MonitorEnterWithoutFinallyAnalyzer.ExitStatementProperty, out var exitAt)
            || !int.TryParse(exitAt, NumberStyles.None, CultureInfo.InvariantCulture, out var exitStart)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || invocation.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax enter
            || enter.Parent is not BlockSyntax block)
        {
            return null;
        }

        var exit = block.Statements.OfType<ExpressionStatementSyntax>().FirstOrDefault(s => s.SpanStart == exitStart);
        return exit is not null && block.Statements.IndexOf(exit) > block.Statements.IndexOf(enter) ? (enter, exit) : null;
    }

    /// <summary>The block with the statements from Enter to Exit replaced by <c>lock (x) { statements between }</c>.</summary>
    private static BlockSyntax WithLock(BlockSyntax block, ExpressionStatementSyntax enter, ExpressionStatementSyntax exit)
    {
        var statements = block.Statements;
        var first = statements.IndexOf(enter);
        var last = statements.IndexOf(exit);
        var target = ((InvocationExpressionSyntax)enter.Expression).ArgumentList.Arguments[0].Expression.WithoutTrivia();
        var body = Block(List(statements.Skip(first + 1).Take(last - first - 1)));
        var lockStatement = LockStatement(target, body)
            .WithLeadingTrivia(enter.GetLeadingTrivia())
            .WithTrailingTrivia(exit.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var rewritten = statements.Take(first).Append(lockStatement).Concat(statements.Skip(last + 1));
        return block.WithStatements(List(rewritten));
    }

    /// <summary>The block with the statements between the acquisition and the release in a try, and the release in its finally.</summary>
    private static BlockSyntax WithTryFinally(BlockSyntax block, ExpressionStatementSyntax enter, ExpressionStatementSyntax exit)
    {
        var statements = block.Statements;
        var first = statements.IndexOf(enter);
        var last = statements.IndexOf(exit);
        var body = Block(List(statements.Skip(first + 1).Take(last - first - 1)));
        var tryStatement = TryStatement(body, default, FinallyClause(Block(exit.WithoutTrailingTrivia())))
            .WithTrailingTrivia(exit.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        var rewritten = statements.Take(first + 1).Append(tryStatement).Concat(statements.Skip(last + 1));
        return block.WithStatements(List(rewritten));
    }
}
