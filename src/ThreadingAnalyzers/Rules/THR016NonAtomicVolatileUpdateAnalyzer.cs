using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR016: <c>++</c>, <c>--</c> or a compound assignment on a <c>volatile</c> field. Volatile orders the read and the
/// write, but they stay two steps, so two threads lose updates. Decided over the whole type (every partial part), at
/// its end: silent when every write of the field in the type holds one lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR016NonAtomicVolatileUpdateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The Interlocked method that does the update in one step (Increment, Decrement or Add); present only when the fix keeps the value.</summary>
    internal const string FixProperty = "THR016.Fix";

    private static readonly SourceWords VolatileWord = new("volatile");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR016);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start => start.RegisterSymbolStartAction(
            symbolStart =>
            {
                // Volatile fields are rare: a type that declares none needs nothing more, and one whose text lacks the
                // keyword (which no escape can spell) declares none.
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                if (VolatileWord.MentionedBy(type) && type.GetMembers().Any(static m => m is IFieldSymbol { IsVolatile: true }))
                {
                    AnalyzeType(symbolStart, type);
                }
            },
            SymbolKind.NamedType));
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, INamedTypeSymbol type)
    {
        var writes = new ConcurrentDictionary<IFieldSymbol, ConcurrentBag<Write>>(SymbolEqualityComparer.Default);
        // Whether each call of a private method of the type holds a lock: a write in a helper called only under a lock holds it.
        // Asked only for a field with an update, which few have: the lock at each call is found then.
        var privateCalls = new ConcurrentDictionary<IMethodSymbol, ConcurrentBag<(IInvocationOperation Call, ISymbol Member)>>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(operationContext =>
        {
            var reference = (IFieldReferenceOperation)operationContext.Operation;
            if (!reference.Field.IsVolatile || !SymbolEqualityComparer.Default.Equals(reference.Field.ContainingType, type)
                || WriteOf(reference, operationContext.ContainingSymbol) is not { } write
                || IsConstruction(operationContext.ContainingSymbol, reference.Field))
            {
                return;
            }

            writes.GetOrAdd(reference.Field, static _ => new ConcurrentBag<Write>()).Add(write);
        }, OperationKind.FieldReference);

        context.RegisterOperationAction(operationContext =>
        {
            var invocation = (IInvocationOperation)operationContext.Operation;
            if (invocation.TargetMethod is { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary } target
                && SymbolEqualityComparer.Default.Equals(target.ContainingType, type))
            {
                privateCalls.GetOrAdd(target.OriginalDefinition, static _ => new ConcurrentBag<(IInvocationOperation, ISymbol)>()).Add((invocation, operationContext.ContainingSymbol));
            }
        }, OperationKind.Invocation);

        context.RegisterSymbolEndAction(endContext =>
        {
            foreach (var pair in writes)
            {
                var fieldWrites = pair.Value.ToList();
                if (pair.Key.Type.TypeKind == TypeKind.Error || !fieldWrites.Any(static w => w.IsUpdate) || AllHoldOneLock(fieldWrites, privateCalls))
                {
                    continue;
                }

                foreach (var write in fieldWrites.Where(static w => w.IsUpdate).OrderBy(static w => w.Operation.Syntax.SpanStart))
                {
                    // Half-typed code anywhere in the member: wait until it compiles.
                    if (BrokenCode.In(OperationTree.Root(write.Operation)))
                    {
                        continue;
                    }

                    var fix = InterlockedMethod(write.Operation, pair.Key);
                    var properties = fix is not null && FixKeepsValue(write.Operation)
                        ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix)
                        : ImmutableDictionary<string, string?>.Empty;
                    var remedy = fix is not null ? $"use Interlocked.{fix}" : "hold one lock around every write of it";
                    endContext.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.THR016, write.Operation.Syntax.GetLocation(), properties, write.Operation.Syntax.ToString(), pair.Key.Name, remedy));
                }
            }
        });
    }

    /// <summary>One write of a volatile field: the update (<c>++</c>, <c>--</c>, <c>op=</c>) or plain write, and the lock it holds.</summary>
    private sealed class Write
    {
        public Write(IOperation operation, bool isUpdate, bool isLocked, ISymbol? lockKey, IMethodSymbol? method)
        {
            Operation = operation;
            IsUpdate = isUpdate;
            IsLocked = isLocked;
            LockKey = lockKey;
            Method = method;
        }

        public IOperation Operation { get; }

        public bool IsUpdate { get; }

        public bool IsLocked { get; }

        /// <summary>The object of the innermost <c>lock</c> statement around it, or of the lock its method asserts; null where the lock is held another way.</summary>
        public ISymbol? LockKey { get; }

        /// <summary>The method whose own code it is (not a lambda's or local function's), when no lock is held there.</summary>
        public IMethodSymbol? Method { get; }
    }

    private static Write? WriteOf(IFieldReferenceOperation reference, ISymbol member)
    {
        var parent = reference.Parent;
        var (operation, isUpdate) = parent switch
        {
            IIncrementOrDecrementOperation update when update.Target == reference => (parent, true),
            ICompoundAssignmentOperation update when update.Target == reference => (parent, true),
            ICoalesceAssignmentOperation assignment when assignment.Target == reference => (parent, false),
            ISimpleAssignmentOperation assignment when assignment.Target == reference => (parent, false),
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => (parent, false),
            _ => ((IOperation?)null, false),
        };
        if (operation is null)
        {
            return null;
        }

        var function = OperationTree.OwnFunction(operation);
        var method = function is IAnonymousFunctionOperation or ILocalFunctionOperation ? null : member as IMethodSymbol;
        if (LockSet.IsHeldAt(operation, function, method))
        {
            return new Write(operation, isUpdate, isLocked: true, InnermostLock(operation, function), method: null);
        }

        var asserted = method is null ? null : AssertedLock.Of(function is IMethodBodyBaseOperation body ? body.BlockBody : function);
        return new Write(operation, isUpdate, isLocked: asserted is not null, asserted, asserted is null ? method?.OriginalDefinition : null);
    }

    private static ISymbol? InnermostLock(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            if (current is ILockOperation lockOperation)
            {
                return OperationTree.Unwrap(lockOperation.LockedValue) switch
                {
                    IInstanceReferenceOperation instance => instance.Type,
                    var locked => OperationTree.ReferencedSymbol(locked),
                };
            }
        }

        return null;
    }

    /// <summary>Whether a lock is held at a call of a private helper (a lambda's or local function's code holds only its own).</summary>
    private static bool IsHeldAt(IInvocationOperation call, ISymbol member)
    {
        var function = OperationTree.OwnFunction(call);
        var method = function is IAnonymousFunctionOperation or ILocalFunctionOperation ? null : member as IMethodSymbol;
        return LockSet.IsHeldAt(call, function, method);
    }

    /// <summary>
    /// Every write holds a lock (its own, or every caller's for a private helper), and those whose lock is known
    /// (a <c>lock</c> statement, an asserted lock) all lock the same object.
    /// </summary>
    private static bool AllHoldOneLock(List<Write> writes, ConcurrentDictionary<IMethodSymbol, ConcurrentBag<(IInvocationOperation Call, ISymbol Member)>> privateCalls)
    {
        ISymbol? key = null;
        foreach (var write in writes)
        {
            if (!write.IsLocked
                && !(write.Method is { } method && privateCalls.TryGetValue(method, out var calls) && !calls.IsEmpty && calls.All(static call => IsHeldAt(call.Call, call.Member))))
            {
                return false;
            }

            if (write.LockKey is null)
            {
                continue;
            }

            if (key is null)
            {
                key = write.LockKey;
            }
            else if (!SymbolEqualityComparer.Default.Equals(key, write.LockKey))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Constructors (and static constructors for static fields) run before the object is shared.</summary>
    private static bool IsConstruction(ISymbol member, IFieldSymbol field) =>
        member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
        && constructor.IsStatic == field.IsStatic
        && SymbolEqualityComparer.Default.Equals(constructor.ContainingType, field.ContainingType);

    /// <summary>
    /// Increment, Decrement or Add for an int field updated by ++, --, += or -= in unchecked code; null otherwise (a
    /// volatile field cannot be a long, and the uint overloads are not in every framework).
    /// </summary>
    private static string? InterlockedMethod(IOperation update, IFieldSymbol field)
    {
        if (field.Type.SpecialType != SpecialType.System_Int32)
        {
            return null;
        }

        return update switch
        {
            IIncrementOrDecrementOperation { IsChecked: false } step => step.Kind == OperationKind.Increment ? "Increment" : "Decrement",
            ICompoundAssignmentOperation { IsChecked: false, OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: null } compound
                when compound.InConversion.IsIdentity && compound.OutConversion.IsIdentity => "Add",
            _ => null,
        };
    }

    /// <summary>
    /// Interlocked returns the new value: the statement form, a prefix <c>++</c>/<c>--</c> and a compound assignment
    /// keep their meaning; a postfix one whose old value is used does not.
    /// </summary>
    private static bool FixKeepsValue(IOperation update) =>
        update.Parent is IExpressionStatementOperation || update is not IIncrementOrDecrementOperation { IsPostfix: true };
}
