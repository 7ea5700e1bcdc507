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

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR013 fix "Take the same lock": wraps the statement of the unguarded access in <c>lock (gate)</c>, with the one
/// lock that guards the field elsewhere (the analyzer names it only when there is exactly one and nothing is held at
/// the access). Fix All wraps each statement once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR013InconsistentSynchronizationCodeFix)), Shared]
public sealed class THR013InconsistentSynchronizationCodeFix : DocumentCodeFix
{
    internal const string TakeTheLockKey = "THR013.TakeTheLock";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR013");

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Gate(diagnostic) is { } gate && StatementOf(root, diagnostic) is not null)
        {
            yield return new FixOffer($"Take the lock '{gate}'", TakeTheLockKey);
        }
    }

    // Two diagnostics may share a statement: one pass per document wraps it once.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        // One kind of fix: Fix All without a key (dotnet format's) means this one.
        if (equivalenceKey.Length != 0 && equivalenceKey != TakeTheLockKey)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var wrapped = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics)
        {
            if (Gate(diagnostic) is not { } gate || StatementOf(editor.OriginalRoot, diagnostic) is not { } statement || !wrapped.Add(statement))
            {
                continue;
            }

            var locked = SyntaxFactory.LockStatement(
                    SyntaxFactory.ParseExpression(gate),
                    SyntaxFactory.Block(statement.WithoutTrivia()))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(statement, locked);
        }

        return editor.GetChangedDocument();
    }

    private static string? Gate(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(THR013InconsistentSynchronizationAnalyzer.GateProperty, out var gate) ? gate : null;

    /// <summary>The statement that is the access: an expression statement in a block (a lock cannot hold an await).</summary>
    private static ExpressionStatementSyntax? StatementOf(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node.Parent is ExpressionStatementSyntax { Parent: BlockSyntax } statement && statement.Expression == node
            && !statement.DescendantNodes(n => n is not AnonymousFunctionExpressionSyntax).OfType<AwaitExpressionSyntax>().Any()
            ? statement
            : null;
    }
}
