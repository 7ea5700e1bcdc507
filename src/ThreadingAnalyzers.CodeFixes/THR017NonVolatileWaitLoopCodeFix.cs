using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
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

/// <summary>THR017: the read in the waiting loop's condition becomes <c>Volatile.Read(ref x)</c>, which every iteration performs.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR017NonVolatileWaitLoopCodeFix)), Shared]
public sealed class THR017NonVolatileWaitLoopCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR017.UseVolatileRead";

    private const string VolatileTypeName = "System.Threading.Volatile";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR017.Id);

    // Each read is replaced in place; one pass per document fixes all of them and adds the using once.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindRead(root, diagnostic) is not null)
        {
            yield return new FixOffer("Use Volatile.Read", EquivalenceKey);
        }
    }

    protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken) =>
        ReplaceAndImport.ApplyAsync(document, VolatileTypeName, diagnostics, FindRead, static (read, _) => VolatileRead((ExpressionSyntax)read), cancellationToken);

    /// <summary><c>Volatile.Read(ref x)</c>, the type written in full for the cleanup to shorten.</summary>
    private static ExpressionSyntax VolatileRead(ExpressionSyntax read) =>
        InvocationExpression(
                ParseExpression("global::" + VolatileTypeName + ".Read").WithAdditionalAnnotations(Simplifier.Annotation),
                ArgumentList(SingletonSeparatedList(Argument(read.WithoutTrivia()).WithRefKindKeyword(Token(SyntaxKind.RefKeyword)))))
            .WithTriviaFrom(read);

    /// <summary>The read of a diagnostic that the analyzer marked fixable: a name, or a member access of one.</summary>
    private static ExpressionSyntax? FindRead(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(THR017NonVolatileWaitLoopAnalyzer.FixProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax read
        && read.Span == diagnostic.Location.SourceSpan
        && read is IdentifierNameSyntax or MemberAccessExpressionSyntax
            ? read
            : null;
}
