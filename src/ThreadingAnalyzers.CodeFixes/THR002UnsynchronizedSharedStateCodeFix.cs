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
public sealed class THR002UnsynchronizedSharedStateCodeFix : DocumentCodeFix
{
    internal const string UseInterlockedKey = "THR002.UseInterlocked";
    internal const string ProtectWithLockKey = "THR002.ProtectWithLock";

    private const string GateName = "_sync";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR002");

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (InterlockedSite(root, diagnostic) is not null)
        {
            yield return new FixOffer("Use Interlocked", UseInterlockedKey);
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (LockableStatement(node) is not null && node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
        {
            yield return new FixOffer("Protect with lock", ProtectWithLockKey);
        }

        if (node is InvocationExpressionSyntax && model is not null && RandomSharedRewrite.Receiver(node, model, cancellationToken) is not null)
        {
            yield return new FixOffer(RandomSharedRewrite.Title, RandomSharedRewrite.Key);
        }
    }

    /// <summary>"Use Random.Shared" asks whether the compilation's Random has the property.</summary>
    protected override bool NeedsSemanticModel => true;

    // Fix All adds one gate per type: the statements of a document are wrapped in one pass.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        switch (equivalenceKey)
        {
            case UseInterlockedKey:
                // A using only where it makes the name bind and clashes with nothing, as THR016's fix does.
                var updated = await ReplaceAndImport.ApplyAsync(
                    document,
                    InterlockedUpdate.InterlockedTypeName,
                    diagnostics,
                    InterlockedSite,
                    static (update, _) => InterlockedUpdate.Replacement(update) ?? update,
                    cancellationToken).ConfigureAwait(false);
                return await CleanUpAsync(updated, cancellationToken).ConfigureAwait(false);
            case ProtectWithLockKey:
                return await ProtectWithLockAsync(document, diagnostics, cancellationToken).ConfigureAwait(false);
            case RandomSharedRewrite.Key:
                var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
                RandomSharedRewrite.Apply(editor, diagnostics.Select(d => editor.OriginalRoot.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true)), cancellationToken);
                return await CleanUpAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
            default:
                return document;
        }
    }

    private static async Task<Document> ProtectWithLockAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
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

    /// <summary>The update of a diagnostic that the analyzer marked for Interlocked, when it has one of InterlockedUpdate's forms.</summary>
    private static SyntaxNode? InterlockedSite(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(THR002UnsynchronizedSharedStateAnalyzer.FixKindProperty, out var kind)
        && kind == THR002UnsynchronizedSharedStateAnalyzer.InterlockedFix
        && root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is var node
        && InterlockedUpdate.Replacement(node) is not null
            ? node
            : null;

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
