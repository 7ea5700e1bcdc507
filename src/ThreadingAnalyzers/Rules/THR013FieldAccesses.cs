using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>How a THR013 access uses its field.</summary>
internal enum FieldAccessKind
{
    /// <summary>Assigned, incremented, or passed by <c>ref</c>/<c>out</c> to anything but Interlocked/Volatile.</summary>
    Written,

    /// <summary>A mutating call on a collection that is not safe to share.</summary>
    Modified,

    /// <summary>A read or an enumeration of a collection that is not safe to share.</summary>
    Read,
}

/// <summary>One access of a field by a function of its type, with the locks held there.</summary>
internal sealed class FieldAccess
{
    public FieldAccess(IFieldSymbol field, FieldAccessKind kind, IOperation operation, LockedFunction function, ImmutableArray<HeldLock> held)
    {
        Field = field;
        Kind = kind;
        Operation = operation;
        Function = function;
        Held = held;
    }

    public IFieldSymbol Field { get; }

    public FieldAccessKind Kind { get; }

    /// <summary>The write, the call, or the read reference: where a diagnostic goes.</summary>
    public IOperation Operation { get; }

    public LockedFunction Function { get; }

    public ImmutableArray<HeldLock> Held { get; private set; }

    /// <summary>Adds the locks the function holds on entry, asked only once some access may be guarded.</summary>
    public void AddHeldOnEntry(ImmutableArray<HeldLock> onEntry) => Held = Held.AddRange(onEntry);
}

/// <summary>The THR013 accesses of a type's fields: the ones that can race (writes, collection calls), never plain reads.</summary>
internal static class THR013FieldAccesses
{
    /// <summary>
    /// The accesses in <paramref name="function"/> to fields of <paramref name="type"/> through <c>this</c> or statically,
    /// each with the locks its function's own code holds there; the locks held on entry are added later
    /// (<see cref="FieldAccess.AddHeldOnEntry"/>), as finding a private method's needs the calls of the whole type.
    /// </summary>
    public static void Collect(LockedFunction function, INamedTypeSymbol type, ThreadingTypes types, List<FieldAccess> accesses)
    {
        foreach (var reference in function.FieldReferences)
        {
            if (!IsCandidate(reference, type, types)
                || Classify(reference, types) is not { } access)
            {
                continue;
            }

            var held = LockModel.HeldInFunction(access.Operation, function.Function, function.Sections);
            accesses.Add(new FieldAccess(reference.Field.OriginalDefinition, access.Kind, access.Operation, function, held));
        }
    }

    private static bool IsCandidate(IFieldReferenceOperation reference, INamedTypeSymbol type, ThreadingTypes types)
    {
        var field = reference.Field;
        return !field.IsConst && !field.IsVolatile && !field.IsImplicitlyDeclared
            && SymbolEqualityComparer.Default.Equals(field.ContainingType.OriginalDefinition, type)
            && (field.IsStatic || reference.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
            && !ThreadingTypes.HasAttribute(field, types.ThreadStaticAttribute);
    }

    private static (FieldAccessKind Kind, IOperation Operation)? Classify(IFieldReferenceOperation reference, ThreadingTypes types)
    {
        var parent = reference.Parent;
        switch (parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
                return (FieldAccessKind.Written, assignment);
            case IIncrementOrDecrementOperation increment:
                return (FieldAccessKind.Written, increment);
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Parent: IInvocationOperation call }:
                // A method of this compilation writes through the ref where its own code says, under its own locks.
                return IsSynchronizingCall(call.TargetMethod, types) || call.TargetMethod.MetadataToken == 0 ? null : (FieldAccessKind.Written, call);
        }

        if (!types.IsUnsynchronizedCollection(reference.Field.Type))
        {
            return null;
        }

        switch (parent)
        {
            case IInvocationOperation call when call.Instance == reference:
                return (AccessClassifier.IsMutator(call.TargetMethod) ? FieldAccessKind.Modified : FieldAccessKind.Read, call);
            case IPropertyReferenceOperation property when property.Instance == reference:
                var isSet = property.Parent is IAssignmentOperation assignment && assignment.Target == property
                    || property.Parent is IIncrementOrDecrementOperation;
                // Count, Comparer, Capacity read one field of the collection, like a plain read; an indexer walks it.
                return isSet ? (FieldAccessKind.Modified, property.Parent!) : property.Arguments.Length > 0 ? (FieldAccessKind.Read, property) : null;
            case IArgumentOperation { Parent: IInvocationOperation call } argument
                when call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 && call.Arguments[0] == argument:
                return (FieldAccessKind.Read, call);
            case IConversionOperation { Parent: IArgumentOperation { Parent: IInvocationOperation call } argument }
                when call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 && call.Arguments[0] == argument:
                return (FieldAccessKind.Read, call);
            case IForEachLoopOperation loop when loop.Collection == reference:
            case IConversionOperation { Parent: IForEachLoopOperation loop2 } conversion when loop2.Collection == conversion:
                return (FieldAccessKind.Read, reference);
            default:
                return null;
        }
    }

    private static bool IsSynchronizingCall(IMethodSymbol method, ThreadingTypes types) =>
        SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Interlocked)
        || SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Volatile)
        || SymbolEqualityComparer.Default.Equals(method.ContainingType, types.ImmutableInterlocked);
}
