using System;
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
using ThreadingAnalyzers.Internals;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>THR001 fixes: "Join the thread" and "Make it a background thread".</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR001UnjoinedForegroundThreadCodeFix)), Shared]
public sealed class THR001UnjoinedForegroundThreadCodeFix : DocumentCodeFix
{
    public const string JoinKey = "THR001.Join";
    public const string BackgroundKey = "THR001.Background";

    private static readonly string[] StopMethodNames = { "Dispose", "Stop", "Close" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR001.Id);

    protected override bool NeedsSemanticModel => true;

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan(root, model!, diagnostic, JoinKey, new EditSession(), cancellationToken) is not null)
        {
            yield return new FixOffer("Join the thread", JoinKey);
        }

        if (Plan(root, model!, diagnostic, BackgroundKey, new EditSession(), cancellationToken) is not null)
        {
            yield return new FixOffer("Make it a background thread", BackgroundKey);
        }
    }

    // The fixes insert statements next to each other and introduce locals: one editor per document keeps them apart.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var session = new EditSession();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            Plan(editor.OriginalRoot, editor.SemanticModel, diagnostic, equivalenceKey, session, cancellationToken)?.Invoke(editor);
        }

        session.InsertPending(editor);
        return editor.GetChangedDocument();
    }

    /// <summary>The edit for one diagnostic, or null when the fix cannot be sure of compiling code.</summary>
    private static Action<DocumentEditor>? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, string key, EditSession session, CancellationToken cancellationToken)
    {
        var start = InvocationName.FromNameSpan(root, diagnostic.Location.SourceSpan);
        if (start?.Expression is not MemberAccessExpressionSyntax { Expression: var receiver })
        {
            return null;
        }

        var statement = start.Parent as ExpressionStatementSyntax;
        if (receiver is ObjectCreationExpressionSyntax creation)
        {
            return key == JoinKey ? PlanJoinInline(model, creation, statement, session, cancellationToken) : PlanInitializer(creation);
        }

        var symbol = model.GetSymbolInfo(receiver, cancellationToken).Symbol;
        return (symbol, key) switch
        {
            (ILocalSymbol local, JoinKey) => PlanJoinLocal(model, local, statement, session, cancellationToken),
            (ILocalSymbol local, BackgroundKey) => PlanBackgroundLocal(model, local, receiver, statement, cancellationToken),
            (IFieldSymbol field, JoinKey) => PlanJoinField(model, field, session, cancellationToken),
            (IFieldSymbol, BackgroundKey) => PlanBackgroundStatement(receiver, statement),
            _ => null,
        };
    }

    private static Action<DocumentEditor>? PlanJoinLocal(SemanticModel model, ILocalSymbol local, ExpressionStatementSyntax? statement, EditSession session, CancellationToken cancellationToken)
    {
        if (statement is null || JoinAnchor(model, statement, local, cancellationToken) is not { } anchor
            || !session.Reserve($"{anchor.Node.SpanStart}:{anchor.Before}:{local.Name}"))
        {
            return null;
        }

        return _ => session.Insert(anchor, JoinStatement(IdentifierName(local.Name), conditional: false));
    }

    private static Action<DocumentEditor>? PlanJoinInline(SemanticModel model, ObjectCreationExpressionSyntax creation, ExpressionStatementSyntax? statement, EditSession session, CancellationToken cancellationToken)
    {
        if (statement is null || JoinAnchor(model, statement, local: null, cancellationToken) is not { } anchor)
        {
            return null;
        }

        var name = session.UniqueName(model, statement, "thread", cancellationToken);
        var declaration = LocalDeclarationStatement(
            VariableDeclaration(IdentifierName("var"))
                .AddVariables(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(creation.WithoutTrivia()))))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        // The statement's comments move to the declaration that now opens it; the Start() keeps the indentation.
        var indentation = creation.GetLeadingTrivia().Reverse().TakeWhile(t => !t.IsKind(SyntaxKind.EndOfLineTrivia)).Reverse();
        return editor =>
        {
            editor.ReplaceNode(creation, IdentifierName(name).WithLeadingTrivia(indentation).WithTrailingTrivia(creation.GetTrailingTrivia()));
            editor.InsertBefore(StatementOrGlobal(statement), WrapLike(statement, declaration));
            session.Insert(anchor, JoinStatement(IdentifierName(name), conditional: false));
        };
    }

    private static Action<DocumentEditor>? PlanJoinField(SemanticModel model, IFieldSymbol field, EditSession session, CancellationToken cancellationToken)
    {
        var candidates = field.ContainingType.GetMembers()
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.Parameters.Length == 0 && StopMethodNames.Contains(m.Name))
            .ToList();
        if (candidates.Count != 1 || (candidates[0].IsStatic && !field.IsStatic))
        {
            return null;
        }

        var stopMethod = candidates[0].DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null && m.SyntaxTree == model.SyntaxTree);
        if (stopMethod?.Body is null
            || stopMethod.ParameterList.Parameters.Count != 0
            || stopMethod.Body.DescendantNodes().OfType<VariableDeclaratorSyntax>().Any(v => v.Identifier.ValueText == field.Name)
            || !session.Reserve($"{stopMethod.SpanStart}:{field.Name}"))
        {
            return null;
        }

        var join = JoinStatement(IdentifierName(field.Name), conditional: CanBeNull(field, cancellationToken));
        var statements = stopMethod.Body.Statements;
        var firstReturn = statements.OfType<ReturnStatementSyntax>().FirstOrDefault();
        (SyntaxNode Node, bool Before) anchor = firstReturn is not null ? (firstReturn, true)
            : statements.Count > 0 ? (statements.Last(), false)
            : (stopMethod.Body, false);
        return _ => session.Insert(anchor, join);
    }

    private static Action<DocumentEditor>? PlanBackgroundLocal(SemanticModel model, ILocalSymbol local, ExpressionSyntax receiver, ExpressionStatementSyntax? statement, CancellationToken cancellationToken)
    {
        // The creation's own initializer is the natural place when the local is never reassigned.
        if (local.DeclaringSyntaxReferences.Length == 1
            && local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax
            {
                Initializer.Value: ObjectCreationExpressionSyntax { Initializer: not null } creation,
            } declarator
            && !IsAssignedAfterDeclaration(model, declarator, local, cancellationToken))
        {
            return PlanInitializer(creation);
        }

        return PlanBackgroundStatement(receiver, statement);
    }

    private static Action<DocumentEditor>? PlanBackgroundStatement(ExpressionSyntax receiver, ExpressionStatementSyntax? statement)
    {
        if (statement is null || StatementOrGlobal(statement).Parent is not (BlockSyntax or CompilationUnitSyntax or SwitchSectionSyntax))
        {
            return null;
        }

        var assignment = ExpressionStatement(
                AssignmentExpression(
                    SyntaxKind.SimpleAssignmentExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver.WithoutTrivia(), IdentifierName("IsBackground")),
                    LiteralExpression(SyntaxKind.TrueLiteralExpression)))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return editor => editor.InsertBefore(StatementOrGlobal(statement), WrapLike(statement, assignment));
    }

    /// <summary>Adds <c>IsBackground = true</c> to the creation's initializer, replacing <c>IsBackground = false</c>.</summary>
    private static Action<DocumentEditor> PlanInitializer(ObjectCreationExpressionSyntax creation)
    {
        var isBackground = AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, IdentifierName("IsBackground"), LiteralExpression(SyntaxKind.TrueLiteralExpression));
        return editor =>
        {
            if (creation.Initializer is null)
            {
                var withInitializer = creation
                    .WithArgumentList(creation.ArgumentList?.WithoutTrailingTrivia())
                    .WithInitializer(InitializerExpression(SyntaxKind.ObjectInitializerExpression, SingletonSeparatedList<ExpressionSyntax>(isBackground)))
                    .WithTrailingTrivia(creation.GetTrailingTrivia())
                    .WithAdditionalAnnotations(Formatter.Annotation);
                editor.ReplaceNode(creation, withInitializer);
                return;
            }

            var existing = creation.Initializer.Expressions.OfType<AssignmentExpressionSyntax>()
                .FirstOrDefault(a => a.Left is IdentifierNameSyntax { Identifier.ValueText: "IsBackground" });
            if (existing is not null)
            {
                editor.ReplaceNode(existing.Right, LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(existing.Right));
            }
            else
            {
                editor.ReplaceNode(creation.Initializer, AddToInitializer(creation.Initializer, isBackground));
            }
        };
    }

    private static InitializerExpressionSyntax AddToInitializer(InitializerExpressionSyntax initializer, ExpressionSyntax expression)
    {
        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            return initializer.WithExpressions(SingletonSeparatedList(expression.WithLeadingTrivia(Space).WithTrailingTrivia(Space)));
        }

        // Keep the layout: one member per line in a multi-line initializer, ", " on a single line.
        var last = expressions[expressions.Count - 1];
        var multiLine = initializer.DescendantTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var items = expressions.ToList();
        var separators = expressions.GetSeparators().ToList();
        if (expressions.SeparatorCount == expressions.Count)
        {
            // A trailing comma already ends the list: add the member and a comma like it.
            var lastSeparator = separators[separators.Count - 1];
            items.Add(expression.WithLeadingTrivia(multiLine ? last.GetLeadingTrivia() : TriviaList(Space)));
            separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastSeparator.TrailingTrivia));
        }
        else
        {
            items[items.Count - 1] = last.WithTrailingTrivia(SyntaxTriviaList.Empty);
            separators.Add(multiLine
                ? Token(SyntaxKind.CommaToken).WithTrailingTrivia(last.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? last.GetTrailingTrivia() : TriviaList(ElasticCarriageReturnLineFeed))
                : Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
            items.Add(expression.WithLeadingTrivia(multiLine ? last.GetLeadingTrivia() : SyntaxTriviaList.Empty).WithTrailingTrivia(last.GetTrailingTrivia()));
        }

        return initializer.WithExpressions(SeparatedList(items, separators));
    }

    /// <summary>Where the join goes: before the first later return or reassignment of the local in the same statement list, else at its end.</summary>
    private static (SyntaxNode Node, bool Before)? JoinAnchor(SemanticModel model, ExpressionStatementSyntax statement, ILocalSymbol? local, CancellationToken cancellationToken)
    {
        var node = StatementOrGlobal(statement);
        IReadOnlyList<SyntaxNode> list = node.Parent switch
        {
            BlockSyntax block => block.Statements,
            SwitchSectionSyntax section => section.Statements,
            CompilationUnitSyntax unit => unit.Members.OfType<GlobalStatementSyntax>().ToList(),
            _ => Array.Empty<SyntaxNode>(),
        };
        var index = IndexOf(list, node);
        if (index < 0)
        {
            return null;
        }

        for (var i = index + 1; i < list.Count; i++)
        {
            var candidate = list[i] is GlobalStatementSyntax global ? global.Statement : list[i];
            if (candidate is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or ThrowStatementSyntax
                || (local is not null && AssignsLocal(model, candidate, local, cancellationToken)))
            {
                return (list[i], true);
            }
        }

        var last = list[list.Count - 1];
        for (var i = list.Count - 1; i > index && list[i] is GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax }; i--)
        {
            last = list[i - 1];
        }

        return node.Parent is SwitchSectionSyntax ? null : (last, false);
    }

    private static int IndexOf(IReadOnlyList<SyntaxNode> list, SyntaxNode node)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == node)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AssignsLocal(SemanticModel model, SyntaxNode node, ILocalSymbol local, CancellationToken cancellationToken) =>
        node.DescendantNodesAndSelf().OfType<AssignmentExpressionSyntax>().Any(a =>
            a.Left is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local));

    private static bool IsAssignedAfterDeclaration(SemanticModel model, VariableDeclaratorSyntax declarator, ILocalSymbol local, CancellationToken cancellationToken)
    {
        var scope = declarator.FirstAncestorOrSelf<BlockSyntax>() ?? (SyntaxNode)declarator.SyntaxTree.GetRoot(cancellationToken);
        return AssignsLocal(model, scope, local, cancellationToken);
    }

    private static StatementSyntax JoinStatement(ExpressionSyntax thread, bool conditional)
    {
        ExpressionSyntax call = conditional
            ? ConditionalAccessExpression(thread, InvocationExpression(MemberBindingExpression(IdentifierName("Join"))))
            : InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, thread, IdentifierName("Join")));
        return ExpressionStatement(call).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>A field can be null at Dispose/Stop/Close time unless it is readonly and created in its declaration.</summary>
    private static bool CanBeNull(IFieldSymbol field, CancellationToken cancellationToken) =>
        !(field.IsReadOnly && field.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: ObjectCreationExpressionSyntax }));

    private static SyntaxNode StatementOrGlobal(StatementSyntax statement) =>
        statement.Parent is GlobalStatementSyntax global ? global : statement;

    /// <summary>
    /// A statement to insert next to <paramref name="neighbour"/>. Top-level statements are laid out by hand, since
    /// the formatter separates global members with blank lines.
    /// </summary>
    private static SyntaxNode WrapLike(SyntaxNode neighbour, StatementSyntax statement)
    {
        if (neighbour is not GlobalStatementSyntax && neighbour.Parent is not GlobalStatementSyntax)
        {
            return statement;
        }

        var endOfLine = neighbour.GetTrailingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var leading = statement.GetLeadingTrivia().Any(t => !t.IsKind(SyntaxKind.WhitespaceTrivia) && !t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? statement.GetLeadingTrivia()
            : SyntaxTriviaList.Empty;
        return GlobalStatement(statement.WithoutAnnotations(Formatter.Annotation).NormalizeWhitespace()
            .WithLeadingTrivia(leading)
            .WithTrailingTrivia(endOfLine.IsKind(SyntaxKind.EndOfLineTrivia) ? endOfLine : CarriageReturnLineFeed));
    }

    /// <summary>What one fix or one Fix All has already claimed (inserted joins, introduced names) and the statements it inserts.</summary>
    private sealed class EditSession
    {
        private readonly HashSet<string> _claims = new(StringComparer.Ordinal);
        private readonly List<((SyntaxNode Node, bool Before) Anchor, List<StatementSyntax> Statements)> _pending = new();

        /// <summary>Queues a statement next to an anchor statement (or at the end of an empty block); queued statements keep their order.</summary>
        public void Insert((SyntaxNode Node, bool Before) anchor, StatementSyntax statement)
        {
            var slot = _pending.FindIndex(p => p.Anchor.Node == anchor.Node && p.Anchor.Before == anchor.Before);
            if (slot < 0)
            {
                _pending.Add((anchor, new List<StatementSyntax>()));
                slot = _pending.Count - 1;
            }

            _pending[slot].Statements.Add(statement);
        }

        public void InsertPending(DocumentEditor editor)
        {
            foreach (var (anchor, statements) in _pending)
            {
                if (anchor.Node is BlockSyntax emptyBlock)
                {
                    editor.ReplaceNode(emptyBlock, emptyBlock.AddStatements(statements.ToArray()).WithAdditionalAnnotations(Formatter.Annotation));
                    continue;
                }

                var nodes = statements.Select(statement => WrapLike(anchor.Node, statement));
                if (anchor.Before)
                {
                    editor.InsertBefore(anchor.Node, nodes);
                }
                else
                {
                    editor.InsertAfter(anchor.Node, nodes);
                }
            }
        }

        public bool Reserve(string claim) => _claims.Add(claim);

        public string UniqueName(SemanticModel model, SyntaxNode at, string baseName, CancellationToken cancellationToken)
        {
            var scope = (SyntaxNode?)at.FirstAncestorOrSelf<MemberDeclarationSyntax>(m => m is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax or GlobalStatementSyntax) ?? at;
            if (scope is GlobalStatementSyntax)
            {
                scope = scope.Parent!;
            }

            var taken = new HashSet<string>(scope.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText), StringComparer.Ordinal);
            taken.UnionWith(model.LookupSymbols(at.SpanStart).Select(s => s.Name));
            for (var i = 1; ; i++)
            {
                var candidate = i == 1 ? baseName : baseName + i;
                if (!taken.Contains(candidate) && _claims.Add("name:" + scope.SpanStart + ":" + candidate))
                {
                    return candidate;
                }
            }
        }
    }
}
