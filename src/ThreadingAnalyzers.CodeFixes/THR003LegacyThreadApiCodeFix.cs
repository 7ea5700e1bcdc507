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
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using ThreadingAnalyzers.Concurrency;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;
using FixKind = ThreadingAnalyzers.Rules.THR003LegacyThreadApiAnalyzer.FixKind;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR003: rewrites a legacy Thread member to its modern equivalent where the rewrite is mechanical.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR003LegacyThreadApiCodeFix)), Shared]
public sealed class THR003LegacyThreadApiCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR003.UseModernApi";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR003.Id);

    // Each site is rewritten in place and nested sites compose through the editor, so one pass per document fixes all.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (FindSite(root, diagnostic) is { } site)
        {
            yield return new FixOffer(Title(site.Kind), EquivalenceKey);
        }
    }

    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var rewrite = new Rewriter(editor);
        foreach (var diagnostic in diagnostics)
        {
            if (FindSite(editor.OriginalRoot, diagnostic) is { } site)
            {
                rewrite.Apply(site);
            }
        }

        return document.WithSyntaxRoot(rewrite.AddMissingImports(editor.GetChangedRoot()));
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

    /// <summary><c>t.ApartmentState = x;</c> becomes <c>t.SetApartmentState(x);</c>, keeping comments around the <c>=</c>.</summary>
    private static SyntaxNode SetApartmentState(AssignmentExpressionSyntax assignment)
    {
        var target = (MemberAccessExpressionSyntax)assignment.Left;
        var value = assignment.Right.WithoutTrailingTrivia().WithLeadingTrivia(Comments(
            target.Name.GetTrailingTrivia(),
            assignment.OperatorToken.LeadingTrivia,
            assignment.OperatorToken.TrailingTrivia,
            assignment.Right.GetLeadingTrivia()));
        var callee = target.WithName(Name("SetApartmentState", target.Name.GetLeadingTrivia()));
        return InvocationExpression(callee, Arguments(Argument(value)))
            .WithLeadingTrivia(assignment.GetLeadingTrivia())
            .WithTrailingTrivia(assignment.GetTrailingTrivia());
    }

    /// <summary><c>t.ApartmentState</c> becomes <c>t.GetApartmentState()</c> (and <c>t?.ApartmentState</c> becomes <c>t?.GetApartmentState()</c>).</summary>
    private static SyntaxNode GetApartmentState(ExpressionSyntax read)
    {
        ExpressionSyntax callee = read switch
        {
            MemberAccessExpressionSyntax access => access.WithName(Name("GetApartmentState", access.Name.GetLeadingTrivia())),
            MemberBindingExpressionSyntax binding => binding.WithName(Name("GetApartmentState", binding.Name.GetLeadingTrivia())),
            _ => read,
        };
        return InvocationExpression(callee.WithoutTrailingTrivia(), Arguments())
            .WithTrailingTrivia(read.GetTrailingTrivia());
    }

    // Tokens without elastic trivia: the cleanup would otherwise reformat around them.
    private static IdentifierNameSyntax Name(string text, SyntaxTriviaList leading) =>
        IdentifierName(Identifier(leading, text, SyntaxTriviaList.Empty));

    private static ArgumentListSyntax Arguments(params ArgumentSyntax[] arguments) =>
        ArgumentList(
            Token(SyntaxTriviaList.Empty, SyntaxKind.OpenParenToken, SyntaxTriviaList.Empty),
            SeparatedList(arguments),
            Token(SyntaxTriviaList.Empty, SyntaxKind.CloseParenToken, SyntaxTriviaList.Empty));

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

    /// <summary>Applies the rewrites of one document and records the types they name, to import them afterwards if needed.</summary>
    private sealed class Rewriter
    {
        private readonly DocumentEditor _editor;
        private readonly List<(INamedTypeSymbol Type, int Position)> _namedTypes = new();

        public Rewriter(DocumentEditor editor) => _editor = editor;

        private SemanticModel Model => _editor.SemanticModel;

        public void Apply(Site site)
        {
            switch (site.Kind)
            {
                case FixKind.VolatileRead:
                    ReplaceCallee(site.Node, "System.Threading.Volatile", "Read");
                    break;
                case FixKind.VolatileWrite:
                    ReplaceCallee(site.Node, "System.Threading.Volatile", "Write");
                    break;
                case FixKind.MemoryBarrier:
                    ReplaceCallee(site.Node, "System.Threading.Interlocked", "MemoryBarrier");
                    break;
                case FixKind.CurrentDomain:
                    ReplaceWithStaticMember(site.Node, "System.AppDomain", "CurrentDomain");
                    break;
                case FixKind.CurrentManagedThreadId:
                    ReplaceWithStaticMember(site.Node, "System.Environment", "CurrentManagedThreadId");
                    break;
                case FixKind.SetApartmentState:
                    _editor.ReplaceNode(site.Node, (current, _) => SetApartmentState((AssignmentExpressionSyntax)current));
                    break;
                case FixKind.GetApartmentState:
                    _editor.ReplaceNode(site.Node, (current, _) => GetApartmentState((ExpressionSyntax)current));
                    break;
            }
        }

        /// <summary>Imports the namespaces that make the new names bind without qualification, where importing them is safe.</summary>
        public SyntaxNode AddMissingImports(SyntaxNode root) => Imports.AddMissing(root, Model, _namedTypes);

        /// <summary><c>Thread.VolatileRead(address: ref x)</c> becomes <c>Volatile.Read(ref x)</c>: the callee changes, the arguments stay.</summary>
        private void ReplaceCallee(SyntaxNode node, string typeName, string memberName)
        {
            if (ThreadingTypes.From(Model.Compilation).Resolve(typeName) is not { } type)
            {
                return;
            }

            var callee = node is InvocationExpressionSyntax invocation ? invocation.Expression : node;
            _namedTypes.Add((type, callee.SpanStart));
            _editor.ReplaceNode(callee, (current, _) => QualifiedMember(type, memberName).WithTriviaFrom(current));

            if (node is InvocationExpressionSyntax { ArgumentList.Arguments: var arguments })
            {
                // The replacement's parameters have other names; the analyzer offers the fix only for positional order.
                foreach (var argument in arguments.Where(a => a.NameColon is not null))
                {
                    _editor.ReplaceNode(argument, (current, _) =>
                    {
                        var named = (ArgumentSyntax)current;
                        return named.WithNameColon(null).WithLeadingTrivia(named.GetLeadingTrivia());
                    });
                }
            }
        }

        /// <summary><c>Thread.GetDomain()</c> becomes <c>AppDomain.CurrentDomain</c>: the whole expression is replaced.</summary>
        private void ReplaceWithStaticMember(SyntaxNode node, string typeName, string memberName)
        {
            if (ThreadingTypes.From(Model.Compilation).Resolve(typeName) is { } type)
            {
                _namedTypes.Add((type, node.SpanStart));
                _editor.ReplaceNode(node, (current, _) => QualifiedMember(type, memberName).WithTriviaFrom(current));
            }
        }

        /// <summary><c>global::Ns.Type.Member</c>, which the cleanup reduces to the shortest name that binds.</summary>
        private static ExpressionSyntax QualifiedMember(INamedTypeSymbol type, string memberName) =>
            ParseExpression(type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + "." + memberName)
                .WithAdditionalAnnotations(Simplifier.Annotation);
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
