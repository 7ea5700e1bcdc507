using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether a lock is held at an operation: a <c>lock</c> statement, <c>Monitor.Enter</c>/<c>TryEnter</c> not yet
/// followed by <c>Exit</c>, a <c>[MethodImpl(MethodImplOptions.Synchronized)]</c> method, a <c>Wait</c>/<c>WaitOne</c>/
/// <c>WaitAsync</c>/<c>Enter*Lock</c> of a semaphore, mutex or reader-writer lock not yet released, a <c>using</c> of a
/// lock scope (<c>Lock.EnterScope()</c>, <c>await mutex.LockAsync()</c>), or, across calls, a lock held at every call
/// on the path from a concurrent body (see <see cref="IsHeldOnEveryPath"/>).
/// Where it cannot tell, it answers "held": the rules built on it stay silent rather than flag protected code.
/// </summary>
internal static class LockSet
{
    /// <summary>
    /// Whether a lock is held at <paramref name="operation"/> by the code of <paramref name="function"/> itself (the
    /// body or method that contains it; synchronous nested lambdas are part of it), or because <paramref name="method"/>
    /// is a Synchronized method.
    /// </summary>
    public static bool IsHeldAt(IOperation operation, IOperation function, IMethodSymbol? method = null)
    {
        if (method is not null && IsSynchronized(method))
        {
            return true;
        }

        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    return true;
                case IUsingOperation usingOperation when IsLockScope(usingOperation.Resources):
                    return true;
                case IBlockOperation block when HasLockScopeDeclarationBefore(block, operation):
                    return true;
            }
        }

        return HasUnreleasedAcquireBefore(operation, function);
    }

    /// <summary>
    /// For a method reached from a concurrent body: whether every call path from the body to it holds a lock
    /// (<paramref name="isHeldInCaller"/> says it for the callers that are themselves reached methods).
    /// </summary>
    public static bool IsHeldOnEveryPath(ReachedMethod reached, Func<IOperation, bool> isHeldInCaller)
    {
        if (IsSynchronized(reached.Method))
        {
            return true;
        }

        foreach (var call in reached.Callers)
        {
            if (!IsHeldAt(call.Operation, call.Caller) && !isHeldInCaller(call.Caller))
            {
                return false;
            }
        }

        return reached.Callers.Length > 0;
    }

    /// <summary><c>[MethodImpl(MethodImplOptions.Synchronized)]</c>: the runtime locks the instance (or the type) around the call.</summary>
    public static bool IsSynchronized(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "MethodImplAttribute" && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is { } value
                && (Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) & 0x20) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasUnreleasedAcquireBefore(IOperation operation, IOperation function)
    {
        // Most functions acquire nothing: the position (a walk down to the first token) is asked only when one does.
        var calls = RecentlyComputed.GetOrAdd<IOperation, LockCalls>(function, FindLockCalls);
        if (calls.Acquires.Count == 0)
        {
            return false;
        }

        var position = operation.Syntax.SpanStart;
        foreach (var acquire in calls.Acquires)
        {
            if (acquire.Position >= position)
            {
                continue;
            }

            var released = false;
            foreach (var release in calls.Releases)
            {
                if (release.Position > acquire.Position && release.Position < position && acquire.Key is not null
                    && SymbolEqualityComparer.Default.Equals(acquire.Key, release.Key))
                {
                    released = true;
                    break;
                }
            }

            if (!released)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For a walk of <paramref name="function"/>'s own code (<see cref="Reach.OperationsOf"/>) that has met all of its
    /// <paramref name="invocations"/>: its acquiring and releasing calls are kept for the <see cref="IsHeldAt"/> questions
    /// about it that follow (in the open <see cref="RecentlyComputed"/> scope), so that they do not walk it again.
    /// </summary>
    public static void RememberCalls(IOperation function, List<IInvocationOperation> invocations)
    {
        var calls = new LockCalls();
        foreach (var invocation in invocations)
        {
            calls.Add(invocation);
        }

        RecentlyComputed.GetOrAdd(function, _ => calls);
    }

    private static LockCalls FindLockCalls(IOperation function)
    {
        var calls = new LockCalls();
        foreach (var (operation, kind) in Reach.OperationsOf(function).WithKinds())
        {
            if (kind == OperationKind.Invocation && operation is IInvocationOperation invocation)
            {
                calls.Add(invocation);
            }
        }

        return calls;
    }

    /// <summary>The acquiring and releasing calls of one function, found once.</summary>
    private sealed class LockCalls
    {
        public List<(int Position, ISymbol? Key)> Acquires { get; } = new();

        public List<(int Position, ISymbol? Key)> Releases { get; } = new();

        public void Add(IInvocationOperation invocation)
        {
            if (IsAcquire(invocation))
            {
                Acquires.Add((invocation.Syntax.SpanStart, LockKey(invocation)));
            }
            else if (IsRelease(invocation))
            {
                Releases.Add((invocation.Syntax.SpanStart, LockKey(invocation)));
            }
        }
    }

    private static bool IsAcquire(IInvocationOperation invocation)
    {
        // A BCL primitive's read lock lets other readers in: it protects no write.
        if (LockPrimitives.Recognize(invocation) is { } call)
        {
            return call.IsAcquire && call.Mode != LockMode.Read;
        }

        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Enter" or "TryEnter" or "ReliableEnter":
            case "EnterWriteLock" or "TryEnterWriteLock" or "EnterUpgradeableReadLock" or "TryEnterUpgradeableReadLock":
            case "AcquireWriterLock" or "AcquireLock" or "Acquire" or "AcquireAsync" or "Lock" or "LockAsync":
                return true;
            case "Wait" or "WaitAsync" or "WaitOne":
                return IsLockLikeType(invocation.Instance?.Type);
            case "WaitAll" or "WaitAny":
                // WaitHandle.WaitAll(new[] { mutex1, mutex2 }) takes every mutex at once.
                return method.IsStatic && method.ContainingType?.Name == "WaitHandle";
            case "CompareExchange" or "Exchange":
                // if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return; is a hand-made try-lock.
                return method.ContainingType?.Name == "Interlocked" && IsTested(invocation);
            default:
                return false;
        }
    }

    /// <summary>The call's result decides a branch: <c>if (... != 0) return;</c>, <c>while (... == 1)</c>.</summary>
    private static bool IsTested(IOperation invocation)
    {
        var current = invocation.Parent;
        while (current is IConversionOperation or IParenthesizedOperation or IBinaryOperation or IUnaryOperation)
        {
            current = current.Parent;
        }

        return current is IConditionalOperation or ILoopOperation or IConditionalAccessOperation
            || (current is IReturnOperation && current.Parent is not null);
    }

    private static bool IsRelease(IInvocationOperation invocation) =>
        LockPrimitives.Recognize(invocation) is { } call
            ? !call.IsAcquire && call.Mode != LockMode.Read
            : invocation.TargetMethod.Name is "Exit" or "Release" or "ReleaseMutex" or "Set" or "ExitWriteLock" or "ExitUpgradeableReadLock"
            or "ReleaseWriterLock" or "ReleaseLock" or "Unlock";

    /// <summary>The lock a call acquires or releases: Monitor's argument, or the receiver (none for WaitHandle.WaitAll or an Interlocked try-lock: held to the end).</summary>
    private static ISymbol? LockKey(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is "WaitAll" or "WaitAny" or "CompareExchange" or "Exchange")
        {
            return null;
        }

        if (invocation.TargetMethod.IsStatic)
        {
            return invocation.Arguments.Length > 0 ? EntryPoints.ReferencedSymbol(EntryPoints.Unwrap(invocation.Arguments[0].Value)) : null;
        }

        return EntryPoints.ReferencedSymbol(EntryPoints.Unwrap(invocation.Instance));
    }

    /// <summary>SemaphoreSlim, WaitHandles (Semaphore, Mutex, AutoResetEvent, ...), and user types named like a lock.</summary>
    private static bool IsLockLikeType(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var name = current.Name;
            if (name is "SemaphoreSlim" or "WaitHandle"
                || name.IndexOf("Lock", StringComparison.Ordinal) >= 0
                || name.IndexOf("Semaphore", StringComparison.Ordinal) >= 0
                || name.IndexOf("Mutex", StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLockScope(IOperation? resource)
    {
        switch (EntryPoints.Unwrap(resource))
        {
            case IAwaitOperation awaited:
                return IsLockScope(awaited.Operation);
            case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure:
                return IsLockScope(configure.Instance);
            case IInvocationOperation invocation:
                var name = invocation.TargetMethod.Name;
                return name.IndexOf("Lock", StringComparison.Ordinal) >= 0 || name.StartsWith("Enter", StringComparison.Ordinal)
                    || name.StartsWith("Acquire", StringComparison.Ordinal) || IsLockLikeType(invocation.Type);
            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        if (IsLockScope(declarator.Initializer?.Value ?? declaration.Initializer?.Value))
                        {
                            return true;
                        }
                    }
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary><c>using var scope = gate.EnterScope();</c> earlier in the same block.</summary>
    private static bool HasLockScopeDeclarationBefore(IBlockOperation block, IOperation operation)
    {
        // Asked for every block around every write: the kind first, positions (a walk down to each statement's first
        // token) only for the rare using declaration.
        foreach (var statement in block.Operations)
        {
            if (statement.Kind == OperationKind.UsingDeclaration && statement is IUsingDeclarationOperation declaration
                && statement.Syntax.SpanStart < operation.Syntax.SpanStart && IsLockScope(declaration.DeclarationGroup))
            {
                return true;
            }
        }

        return false;
    }
}
