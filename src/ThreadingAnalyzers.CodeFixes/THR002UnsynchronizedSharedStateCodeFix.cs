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
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR002 fixes: "Use Interlocked" for int/long ++, --, += and -= whose value is unused (or is the new value), and
/// "Protect with lock", which wraps the statement in <c>lock (gate)</c>, reusing the type's one private readonly lock
/// object or adding one (a <c>System.Threading.Lock</c> where the compilation has it; static for static state).
/// Fix All adds one gate per type. A call on a shared <c>Random</c> also gets "Use Random.Shared" (<see cref="RandomSharedRewrite"/>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR002UnsynchronizedSharedStateCodeFix)), Shared]
public sealed class THR002UnsynchronizedSharedStateCodeFix : CodeFixProvider
{
    internal const string UseInterlockedKey = "THR002.UseInterlocked";
    internal const string ProtectWithLockKey = "THR002.ProtectWithLock";

    private const string GateName = "_sync";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR002");

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
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (IsInterlockedCandidate(diagnostic) && InterlockedUpdate.Replacement(node) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Use Interlocked", ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), UseInterlockedKey, ct), UseInterlockedKey),
                    diagnostic);
            }

            if (LockableStatement(node) is not null && node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
            {
                context.RegisterCodeFix(
                    CodeAction.Create("Protect with lock", ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), ProtectWithLockKey, ct), ProtectWithLockKey),
                    diagnostic);
            }

            if (node is InvocationExpressionSyntax && await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false) is { } model
                && RandomSharedRewrite.Receiver(node, model, context.CancellationToken) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(RandomSharedRewrite.Title, ct => FixAsync(context.Document, ImmutableArray.Create(diagnostic), RandomSharedRewrite.Key, ct), RandomSharedRewrite.Key),
                    diagnostic);
            }
        }
    }

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
        context.CodeActionEquivalenceKey is { } key ? await FixAsync(document, diagnostics, key, context.CancellationToken).ConfigureAwait(false) : document;

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        if (key == UseInterlockedKey)
        {
            if (ThreadingTypes.From(editor.SemanticModel.Compilation).Resolve(InterlockedUpdate.InterlockedTypeName) is not { } interlocked)
            {
                return document;
            }

            var sites = new List<(INamedTypeSymbol Type, int Position)>();
            foreach (var diagnostic in diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (IsInterlockedCandidate(diagnostic) && InterlockedUpdate.Replacement(node) is { } replacement)
                {
                    editor.ReplaceNode(node, replacement);
                    sites.Add((interlocked, node.SpanStart));
                }
            }

            // A using only where it makes the name bind and clashes with nothing (Imports.Missing), as THR016's fix does.
            var changed = editor.GetChangedRoot();
            foreach (var import in Imports.Missing(editor.SemanticModel, sites))
            {
                changed = Imports.Add(changed, import);
            }

            return await CleanUpAsync(document.WithSyntaxRoot(changed), cancellationToken).ConfigureAwait(false);
        }

        if (key == RandomSharedRewrite.Key)
        {
            RandomSharedRewrite.Apply(editor, diagnostics.Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true)), cancellationToken);
            return await CleanUpAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
        }

        var model = editor.SemanticModel;
        var gates = new Dictionary<(TypeDeclarationSyntax Type, bool IsStatic), string>();
        var newGates = new Dictionary<TypeDeclarationSyntax, List<SyntaxNode>>();
        var wrapped = new HashSet<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            var statement = LockableStatement(node);
            var type = node.FirstAncestorOrSelf<TypeDeclarationSyntax>();
            if (statement is null || type is not (ClassDeclarationSyntax or RecordDeclarationSyntax) || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
                || !wrapped.Add(statement))
            {
                continue;
            }

            var isStatic = NeedsStaticGate(node, model, cancellationToken);
            if (!gates.TryGetValue((type, isStatic), out var gate))
            {
                gate = ExistingGate(typeSymbol, isStatic, model.Compilation);
                if (gate is null)
                {
                    var (name, field) = LockGates.New(type, typeSymbol, isStatic, GateName, gates.Values.Contains, useLockType: true, model);
                    gate = name;
                    if (!newGates.TryGetValue(type, out var fields))
                    {
                        newGates.Add(type, fields = new List<SyntaxNode>());
                    }

                    fields.Add(field);
                }

                gates.Add((type, isStatic), gate);
            }

            var gateName = gate;
            if (statement is ExpressionSyntax { Parent: LambdaExpressionSyntax lambda })
            {
                // An expression-bodied lambda that returns nothing becomes a block holding the lock.
                editor.ReplaceNode(lambda, (current, _) =>
                {
                    var currentLambda = (LambdaExpressionSyntax)current;
                    if (currentLambda.ExpressionBody is not { } body)
                    {
                        return current;
                    }

                    var block = SyntaxFactory.Block(LockStatement(gateName, SyntaxFactory.ExpressionStatement(body.WithoutTrivia())));
                    return currentLambda.WithExpressionBody(null).WithArrowToken(currentLambda.ArrowToken.WithTrailingTrivia(SyntaxFactory.Space))
                        .WithBlock(block.WithTrailingTrivia(body.GetTrailingTrivia()))
                        .WithAdditionalAnnotations(Formatter.Annotation);
                });
            }
            else
            {
                editor.ReplaceNode(statement, (current, _) => LockStatement(gateName, (StatementSyntax)current)
                    .WithLeadingTrivia(current.GetLeadingTrivia())
                    .WithTrailingTrivia(current.GetTrailingTrivia())
                    .WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        foreach (var pair in newGates)
        {
            LockGates.Insert(editor, pair.Key, pair.Value);
        }

        return await CleanUpAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    private static LockStatementSyntax LockStatement(string gate, StatementSyntax statement) =>
        SyntaxFactory.LockStatement(SyntaxFactory.IdentifierName(gate), SyntaxFactory.Block(statement.WithoutLeadingTrivia().WithoutTrailingTrivia()));

    /// <summary>Adds the usings for annotated names, shortens them, and formats inserted code.</summary>
    private static async Task<Document> CleanUpAsync(Document document, CancellationToken cancellationToken)
    {
        document = await ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        document = await Simplifier.ReduceAsync(document, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await Formatter.FormatAsync(document, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool IsInterlockedCandidate(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(THR002UnsynchronizedSharedStateAnalyzer.FixKindProperty, out var kind)
        && kind == THR002UnsynchronizedSharedStateAnalyzer.InterlockedFix;

    /// <summary>
    /// The statement to wrap: an expression statement whose expression is the write, or the expression body of a
    /// lambda or member that returns nothing (it becomes a block). Null where wrapping would change meaning.
    /// </summary>
    private static SyntaxNode? LockableStatement(SyntaxNode node)
    {
        if (node is not ExpressionSyntax expression)
        {
            return null;
        }

        switch (expression.Parent)
        {
            case ExpressionStatementSyntax statement:
                return statement;
            case LambdaExpressionSyntax lambda when lambda.ExpressionBody == expression:
                return expression;
            default:
                return null;
        }
    }

    /// <summary>Static state, or code in a static member, takes a static gate.</summary>
    private static bool NeedsStaticGate(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var target = node switch
        {
            PostfixUnaryExpressionSyntax postfix => postfix.Operand,
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            AssignmentExpressionSyntax assignment => assignment.Left,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression,
            _ => null,
        };
        if (target is ElementAccessExpressionSyntax element)
        {
            target = element.Expression;
        }

        if (target is not null && model.GetSymbolInfo(target, cancellationToken).Symbol is IFieldSymbol { IsStatic: true } or IPropertySymbol { IsStatic: true })
        {
            return true;
        }

        return LockGates.IsInStaticMember(node, model, cancellationToken);
    }

    /// <summary>The type's one private readonly lock object (of the needed static-ness, or a static one for instance code).</summary>
    private static string? ExistingGate(INamedTypeSymbol type, bool isStatic, Compilation compilation)
    {
        var lockType = ThreadingTypes.From(compilation).Resolve("System.Threading.Lock");
        var gates = type.GetMembers().OfType<IFieldSymbol>()
            .Where(f => f.DeclaredAccessibility == Accessibility.Private && f.IsReadOnly && !f.IsImplicitlyDeclared
                && (f.Type.SpecialType == SpecialType.System_Object || SymbolEqualityComparer.Default.Equals(f.Type, lockType))
                && f.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is VariableDeclaratorSyntax
                {
                    Initializer.Value: ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } or ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 },
                }))
            .ToList();
        var matching = gates.Where(f => f.IsStatic == isStatic).ToList();
        if (matching.Count == 1)
        {
            return matching[0].Name;
        }

        var statics = gates.Where(f => f.IsStatic).ToList();
        return !isStatic && matching.Count == 0 && statics.Count == 1 ? statics[0].Name : null;
    }
}
