using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One lock held at an operation.</summary>
internal readonly struct HeldLock
{
    public HeldLock(LockIdentity identity, IOperation? acquisition, bool isMonitor, bool isReadLock = false)
    {
        IsReadLock = isReadLock;
        Identity = identity;
        Acquisition = acquisition;
        IsMonitor = isMonitor;
    }

    public LockIdentity Identity { get; }

    /// <summary>The <c>lock</c> statement or acquiring call in the same function; null for a Synchronized method's lock or a lock its callers hold.</summary>
    public IOperation? Acquisition { get; }

    /// <summary>A monitor lock (<c>lock</c>, <c>Monitor.Enter</c>, Synchronized): the one Wait and Pulse need, the one that can deadlock by order.</summary>
    public bool IsMonitor { get; }

    /// <summary>A reader-writer lock's read lock: it guards reads only.</summary>
    public bool IsReadLock { get; }
}

/// <summary>
/// Which locks are held at an operation, each with its <see cref="LockIdentity"/>: <c>lock</c> statements, lock
/// sections made of calls (<see cref="LockSections"/>), <c>using</c> lock scopes, <c>[MethodImpl(Synchronized)]</c>
/// methods (<c>this</c>, or the type), and, across calls, the locks that every call site of a private method (or
/// local function, or <c>Dispose(bool)</c>) of the same type holds: a private helper called only while the lock is held
/// holds it too. The call sites of a type are found once per compilation (<see cref="ForType"/>).
/// </summary>
internal sealed class LockModel
{
    private static readonly ConditionalWeakTable<Compilation, LockModel> Cache = new();

    private readonly Reach _reach;
    private readonly ConcurrentDictionary<INamedTypeSymbol, Lazy<TypeLocks>> _types = new(SymbolEqualityComparer.Default);

    private LockModel(Compilation compilation) => _reach = Reach.For(compilation);

    public static LockModel For(Compilation compilation) => Cache.GetValue(compilation, static c => new LockModel(c));

    /// <summary>The functions, calls and inherited locks of <paramref name="type"/>'s outermost type and every type nested in it, found once.</summary>
    public TypeLocks ForType(INamedTypeSymbol type)
    {
        type = Outermost(type);
        return (_types.TryGetValue(type, out var known) ? known : _types.GetOrAdd(type, t => new Lazy<TypeLocks>(() => new TypeLocks(t, _reach)))).Value;
    }

    /// <summary>
    /// The locks held at <paramref name="operation"/>: by its own function, by that function's Synchronized method, and
    /// by every caller of a private method. <paramref name="member"/> is the method whose body holds the operation, when
    /// the caller knows it.
    /// </summary>
    public ImmutableArray<HeldLock> HeldAt(IOperation operation, IMethodSymbol? member = null)
    {
        var function = FunctionOf(operation);
        var held = HeldInFunction(operation, function);
        var method = function switch
        {
            ILocalFunctionOperation local => local.Symbol,
            IAnonymousFunctionOperation => null,
            IMethodBodyBaseOperation => member ?? operation.SemanticModel?.GetDeclaredSymbol(function.Syntax) as IMethodSymbol,
            _ => null,
        };
        if (method is null)
        {
            return held;
        }

        var builder = held.ToBuilder();
        if (LockSet.IsSynchronized(method))
        {
            builder.Add(new HeldLock(LockIdentity.OfSynchronized(method), null, isMonitor: true));
        }

        if (TypeLocks.InheritsCallersLocks(method))
        {
            builder.AddRange(ForType(method.ContainingType).Inherited(method));
        }

        return builder.ToImmutable();
    }

    /// <summary>The function whose code <paramref name="operation"/> runs as: its method, local function, or a lambda that may run elsewhere.</summary>
    public static IOperation FunctionOf(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.LocalFunction
                || (parent.Kind == OperationKind.AnonymousFunction && !OperationWalk.RunsSynchronously(parent)))
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    /// <summary>The locks that <paramref name="function"/>'s own code holds at <paramref name="operation"/>.</summary>
    public static ImmutableArray<HeldLock> HeldInFunction(IOperation operation, IOperation function) =>
        HeldInFunction(operation, function, LockSections.Of(function));

    /// <summary><see cref="HeldInFunction(IOperation, IOperation)"/> with the function's lock sections at hand (<see cref="LockedFunction.Sections"/>).</summary>
    public static ImmutableArray<HeldLock> HeldInFunction(IOperation operation, IOperation function, LockSections sections)
    {
        var held = ImmutableArray.CreateBuilder<HeldLock>();
        var child = operation;
        for (var current = operation.Parent; current is not null && current != function; child = current, current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation lockOperation when lockOperation.Body == child:
                    held.Add(new HeldLock(LockIdentity.Of(lockOperation.LockedValue), lockOperation, isMonitor: true));
                    break;
                case IUsingOperation usingOperation when usingOperation.Body == child && LockSet.IsLockScope(usingOperation.Resources):
                    held.Add(new HeldLock(ScopeIdentity(usingOperation.Resources), usingOperation, isMonitor: false));
                    break;
                case IBlockOperation block when LockSet.HasLockScopeDeclarationBefore(block, operation):
                    held.Add(new HeldLock(LockIdentity.Unknown, block, isMonitor: false));
                    break;
            }
        }

        if (sections.Acquires.Count > 0)
        {
            foreach (var acquire in sections.HeldAt(operation.Syntax.SpanStart))
            {
                held.Add(new HeldLock(acquire.Identity, acquire.Call, acquire.IsMonitor, acquire.IsReadLock));
            }
        }

        return held.ToImmutable();
    }

    /// <summary>Whether <paramref name="held"/> holds <paramref name="identity"/>.</summary>
    public static bool Holds(ImmutableArray<HeldLock> held, LockIdentity identity)
    {
        foreach (var item in held)
        {
            if (item.Identity.Equals(identity))
            {
                return true;
            }
        }

        return false;
    }

    private static LockIdentity ScopeIdentity(IOperation? resource) =>
        OperationTree.Unwrap(resource) is IInvocationOperation { Instance: { } instance } ? LockIdentity.Of(instance) : LockIdentity.Unknown;

    private static INamedTypeSymbol Outermost(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        while (type.ContainingType is { } containing)
        {
            type = containing.OriginalDefinition;
        }

        return type;
    }
}
