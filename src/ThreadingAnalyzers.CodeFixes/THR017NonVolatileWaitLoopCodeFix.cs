using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using ThreadingAnalyzers.Concurrency;
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

    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (ThreadingTypes.From(editor.SemanticModel.Compilation).Resolve(VolatileTypeName) is not { } volatileType)
        {
            return document;
        }

        var sites = new List<(INamedTypeSymbol Type, int Position)>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindRead(editor.OriginalRoot, diagnostic) is { } read)
            {
                var call = InvocationExpression(
                        ParseExpression("global::" + VolatileTypeName + ".Read").WithAdditionalAnnotations(Simplifier.Annotation),
                        ArgumentList(SingletonSeparatedList(Argument(read.WithoutTrivia()).WithRefKindKeyword(Token(SyntaxKind.RefKeyword)))))
                    .WithTriviaFrom(read);
                editor.ReplaceNode(read, call);
                sites.Add((volatileType, read.SpanStart));
            }
        }

        var root = editor.GetChangedRoot();
        foreach (var import in Imports.Missing(editor.SemanticModel, sites))
        {
            root = Imports.Add(root, import);
        }

        return document.WithSyntaxRoot(root);
    }

    /// <summary>The read of a diagnostic that the analyzer marked fixable: a name, or a member access of one.</summary>
    private static ExpressionSyntax? FindRead(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(THR017NonVolatileWaitLoopAnalyzer.FixProperty)
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is ExpressionSyntax read
        && read.Span == diagnostic.Location.SourceSpan
        && read is IdentifierNameSyntax or MemberAccessExpressionSyntax
            ? read
            : null;
}
