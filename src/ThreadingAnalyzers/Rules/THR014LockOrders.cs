using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>Lock <see cref="Outer"/> is held when <see cref="Inner"/> is taken at <see cref="InnerAcquisition"/>.</summary>
internal sealed class LockOrder
{
    public LockOrder(LockIdentity outer, LockIdentity inner, IOperation? outerAcquisition, IOperation innerAcquisition, IMethodSymbol member, ImmutableArray<HeldLock> held, IOperation site)
    {
        Outer = outer;
        Inner = inner;
        OuterAcquisition = outerAcquisition;
        InnerAcquisition = innerAcquisition;
        Member = member;
        Held = held;
        Site = site;
    }

    public LockIdentity Outer { get; }

    public LockIdentity Inner { get; }

    public IOperation? OuterAcquisition { get; }

    public IOperation InnerAcquisition { get; }

    /// <summary>The member whose code takes the inner lock (the caller, when it is taken in a method it calls).</summary>
    public IMethodSymbol Member { get; }

    public ImmutableArray<HeldLock> Held { get; }

    /// <summary>The acquisition or the call in <see cref="Member"/>'s code that orders the two locks.</summary>
    public IOperation Site { get; }

    /// <summary>Both locks are one object for the whole program, whoever takes them: such orders combine across types.</summary>
    public bool IsGlobal => LockOrders.IsGlobal(Outer) && LockOrders.IsGlobal(Inner);

    /// <summary>A third lock held around both orders: only one of them can run at a time.</summary>
    public bool HasCommonOuterLock(LockOrder other)
    {
        foreach (var held in Held)
        {
            if (held.Identity.Equals(Outer) || held.Identity.Equals(Inner) || !LockOrders.IsNamed(held.Identity))
            {
                continue;
            }

            if (LockModel.Holds(other.Held, held.Identity))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A call made while a program-wide lock is held, to a method whose locks are known only once every type is seen.</summary>
internal sealed class LockedCall
{
    public LockedCall(IInvocationOperation call, IMethodSymbol member, ImmutableArray<HeldLock> held)
    {
        Call = call;
        Member = member;
        Held = held;
    }

    public IInvocationOperation Call { get; }

    public IMethodSymbol Member { get; }

    public ImmutableArray<HeldLock> Held { get; }

    /// <summary>
    /// The orders the call makes: each program-wide monitor held here, then each program-wide lock the callee takes
    /// (only monitors are taken as inner locks, so only a monitor held can close a cycle).
    /// </summary>
    public void AddOrders(LocksTaken taken, List<LockOrder> orders)
    {
        foreach (var (inner, acquisition) in taken.Of(Call.TargetMethod))
        {
            if (!LockOrders.IsGlobal(inner) || LockModel.Holds(Held, inner))
            {
                continue;
            }

            foreach (var outer in Held)
            {
                if (outer.IsMonitor && LockOrders.IsGlobal(outer.Identity) && !outer.Identity.Equals(inner))
                {
                    orders.Add(new LockOrder(outer.Identity, inner, outer.Acquisition, acquisition, Member, Held, Call));
                }
            }
        }
    }
}

/// <summary>The lock orders of a function: nested acquisitions, and calls made while holding a lock to methods that take one.</summary>
internal static class LockOrders
{
    /// <summary>
    /// Adds <paramref name="function"/>'s orders to <paramref name="orders"/>: the locks it takes, and those that the
    /// methods it calls on <c>this</c> take, while it holds another. Every call into the compilation made while a
    /// program-wide monitor is held also goes to <paramref name="calls"/>, followed into other types when every type
    /// is known.
    /// </summary>
    public static void Collect(LockedFunction function, TypeLocks locks, LocksTaken taken, IAssemblySymbol assembly, List<LockOrder> orders, List<LockedCall> calls)
    {
        // A function that takes no lock and holds none on entry holds nothing anywhere: it orders nothing, and the calls
        // of the whole type, which only the locks held on entry need, are not looked for.
        if (!function.MayTakeLocks && !MayHoldOnEntry(function))
        {
            return;
        }

        ImmutableArray<HeldLock>? onEntry = null;
        foreach (var (operation, kind) in function.CallOperations)
        {
            if (kind is not (OperationKind.Lock or OperationKind.Invocation))
            {
                continue;
            }

            var direct = Acquired(operation);
            var inType = direct is null && IsCallOnThis(operation) && taken.Knows(((IInvocationOperation)operation).TargetMethod);
            if (direct is null && !inType && !IsCallInto(operation, assembly))
            {
                continue;
            }

            onEntry ??= locks.HeldOnEntry(function);
            var held = LockModel.HeldInFunction(operation, function.Function, function.Sections).AddRange(onEntry.Value);
            if (direct is null && HasLock(held, global: true) && IsCallInto(operation, assembly))
            {
                // The type's own orders follow its methods only; the calls they make to other types are followed
                // when every type is known.
                calls.Add(new LockedCall((IInvocationOperation)operation, function.Member, held));
            }

            if (direct is null && !inType)
            {
                continue;
            }

            if (!HasLock(held, global: false))
            {
                continue;
            }

            var inners = direct is { } one ? new List<(LockIdentity, IOperation)> { one } : taken.Of(((IInvocationOperation)operation).TargetMethod);
            foreach (var (inner, acquisition) in inners)
            {
                // A monitor the thread already holds is entered again without waiting: no order, whatever else is held.
                if (LockModel.Holds(held, inner))
                {
                    continue;
                }

                foreach (var outer in held)
                {
                    if (IsNamed(outer.Identity) && !outer.IsReadLock && !outer.Identity.Equals(inner))
                    {
                        orders.Add(new LockOrder(outer.Identity, inner, outer.Acquisition, acquisition, function.Member, held, operation));
                    }
                }
            }
        }
    }

    /// <summary>Whether <see cref="TypeLocks.HeldOnEntry"/> may hold a lock for <paramref name="function"/>: a Synchronized method's, or its callers'.</summary>
    private static bool MayHoldOnEntry(LockedFunction function) =>
        function.Method is { } method && (TypeLocks.InheritsCallersLocks(method.OriginalDefinition) || LockSet.IsSynchronized(method));

    /// <summary>A lock known across functions: a field or property, <c>this</c>, <c>typeof</c>.</summary>
    public static bool IsNamed(LockIdentity identity) =>
        identity.Kind is LockIdentityKind.Member or LockIdentityKind.This or LockIdentityKind.TypeOf;

    /// <summary>
    /// A lock that is one object wherever it is taken: a static field or property, <c>typeof</c>. An instance's lock
    /// reached through two objects may be two locks, and a false deadlock costs more than a missed one; so may a
    /// generic type's static (one per type argument) or <c>typeof</c> of a type parameter.
    /// </summary>
    public static bool IsGlobal(LockIdentity identity) => identity.Kind switch
    {
        LockIdentityKind.TypeOf => identity.Symbol is INamedTypeSymbol type && !IsGeneric(type),
        LockIdentityKind.Member => identity.Symbol!.IsStatic && !IsGeneric(identity.Symbol.ContainingType),
        _ => false,
    };

    private static bool IsGeneric(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsCallOnThis(IOperation operation) =>
        operation is IInvocationOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } };

    /// <summary>The monitor lock a <c>lock</c> statement or a <c>Monitor.Enter</c> takes, when it can be named, and waits for as long as it takes.</summary>
    internal static (LockIdentity, IOperation)? Acquired(IOperation operation)
    {
        var identity = operation switch
        {
            ILockOperation lockOperation => LockIdentity.Of(lockOperation.LockedValue),
            IInvocationOperation enter when LockPrimitives.Recognize(enter) is { Primitive: LockPrimitive.Monitor, IsAcquire: true, Target: { } target }
                && WaitsForever(enter) => LockIdentity.Of(target),
            _ => LockIdentity.Unknown,
        };
        return IsNamed(identity) ? (identity, operation) : null;
    }

    /// <summary>
    /// <c>Enter</c>, or a <c>TryEnter</c> told to wait forever: a <c>TryEnter</c> that gives up (at once, or after a
    /// timeout) cannot be the wait of a deadlock.
    /// </summary>
    private static bool WaitsForever(IInvocationOperation enter)
    {
        if (enter.TargetMethod.Name == "Enter")
        {
            return true;
        }

        foreach (var argument in enter.Arguments)
        {
            if (argument.Parameter is { Type.SpecialType: SpecialType.System_Int32 } && argument.Value.ConstantValue is { HasValue: true, Value: -1 })
            {
                return true;
            }

            if (OperationTree.Unwrap(argument.Value) is IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call to a method with a body in this compilation, not on <c>this</c> of the type: it may take another type's
    /// locks. An overridable method may run an override that takes none: only a method that nothing overrides counts.
    /// </summary>
    internal static bool IsCallInto(IOperation operation, IAssemblySymbol assembly) =>
        operation is IInvocationOperation { TargetMethod: { IsAbstract: false } target }
        && SymbolEqualityComparer.Default.Equals(target.ContainingAssembly, assembly)
        && target.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet
        && (!(target.IsVirtual || target.IsOverride) || target.IsSealed || target.ContainingType.IsSealed);

    private static bool HasLock(ImmutableArray<HeldLock> held, bool global)
    {
        foreach (var item in held)
        {
            if (!item.IsReadLock && (global ? item.IsMonitor && IsGlobal(item.Identity) : IsNamed(item.Identity)))
            {
                return true;
            }
        }

        return false;
    }
}
