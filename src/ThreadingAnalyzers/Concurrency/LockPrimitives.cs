using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>The BCL lock primitives whose acquiring and releasing calls <see cref="LockPrimitives"/> recognizes.</summary>
internal enum LockPrimitive
{
    Monitor,
    SpinLock,
    ReaderWriterLockSlim,
    ReaderWriterLock,
    Mutex,
    Semaphore,
    SemaphoreSlim,

    /// <summary>An acquire/release pair of the code base's own, named in <c>threading_analyzers.lock_methods</c>.</summary>
    Configured,
}

/// <summary>Which side of a reader-writer lock a call takes or leaves; <see cref="Exclusive"/> for the other primitives.</summary>
internal enum LockMode
{
    Exclusive,
    Read,
    Write,
    UpgradeableRead,

    /// <summary><c>ReaderWriterLock.ReleaseLock()</c>: leaves whatever the thread holds.</summary>
    Any,
}

/// <summary>One call that takes or leaves a BCL lock primitive.</summary>
internal sealed class LockCall
{
    public LockCall(IInvocationOperation invocation, LockPrimitive primitive, LockMode mode, bool isAcquire, bool isConditional, IOperation? target, int configuredPair = -1)
    {
        ConfiguredPair = configuredPair;
        Invocation = invocation;
        Primitive = primitive;
        Mode = mode;
        IsAcquire = isAcquire;
        IsConditional = isConditional;
        Target = target;
        Key = LockKey.Of(target);
    }

    public IInvocationOperation Invocation { get; }

    /// <summary>For <see cref="LockPrimitive.Configured"/>, which configured pair the call belongs to; -1 otherwise.</summary>
    public int ConfiguredPair { get; }

    public LockPrimitive Primitive { get; }

    public LockMode Mode { get; }

    public bool IsAcquire { get; }

    /// <summary>
    /// Whether only the call's result tells if the lock was taken: <c>TryEnter*</c>, <c>Wait(timeout)</c>,
    /// <c>WaitOne(timeout)</c>. <c>Enter(x, ref lockTaken)</c> is not: lockTaken stays false only when Enter throws.
    /// </summary>
    public bool IsConditional { get; }

    /// <summary>The lock as written: Monitor's object argument, else the receiver.</summary>
    public IOperation? Target { get; }

    /// <summary>The lock, when two calls can be seen to name the same one; null otherwise.</summary>
    public LockKey? Key { get; }

    public int Position => Invocation.Syntax.SpanStart;

    /// <summary>Whether this call releases what <paramref name="acquire"/> took.</summary>
    public bool Releases(LockCall acquire) =>
        !IsAcquire && acquire.IsAcquire && Primitive == acquire.Primitive && ConfiguredPair == acquire.ConfiguredPair
        && (Mode == acquire.Mode || Mode == LockMode.Any)
        && Key is { } key && key.Equals(acquire.Key);

    /// <summary>Whether this call takes or leaves the same lock as <paramref name="other"/> (either side, any mode).</summary>
    public bool SameLock(LockCall other) => Primitive == other.Primitive && Key is { } key && key.Equals(other.Key);
}

/// <summary>
/// Recognizes the calls that take and release the BCL lock primitives (<c>Monitor</c>, <c>SpinLock</c>,
/// <c>ReaderWriterLockSlim</c>, <c>ReaderWriterLock</c>, <c>Mutex</c>, <c>Semaphore</c>, <c>SemaphoreSlim</c>), by method
/// and type, with named arguments in any order; and lists them in the own code of a function. <see cref="LockSet"/> asks
/// it before its name-based guesses about user types.
/// </summary>
internal static class LockPrimitives
{
    /// <summary>The names of the framework's acquiring calls that <see cref="Recognize"/> knows.</summary>
    private static readonly SourceWords FrameworkAcquireWords = new(
        "Enter", "TryEnter", "EnterReadLock", "TryEnterReadLock", "EnterWriteLock", "TryEnterWriteLock", "EnterUpgradeableReadLock",
        "TryEnterUpgradeableReadLock", "AcquireReaderLock", "AcquireWriterLock", "WaitOne", "Wait", "WaitAsync");

    /// <summary>
    /// The words without which a text has no acquiring call: the framework's names, or none to go by (null) when the
    /// options name acquire methods of the code base's own.
    /// </summary>
    public static SourceWords? AcquireWords(ThreadingOptions options) => options.HasLockMethods ? null : FrameworkAcquireWords;

    public static LockCall? Recognize(IInvocationOperation invocation) => Framework(invocation) ?? Configured(invocation);

    private static LockCall? Framework(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Enter" or "TryEnter" or "Exit":
                var acquire = method.Name != "Exit";
                if (method.IsStatic)
                {
                    return IsThreadingType(method.ContainingType, "Monitor")
                        ? new LockCall(invocation, LockPrimitive.Monitor, LockMode.Exclusive, acquire, method.Name == "TryEnter", Argument(invocation, 0))
                        : null;
                }

                return IsThreadingType(method.ContainingType, "SpinLock")
                    ? new LockCall(invocation, LockPrimitive.SpinLock, LockMode.Exclusive, acquire, method.Name == "TryEnter", invocation.Instance)
                    : null;
            case "EnterReadLock" or "TryEnterReadLock" or "ExitReadLock":
                return ReaderWriterSlim(invocation, LockMode.Read);
            case "EnterWriteLock" or "TryEnterWriteLock" or "ExitWriteLock":
                return ReaderWriterSlim(invocation, LockMode.Write);
            case "EnterUpgradeableReadLock" or "TryEnterUpgradeableReadLock" or "ExitUpgradeableReadLock":
                return ReaderWriterSlim(invocation, LockMode.UpgradeableRead);
            case "AcquireReaderLock" or "ReleaseReaderLock":
                return ReaderWriter(invocation, LockMode.Read);
            case "AcquireWriterLock" or "ReleaseWriterLock":
                return ReaderWriter(invocation, LockMode.Write);
            case "ReleaseLock":
                return ReaderWriter(invocation, LockMode.Any);
            case "WaitOne":
                // WaitHandle declares it: the receiver's own type says whether it takes a lock or waits for a signal.
                var handle = invocation.Instance?.Type as INamedTypeSymbol;
                var primitive = IsThreadingType(handle, "Mutex") ? LockPrimitive.Mutex
                    : IsThreadingType(handle, "Semaphore") ? LockPrimitive.Semaphore
                    : (LockPrimitive?)null;
                return primitive is { } waited
                    ? new LockCall(invocation, waited, LockMode.Exclusive, isAcquire: true, isConditional: method.Parameters.Length > 0, invocation.Instance)
                    : null;
            case "ReleaseMutex":
                return IsThreadingType(method.ContainingType, "Mutex")
                    ? new LockCall(invocation, LockPrimitive.Mutex, LockMode.Exclusive, isAcquire: false, isConditional: false, invocation.Instance)
                    : null;
            case "Release":
                return IsThreadingType(method.ContainingType, "SemaphoreSlim")
                    ? new LockCall(invocation, LockPrimitive.SemaphoreSlim, LockMode.Exclusive, isAcquire: false, isConditional: false, invocation.Instance)
                    : IsThreadingType(method.ContainingType, "Semaphore")
                    ? new LockCall(invocation, LockPrimitive.Semaphore, LockMode.Exclusive, isAcquire: false, isConditional: false, invocation.Instance)
                    : null;
            case "Wait" or "WaitAsync":
                // Wait() and WaitAsync() return nothing to test; Wait(timeout) returns bool, WaitAsync(timeout) Task<bool>.
                return IsThreadingType(method.ContainingType, "SemaphoreSlim")
                    ? new LockCall(invocation, LockPrimitive.SemaphoreSlim, LockMode.Exclusive, isAcquire: true, isConditional: ReturnsBool(method), invocation.Instance)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// A call of a configured acquire or release method (<c>threading_analyzers.lock_methods</c>). The lock is the
    /// receiver, or for a static method its first argument; a compilation without the option answers at once.
    /// </summary>
    private static LockCall? Configured(IInvocationOperation invocation)
    {
        if (invocation.SemanticModel?.Compilation is not { } compilation)
        {
            return null;
        }

        var options = ThreadingTypes.From(compilation).Options;
        var pair = -1;
        var role = options.HasLockMethods ? options.LockRole(invocation.TargetMethod, out pair) : LockMethodRole.None;
        if (role == LockMethodRole.None)
        {
            return null;
        }

        var target = invocation.TargetMethod.IsStatic ? Argument(invocation, 0) : invocation.Instance;
        return new LockCall(invocation, LockPrimitive.Configured, LockMode.Exclusive, role == LockMethodRole.Acquire, isConditional: false, target, pair);
    }

    /// <summary>The recognized calls of <paramref name="function"/>'s own code (not its nested lambdas or local functions), in walk order.</summary>
    public static List<LockCall> CallsOf(IOperation function)
    {
        var calls = new List<LockCall>();
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            if (kind == OperationKind.Invocation && Recognize((IInvocationOperation)operation) is { } call)
            {
                calls.Add(call);
            }
        }

        return calls;
    }

    /// <summary>Whether <paramref name="region"/> (outside nested functions) releases what <paramref name="acquire"/> took.</summary>
    public static bool ReleasesIn(IOperation region, LockCall acquire)
    {
        foreach (var (operation, kind) in OperationWalk.OperationsOf(region).WithKinds())
        {
            if (kind == OperationKind.Invocation && Recognize((IInvocationOperation)operation) is { } call && call.Releases(acquire))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The argument bound to the parameter at <paramref name="ordinal"/>, wherever it is written (named arguments come in any order).</summary>
    public static IOperation? Argument(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static LockCall? ReaderWriterSlim(IInvocationOperation invocation, LockMode mode) =>
        !invocation.TargetMethod.IsStatic && IsThreadingType(invocation.TargetMethod.ContainingType, "ReaderWriterLockSlim")
            ? new LockCall(
                invocation,
                LockPrimitive.ReaderWriterLockSlim,
                mode,
                isAcquire: !invocation.TargetMethod.Name.StartsWith("Exit", StringComparison.Ordinal),
                isConditional: invocation.TargetMethod.Name.StartsWith("Try", StringComparison.Ordinal),
                invocation.Instance)
            : null;

    // AcquireReaderLock(timeout) throws when the time runs out: never conditional.
    private static LockCall? ReaderWriter(IInvocationOperation invocation, LockMode mode) =>
        !invocation.TargetMethod.IsStatic && IsThreadingType(invocation.TargetMethod.ContainingType, "ReaderWriterLock")
            ? new LockCall(
                invocation,
                LockPrimitive.ReaderWriterLock,
                mode,
                isAcquire: invocation.TargetMethod.Name.StartsWith("Acquire", StringComparison.Ordinal),
                isConditional: false,
                invocation.Instance)
            : null;

    private static bool ReturnsBool(IMethodSymbol method) =>
        method.ReturnType.SpecialType == SpecialType.System_Boolean
        || method.ReturnType is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } task && task.TypeArguments[0].SpecialType == SpecialType.System_Boolean;

    private static bool IsThreadingType(INamedTypeSymbol? type, string name) =>
        type is not null
        && type.Name == name
        && type.ContainingNamespace is { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}

/// <summary>What a lock call names, when two calls can be seen to name the same lock: a local, a parameter, a field or property of this or static, this, or typeof(T).</summary>
internal readonly struct LockKey : IEquatable<LockKey>
{
    private readonly ISymbol? _symbol;
    private readonly bool _isThis;
    private readonly bool _isTypeOf;

    private LockKey(ISymbol? symbol, bool isThis, bool isTypeOf)
    {
        _symbol = symbol;
        _isThis = isThis;
        _isTypeOf = isTypeOf;
    }

    public static LockKey? Of(IOperation? target)
    {
        var value = OperationTree.Unwrap(target);
        return value switch
        {
            IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => new LockKey(null, isThis: true, isTypeOf: false),
            ITypeOfOperation typeOf => new LockKey(typeOf.TypeOperand, isThis: false, isTypeOf: true),
            _ => OperationTree.ReferencedSymbol(value) is { } symbol ? new LockKey(symbol, isThis: false, isTypeOf: false) : null,
        };
    }

    public bool Equals(LockKey other) =>
        _isThis == other._isThis && _isTypeOf == other._isTypeOf && SymbolEqualityComparer.Default.Equals(_symbol, other._symbol);

    public bool Equals(LockKey? other) => other is { } key && Equals(key);

    public override bool Equals(object? obj) => obj is LockKey other && Equals(other);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(_symbol);
}
