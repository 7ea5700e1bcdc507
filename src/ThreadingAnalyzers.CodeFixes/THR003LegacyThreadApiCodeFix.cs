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
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using FixKind = ThreadingAnalyzers.Rules.THR003LegacyThreadApiAnalyzer.FixKind;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR003: rewrites a legacy Thread member to its modern equivalent where the rewrite is mechanical.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR003LegacyThreadApiCodeFix)), Shared]
public sealed class THR003LegacyThreadApiCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "THR003.UseModernApi";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR003.Id);

    // Each site is rewritten in place and nested sites compose through the editor, so one pass per document fixes all.
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

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
            context.RegisterCodeFix(
                CodeAction.Create(
                    Title(site.Kind),
                    cancellationToken => FixAllInDocumentAsync(document, ImmutableArray.Create(diagnostic), cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    private static Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        FixAllInDocumentAsync(document, diagnostics, context.CancellationToken)!;

    private static async Task<Document> FixAllInDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var compilation = editor.SemanticModel.Compilation;
        foreach (var diagnostic in diagnostics)
        {
            if (FindSite(editor.OriginalRoot, diagnostic) is { } site)
            {
                Rewrite(editor, compilation, site);
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>The node a fixable diagnostic points at, when it has the shape the rewrite expects.</summary>
    private static Site? FindSite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(THR003LegacyThreadApiAnalyzer.FixProperty, out var kind) || kind is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var expected = kind switch
        {
            FixKind.VolatileRead or FixKind.VolatileWrite or FixKind.MemoryBarrier =>
                node is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax,
            FixKind.CurrentDomain => node is InvocationExpressionSyntax,
            FixKind.CurrentManagedThreadId => node is MemberAccessExpressionSyntax,
            FixKind.SetApartmentState => node is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax },
            FixKind.GetApartmentState => node is MemberAccessExpressionSyntax or MemberBindingExpressionSyntax,
            _ => false,
        };
        return expected && node.Span == diagnostic.Location.SourceSpan ? new Site(node, kind) : null;
    }

    private static string Title(string kind) => kind switch
    {
        FixKind.VolatileRead => "Use Volatile.Read",
        FixKind.VolatileWrite => "Use Volatile.Write",
        FixKind.MemoryBarrier => "Use Interlocked.MemoryBarrier",
        FixKind.CurrentDomain => "Use AppDomain.CurrentDomain",
        FixKind.CurrentManagedThreadId => "Use Environment.CurrentManagedThreadId",
        FixKind.SetApartmentState => "Use SetApartmentState",
        _ => "Use GetApartmentState",
    };

    private static void Rewrite(DocumentEditor editor, Compilation compilation, Site site)
    {
        switch (site.Kind)
        {
            case FixKind.VolatileRead:
                ReplaceCallee(editor, compilation, site.Node, "System.Threading.Volatile", "Read");
                break;
            case FixKind.VolatileWrite:
                ReplaceCallee(editor, compilation, site.Node, "System.Threading.Volatile", "Write");
                break;
            case FixKind.MemoryBarrier:
                ReplaceCallee(editor, compilation, site.Node, "System.Threading.Interlocked", "MemoryBarrier");
                break;
            case FixKind.CurrentDomain:
                ReplaceWithStaticProperty(editor, compilation, site.Node, "System.AppDomain", "CurrentDomain");
                break;
            case FixKind.CurrentManagedThreadId:
                ReplaceWithStaticProperty(editor, compilation, site.Node, "System.Environment", "CurrentManagedThreadId");
                break;
            case FixKind.SetApartmentState:
                editor.ReplaceNode(site.Node, (current, _) => SetApartmentState((AssignmentExpressionSyntax)current));
                break;
            case FixKind.GetApartmentState:
                editor.ReplaceNode(site.Node, (current, _) => GetApartmentState((ExpressionSyntax)current));
                break;
        }
    }

    /// <summary><c>Thread.VolatileRead(address: ref x)</c> becomes <c>Volatile.Read(ref x)</c>: the callee changes, the arguments stay.</summary>
    private static void ReplaceCallee(DocumentEditor editor, Compilation compilation, SyntaxNode node, string typeName, string memberName)
    {
        if (compilation.GetTypeByMetadataName(typeName) is not { } type)
        {
            return;
        }

        var callee = node is InvocationExpressionSyntax invocation ? invocation.Expression : node;
        editor.ReplaceNode(callee, (current, generator) => QualifiedMember(generator, type, memberName).WithTriviaFrom(current));

        if (node is InvocationExpressionSyntax { ArgumentList.Arguments: var arguments })
        {
            // The replacement's parameters have other names; the analyzer offers the fix only for positional order.
            foreach (var argument in arguments.Where(a => a.NameColon is not null))
            {
                editor.ReplaceNode(argument, (current, _) =>
                {
                    var named = (ArgumentSyntax)current;
                    return named.WithNameColon(null).WithLeadingTrivia(named.GetLeadingTrivia());
                });
            }
        }
    }

    /// <summary><c>Thread.GetDomain()</c> becomes <c>AppDomain.CurrentDomain</c>; the whole expression is replaced.</summary>
    private static void ReplaceWithStaticProperty(DocumentEditor editor, Compilation compilation, SyntaxNode node, string typeName, string memberName)
    {
        if (compilation.GetTypeByMetadataName(typeName) is { } type)
        {
            editor.ReplaceNode(node, (current, generator) => QualifiedMember(generator, type, memberName).WithTriviaFrom(current));
        }
    }

    /// <summary>A fully qualified member access that the cleanup reduces to <c>Type.Member</c>, adding the using when needed.</summary>
    private static SyntaxNode QualifiedMember(SyntaxGenerator generator, INamedTypeSymbol type, string memberName) =>
        generator.MemberAccessExpression(generator.TypeExpression(type, addImport: true), memberName)
            .WithAdditionalAnnotations(Simplifier.Annotation);

    /// <summary><c>t.ApartmentState = x;</c> becomes <c>t.SetApartmentState(x);</c>, keeping comments around the <c>=</c>.</summary>
    private static SyntaxNode SetApartmentState(AssignmentExpressionSyntax assignment)
    {
        var target = (MemberAccessExpressionSyntax)assignment.Left;
        var value = assignment.Right.WithoutTrailingTrivia().WithLeadingTrivia(Comments(
            target.Name.GetTrailingTrivia(),
            assignment.OperatorToken.LeadingTrivia,
            assignment.OperatorToken.TrailingTrivia,
            assignment.Right.GetLeadingTrivia()));
        var callee = target.WithName(IdentifierName("SetApartmentState").WithLeadingTrivia(target.Name.GetLeadingTrivia()));
        return InvocationExpression(callee, ArgumentList(SingletonSeparatedList(Argument(value))))
            .WithLeadingTrivia(assignment.GetLeadingTrivia())
            .WithTrailingTrivia(assignment.GetTrailingTrivia());
    }

    /// <summary><c>t.ApartmentState</c> becomes <c>t.GetApartmentState()</c> (and <c>t?.ApartmentState</c> becomes <c>t?.GetApartmentState()</c>).</summary>
    private static SyntaxNode GetApartmentState(ExpressionSyntax read)
    {
        var name = IdentifierName("GetApartmentState");
        ExpressionSyntax callee = read switch
        {
            MemberAccessExpressionSyntax access => access.WithName(name.WithLeadingTrivia(access.Name.GetLeadingTrivia())),
            MemberBindingExpressionSyntax binding => binding.WithName(name.WithLeadingTrivia(binding.Name.GetLeadingTrivia())),
            _ => read,
        };
        return InvocationExpression(callee.WithoutTrailingTrivia(), ArgumentList())
            .WithTrailingTrivia(read.GetTrailingTrivia());
    }

    /// <summary>The comments of <paramref name="lists"/>, each still ending its line when it is a <c>//</c> comment.</summary>
    private static SyntaxTriviaList Comments(params SyntaxTriviaList[] lists)
    {
        var comments = new List<SyntaxTrivia>();
        foreach (var list in lists)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].IsKind(SyntaxKind.MultiLineCommentTrivia))
                {
                    comments.Add(list[i]);
                    comments.Add(Space);
                }
                else if (list[i].IsKind(SyntaxKind.SingleLineCommentTrivia))
                {
                    comments.Add(list[i]);
                    comments.Add(i + 1 < list.Count && list[i + 1].IsKind(SyntaxKind.EndOfLineTrivia) ? list[i + 1] : ElasticCarriageReturnLineFeed);
                }
            }
        }

        return TriviaList(comments);
    }

    private sealed class Site
    {
        public Site(SyntaxNode node, string kind)
        {
            Node = node;
            Kind = kind;
        }

        public SyntaxNode Node { get; }

        public string Kind { get; }
    }
}
