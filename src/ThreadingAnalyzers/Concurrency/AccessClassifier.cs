using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>How one reference touches its variable: read, write, read-modify-write, a collection's mutating call.</summary>
internal static class AccessClassifier
{
    private static readonly ImmutableHashSet<string> CollectionReaders = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "TryGetValue", "ContainsKey", "ContainsValue", "Contains", "Peek", "TryPeek", "Find", "FindAll", "FindIndex", "FindLast",
        "FindLastIndex", "Exists", "IndexOf", "LastIndexOf", "IndexOfKey", "IndexOfValue", "ToArray", "CopyTo", "GetEnumerator",
        "BinarySearch", "ConvertAll", "GetRange", "TrueForAll", "ForEach", "IsSubsetOf", "IsSupersetOf", "IsProperSubsetOf",
        "IsProperSupersetOf", "Overlaps", "SetEquals", "GetHashCode", "Equals", "ToString", "GetType", "AsReadOnly",
        "GetValueOrDefault", "GetObjectData", "GetViewBetween", "GetAlternateLookup", "TryGetAlternateLookup", "GetKeyAtIndex",
        "GetValueAtIndex", "GetByIndex", "GetKey", "GetKeyList", "GetValueList", "Slice", "Clone", "CreateSetComparer");

    /// <summary>
    /// What <see cref="Classify"/> can find to be more than a plain read: the reference is written (assigned, incremented,
    /// passed by ref or out) or is a non-thread-safe collection. Most references are plain reads of scalars and are not
    /// looked at further.
    /// </summary>
    public static bool MayWriteOrUseCollection(IOperation reference, ThreadingTypes types)
    {
        // Kind tests first: this runs for every variable reference of every function walked, and most parents are none of these.
        var parent = reference.Parent;
        switch (parent?.Kind)
        {
            case OperationKind.SimpleAssignment or OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment or OperationKind.CoalesceAssignment
                when ((IAssignmentOperation)parent).Target == reference:
            case OperationKind.Increment or OperationKind.Decrement:
            case OperationKind.Tuple when parent.Parent?.Kind == OperationKind.DeconstructionAssignment:
            case OperationKind.Argument when ((IArgumentOperation)parent).Parameter?.RefKind is RefKind.Ref or RefKind.Out:
                return true;
            default:
                return UnsynchronizedCollection.Is(reference, types);
        }
    }

    public static (AccessKind Kind, IOperation Whole) Classify(IOperation reference, SharedTarget target, ThreadingTypes types, Reach reach)
    {
        var parent = reference.Parent;
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                if (IsConstant(assignment.Value) || target.Symbol is IFieldSymbol { IsVolatile: true })
                {
                    return (AccessKind.BenignWrite, assignment);
                }

                return (Reads(assignment.Value, target.Symbol) ? AccessKind.ReadModifyWrite : AccessKind.Write, assignment);
            // A volatile field's ++, -- or compound assignment is THR016's, whatever runs it: not reported again here.
            case ICompoundAssignmentOperation compound when compound.Target == reference:
                return (IsVolatile(target) ? AccessKind.BenignWrite : AccessKind.ReadModifyWrite, compound);
            case IIncrementOrDecrementOperation increment:
                return (IsVolatile(target) ? AccessKind.BenignWrite : AccessKind.ReadModifyWrite, increment);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                return (AccessKind.Write, coalesce);
            case ITupleOperation { Parent: IDeconstructionAssignmentOperation deconstruction } tuple when deconstruction.Target == tuple:
                return (AccessKind.Write, deconstruction);
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when argument.Value == reference:
                var call = argument.Parent ?? argument;
                if (IsSynchronizingCall(call, types))
                {
                    return (AccessKind.SynchronizedAccess, call);
                }

                if (argument.Parameter.RefKind == RefKind.Ref && call is IInvocationOperation invocation
                    && reach.BodyOf(invocation.TargetMethod, call) is { } calleeBody)
                {
                    return (RefParameterUse(calleeBody, argument.Parameter, types), call);
                }

                return (argument.Parameter.RefKind == RefKind.Out ? AccessKind.Write : AccessKind.ReadModifyWrite, call);
        }

        if (UnsynchronizedCollection.Is(reference, types))
        {
            switch (parent)
            {
                case IInvocationOperation invocation when invocation.Instance == reference && UnsynchronizedCollection.IsUnsafeState(reference.Type, types):
                    return UnsynchronizedCollection.IsStateMutator(invocation.TargetMethod) ? (AccessKind.CollectionMutation, invocation) : (AccessKind.Read, reference);
                case IInvocationOperation invocation when invocation.Instance == reference && IsMutator(invocation.TargetMethod):
                    return (AccessKind.CollectionMutation, invocation);
                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation { Instance: IConditionalAccessInstanceOperation } invocation } conditional
                    when conditional.Operation == reference && IsMutator(invocation.TargetMethod):
                    return (AccessKind.CollectionMutation, invocation);
                case IPropertyReferenceOperation property when property.Instance == reference && IsWritten(property, out var write):
                    return (AccessKind.CollectionMutation, write);
            }
        }

        return (AccessKind.Read, reference);
    }

    /// <summary>
    /// What a method of this compilation does with a <c>ref</c> parameter: only reads and Interlocked/Volatile calls
    /// (a compare-exchange loop) make the ref pass synchronized; a plain write or a further ref pass is a write.
    /// </summary>
    private static AccessKind RefParameterUse(IOperation calleeBody, IParameterSymbol parameter, ThreadingTypes types)
    {
        var synchronized = false;
        foreach (var operation in OperationWalk.OperationsOf(calleeBody))
        {
            if (operation is not IParameterReferenceOperation reference || reference.Parameter.Ordinal != parameter.Ordinal
                || !SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol.OriginalDefinition, parameter.ContainingSymbol.OriginalDefinition))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Parent: { } call } when IsSynchronizingCall(call, types):
                    synchronized = true;
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                case IAssignmentOperation assignment when assignment.Target == reference:
                case IIncrementOrDecrementOperation:
                    return AccessKind.ReadModifyWrite;
            }
        }

        return synchronized ? AccessKind.SynchronizedAccess : AccessKind.Read;
    }

    private static bool IsWritten(IOperation reference, out IOperation write)
    {
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
                write = assignment;
                return true;
            case IIncrementOrDecrementOperation increment:
                write = increment;
                return true;
            default:
                write = reference;
                return false;
        }
    }

    internal static bool IsMutator(IMethodSymbol method) =>
        !method.IsStatic && !CollectionReaders.Contains(method.Name)
        && !(method.Name == "Reverse" && method.ContainingType.Name == "SortedSet");

    private static bool IsSynchronizingCall(IOperation call, ThreadingTypes types) =>
        call is IInvocationOperation invocation
        && (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Interlocked)
            || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Volatile)
            || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.ImmutableInterlocked)
            || Symbols.IsNamespace(invocation.TargetMethod.ContainingNamespace, Symbols.ThreadingNamespace));

    private static bool Reads(IOperation value, ISymbol symbol)
    {
        // Not DescendantsAndSelf(), which allocates an iterator and a stack for every assignment a walk meets.
        if (References(value, symbol))
        {
            return true;
        }

        foreach (var operation in OperationWalk.DescendantsOf(value))
        {
            if (References(operation, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool References(IOperation operation, ISymbol symbol)
    {
        var referenced = operation switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => (ISymbol)parameter.Parameter,
            _ => null,
        };
        return referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, symbol);
    }

    private static bool IsVolatile(SharedTarget target) => target.Symbol is IFieldSymbol { IsVolatile: true };

    private static bool IsConstant(IOperation value)
    {
        var unwrapped = OperationTree.Unwrap(value);
        return value.ConstantValue.HasValue || unwrapped is IDefaultValueOperation || unwrapped?.ConstantValue.HasValue == true;
    }

}
