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
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Rules;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR010 fix "Lock on a private gate": adds <c>private readonly object _gate = new object();</c> (static for a static
/// member, a type, a string literal or a static field) and locks it instead, in every <c>lock</c> of the type on the same
/// object, so that those locks still exclude each other. Not offered when another type of the file locks the same
/// Type, string or field (or the same field of another instance), in structs, in types declared in several parts,
/// for public fields and properties (other code may lock them on purpose), for <c>lock (new ...)</c> (whether the block
/// needs exclusion per instance, per type or none is the author's call), for <c>Monitor.Enter</c>, or when the type
/// passes the same object to Monitor (Wait/Pulse need the object that is locked).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR010WeakIdentityLockCodeFix)), Shared]
public sealed class THR010WeakIdentityLockCodeFix : DocumentCodeFix
{
    internal const string UsePrivateGateKey = "THR010.UsePrivateGate";

    private const string GateName = "_gate";
    private const string ThisKey = "this";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("THR010");

    protected override bool NeedsSemanticModel => true;

    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan(root, diagnostic, model!, cancellationToken) is not null)
        {
            yield return new FixOffer("Lock on a private gate", UsePrivateGateKey);
        }
    }

    // The locks of a type on one object share one new gate: one pass per document adds each gate once.
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var root = editor.OriginalRoot;
        var model = editor.SemanticModel;
        var done = new HashSet<(TypeDeclarationSyntax Type, string Key, bool IsStatic)>();
        // One set for the document: a gate of a nested type does not hide its containing type's new gate.
        var taken = new HashSet<string>();
        var newGates = new Dictionary<TypeDeclarationSyntax, List<SyntaxNode>>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (Plan(root, diagnostic, model, cancellationToken) is not { } plan || !done.Add((plan.Type, plan.Key, plan.IsStatic)))
            {
                continue;
            }

            var locks = plan.Locks;
            var (name, field) = LockGates.New(
                plan.Type,
                plan.TypeSymbol,
                plan.IsStatic,
                GateName,
                n => taken.Contains(n) || locks.Any(l => !model.LookupSymbols(l.SpanStart, name: n).IsEmpty),
                useLockType: false,
                model);
            taken.Add(name);
            if (!newGates.TryGetValue(plan.Type, out var fields))
            {
                newGates.Add(plan.Type, fields = new List<SyntaxNode>());
            }

            fields.Add(field);
            foreach (var lockStatement in locks)
            {
                editor.ReplaceNode(lockStatement.Expression, SyntaxFactory.IdentifierName(name).WithTriviaFrom(lockStatement.Expression));
            }
        }

        foreach (var pair in newGates)
        {
            LockGates.Insert(editor, pair.Key, pair.Value);
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What the fix does for one diagnostic: the type to add the gate to and every lock of that type on the same object.</summary>
    private static GatePlan? Plan(SyntaxNode root, Diagnostic diagnostic, SemanticModel model, CancellationToken cancellationToken)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.FirstAncestorOrSelf<LockStatementSyntax>() is not { } lockStatement
            || !lockStatement.Expression.Span.Contains(diagnostic.Location.SourceSpan)
            || lockStatement.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || type is not (ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
            || model.GetDeclaredSymbol(type, cancellationToken) is not { DeclaringSyntaxReferences.Length: 1 } typeSymbol
            || model.GetOperation(lockStatement, cancellationToken) is not ILockOperation lockOperation
            || Key(lockOperation.LockedValue, typeSymbol) is not var (key, keyIsStatic))
        {
            return null;
        }

        var isStatic = keyIsStatic || LockGates.IsInStaticMember(lockStatement, model, cancellationToken);
        var locks = new List<LockStatementSyntax>();
        foreach (var candidate in root.DescendantNodes().OfType<LockStatementSyntax>())
        {
            if (model.GetOperation(candidate, cancellationToken) is not ILockOperation other)
            {
                continue;
            }

            if (Key(other.LockedValue, typeSymbol) is not var (otherKey, otherIsStatic))
            {
                // The same field of another instance (other._field, a nested type's outer._field) may be this very
                // object: moving only this lock to a gate would end their exclusion.
                if (IsSameField(other.LockedValue, lockOperation.LockedValue))
                {
                    return null;
                }

                continue;
            }

            if (otherKey != key)
            {
                continue;
            }

            if (candidate.FirstAncestorOrSelf<TypeDeclarationSyntax>() != type)
            {
                // Another type of the file (a nested one too) locks the same Type, string or field: moving only
                // this type's locks to a gate would end their exclusion. 'this' there is another object.
                if (key != ThisKey)
                {
                    return null;
                }
            }
            else if ((otherIsStatic || LockGates.IsInStaticMember(candidate, model, cancellationToken)) == isStatic)
            {
                locks.Add(candidate);
            }
        }

        return IsPassedToMonitor(type, key, typeSymbol, model, cancellationToken) ? null : new GatePlan(type, typeSymbol, key, isStatic, locks);
    }

    /// <summary>
    /// A name for the locked object, equal for every lock on the same object of the type, and whether its gate must be
    /// static; null when the fix cannot tell or must not move the lock (another type's or a non-private field).
    /// </summary>
    private static (string Key, bool IsStatic)? Key(IOperation value, INamedTypeSymbol type)
    {
        if (value is IConversionOperation box && THR010WeakIdentityLockAnalyzer.IsBoxing(box))
        {
            return ("box:" + box.Operand.Syntax, box.Operand is IFieldReferenceOperation { Field.IsStatic: true });
        }

        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        switch (value)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return (ThisKey, false);
            case ITypeOfOperation typeOf:
                return ("typeof:" + typeOf.TypeOperand.ToDisplayString(), true);
            case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } }:
                return ("string:" + text, true);
            case IInvocationOperation { TargetMethod.Name: "GetType", Arguments.Length: 0, Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } }:
                // A lock per runtime type: a static gate of the declaring type excludes at least as much.
                return ("GetType", true);
            case IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } field } reference
                when SymbolEqualityComparer.Default.Equals(field.ContainingType.OriginalDefinition, type)
                    && reference.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return ("field:" + field.Name, field.IsStatic);
            default:
                return null;
        }
    }

    private static bool IsSameField(IOperation a, IOperation b) =>
        THR010WeakIdentityLockAnalyzer.WithoutImplicitConversions(a) is IFieldReferenceOperation { Field: var first }
        && THR010WeakIdentityLockAnalyzer.WithoutImplicitConversions(b) is IFieldReferenceOperation { Field: var second }
        && SymbolEqualityComparer.Default.Equals(first, second);

    /// <summary>Whether Monitor (Wait, Pulse, Enter, ...) is called on the same object in the type: it must stay the locked object.</summary>
    private static bool IsPassedToMonitor(TypeDeclarationSyntax type, string key, INamedTypeSymbol typeSymbol, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var invocation in type.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (model.GetOperation(invocation, cancellationToken) is IInvocationOperation
                {
                    TargetMethod.ContainingType: { Name: "Monitor", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } },
                } call
                && call.Arguments.Any(a => Key(a.Value, typeSymbol) is var (argumentKey, _) && argumentKey == key))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class GatePlan
    {
        public GatePlan(TypeDeclarationSyntax type, INamedTypeSymbol typeSymbol, string key, bool isStatic, List<LockStatementSyntax> locks)
        {
            Type = type;
            TypeSymbol = typeSymbol;
            Key = key;
            IsStatic = isStatic;
            Locks = locks;
        }

        public TypeDeclarationSyntax Type { get; }
        public INamedTypeSymbol TypeSymbol { get; }
        public string Key { get; }
        public bool IsStatic { get; }
        public List<LockStatementSyntax> Locks { get; }
    }
}
