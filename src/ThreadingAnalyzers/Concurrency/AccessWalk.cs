using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One walk of a function's own code: the shared variables it touches, its calls, whether it compiles.</summary>
internal static class AccessWalk
{
    /// <summary>The accesses of <paramref name="scope"/>'s own code.</summary>
    public static ImmutableArray<Access> AccessesOf(FunctionScope scope, bool pathLocked, ThreadingTypes types) =>
        AccessesOf(scope, pathLocked, types, withCalls: false, checkSkipped: false, out _, out _);

    /// <summary>
    /// The accesses of <paramref name="scope"/>'s own code; in the same walk, <paramref name="withCalls"/> also its calls,
    /// and whether it met an invalid operation (with <paramref name="checkSkipped"/>, also in the nested functions it
    /// does not walk).
    /// </summary>
    public static ImmutableArray<Access> AccessesOf(
        FunctionScope scope, bool pathLocked, ThreadingTypes types, bool withCalls, bool checkSkipped, out bool sawInvalid, out ImmutableArray<CallSite> calls)
    {
        sawInvalid = false;
        var walked = Walked.Rent();
        var accesses = walked.Accesses;
        try
        {
            foreach (var (operation, kind) in OperationWalk.OperationsOf(scope.Function, checkSkipped ? walked.Skipped : null).WithKinds())
            {
                AccessOf(operation, kind, scope, pathLocked, types, withCalls ? walked.Calls : null, accesses, walked, ref sawInvalid);
            }

            // The errors of the nested functions the walk skipped are looked at after it.
            if (checkSkipped && !sawInvalid)
            {
                sawInvalid = AnyErrors(walked.Skipped);
            }

            // Whether a lock is held at a write is asked once the walk has met the function's lock calls, which it keeps
            // for LockSet (a write may come before an acquire in the walk's order, never in the source's).
            if (walked.Writes.Count > 0)
            {
                LockSet.RememberCalls(scope.Function, walked.Invocations);
                foreach (var index in walked.Writes)
                {
                    var write = accesses[index];
                    if (LockSet.IsHeldAt(write.Operation, scope.Function, scope.Method))
                    {
                        accesses[index] = write.WithTarget(write.Target, isLocked: true);
                    }
                }
            }

            calls = withCalls ? walked.Calls.ToImmutable() : ImmutableArray<CallSite>.Empty;
            return accesses.ToImmutable();
        }
        finally
        {
            walked.Return();
        }
    }

    private static bool AnyErrors(List<IOperation> functions)
    {
        foreach (var function in functions)
        {
            if (BrokenCode.In(function))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// What one walk collects and keeps for the questions asked after it. One per thread is reused; a walk that starts
    /// while another walk of the same thread holds it (a question asked mid-walk that walks again) gets a new one.
    /// </summary>
    private sealed class Walked
    {
        [ThreadStatic]
        private static Walked? s_reused;

        private bool _inUse;

        public static Walked Rent()
        {
            var walked = s_reused ??= new Walked();
            if (walked._inUse)
            {
                return new Walked();
            }

            walked._inUse = true;
            return walked;
        }

        public ImmutableArray<Access>.Builder Accesses { get; } = ImmutableArray.CreateBuilder<Access>();

        /// <summary>The calls to methods of this compilation, when the walk is asked for them.</summary>
        public ImmutableArray<CallSite>.Builder Calls { get; } = ImmutableArray.CreateBuilder<CallSite>();

        /// <summary>The function's calls, among them its lock calls.</summary>
        public List<IInvocationOperation> Invocations { get; } = new();

        /// <summary>The indexes of the writes whose lock is asked after the walk.</summary>
        public List<int> Writes { get; } = new();

        /// <summary>The nested functions the walk does not enter, when their errors are asked for.</summary>
        public List<IOperation> Skipped { get; } = new();

        /// <summary>Cleared for the next walk of the thread.</summary>
        public void Return()
        {
            Accesses.Clear();
            Calls.Clear();
            Invocations.Clear();
            Writes.Clear();
            Skipped.Clear();
            _inUse = false;
        }
    }

    /// <summary>What one operation of a walk adds: its call to a method of this compilation, its access to a shared variable.</summary>
    private static void AccessOf(
        IOperation operation, OperationKind operationKind, FunctionScope scope, bool pathLocked, ThreadingTypes types,
        ImmutableArray<CallSite>.Builder? calls, ImmutableArray<Access>.Builder accesses, Walked walked, ref bool sawInvalid)
    {
        if (operationKind == OperationKind.Invalid)
        {
            sawInvalid = true;
        }

        if (operationKind == OperationKind.Invocation && operation is IInvocationOperation invocation)
        {
            walked.Invocations.Add(invocation);
        }

        if (calls is not null)
        {
            scope.Reach.AddCall(scope.Function, operation, operationKind, calls);
        }

        // An ordinary method's locals and parameters are its own (see FunctionScope.IsInternal): asked before anything else.
        if (operationKind is not (OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.LocalReference or OperationKind.ParameterReference)
            || (scope.OwnsAllVariables && operationKind is OperationKind.LocalReference or OperationKind.ParameterReference)
            || (!scope.IsStarter && !AccessClassifier.MayWriteOrUseCollection(operation, types))
            || TargetOf(operation, scope, types) is not { } target)
        {
            return;
        }

        var (kind, whole) = AccessClassifier.Classify(operation, target, types, scope.Reach);
        if (kind == AccessKind.Read && !scope.IsStarter && !UnsynchronizedCollection.Is(operation, types))
        {
            // A body's reads matter only for collections (a reader of a List<T> being written can throw): two bodies'
            // scalars race only when both write. The starter's plain reads are kept: it may read a value half-made.
            return;
        }

        if (kind is not AccessKind.Read && !pathLocked)
        {
            walked.Writes.Add(accesses.Count);
        }

        accesses.Add(new Access(whole, operation, target, kind, isLocked: kind is not AccessKind.Read && pathLocked));
    }

    /// <summary>The shared variable that <paramref name="reference"/> denotes, or null when it is private to one execution.</summary>
    private static SharedTarget? TargetOf(IOperation reference, FunctionScope scope, ThreadingTypes types)
    {
        switch (reference)
        {
            case IFieldReferenceOperation field:
                if (field.Field.IsConst || field.Field.Type.TypeKind == TypeKind.Error || IsThreadStatic(field.Field, types))
                {
                    return null;
                }

                return MemberTarget(field.Field, field.Field.IsStatic, field.Instance, scope);
            case IPropertyReferenceOperation property when property.Arguments.Length == 0 && scope.Reach.IsAutoProperty(property.Property):
                return MemberTarget(property.Property, property.Property.IsStatic, property.Instance, scope);
            case ILocalReferenceOperation local when !local.Local.IsRef && !scope.IsInternal(local.Local):
                return new SharedTarget(local.Local, null, isCapturedVariable: true);
            case IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None && !scope.IsInternal(parameter.Parameter):
                return new SharedTarget(parameter.Parameter, null, isCapturedVariable: true);
            default:
                return null;
        }
    }

    private static SharedTarget? MemberTarget(ISymbol member, bool isStatic, IOperation? instance, FunctionScope scope)
    {
        if (isStatic)
        {
            return new SharedTarget(member, null, isCapturedVariable: false);
        }

        return RootOf(instance, scope, out var throughThis) is { } root ? new SharedTarget(member, root, isCapturedVariable: false, throughThis) : null;
    }

    /// <summary>The object an instance member belongs to, when it is the same in every execution; null when unknown or per-run.</summary>
    public static object? RootOf(IOperation? instance, FunctionScope scope, out bool throughThis)
    {
        throughThis = false;
        switch (OperationTree.Unwrap(instance))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                throughThis = true;
                return scope.This;
            case IFieldReferenceOperation field when !IsThreadStatic(field.Field, scope.Types):
                return field.Field.IsStatic || RootOf(field.Instance, scope, out throughThis) is not null ? field.Field : null;
            case IPropertyReferenceOperation property when property.Arguments.Length == 0 && scope.Reach.IsAutoProperty(property.Property):
                // Other properties run code that may return a per-thread or new object each time.
                return property.Property.IsStatic || RootOf(property.Instance, scope, out throughThis) is not null ? property.Property : null;
            case ILocalReferenceOperation local when !scope.IsInternal(local.Local):
                return local.Local;
            case IParameterReferenceOperation parameter when !scope.IsInternal(parameter.Parameter):
                return parameter.Parameter;
            default:
                return null;
        }
    }

    /// <summary>[ThreadStatic] gives each thread its own copy of a static field; the runtime ignores it on instance fields.</summary>
    public static bool IsThreadStatic(IFieldSymbol field, ThreadingTypes types) =>
        field.IsStatic && ThreadingTypes.HasAttribute(field, types.ThreadStaticAttribute);
}
