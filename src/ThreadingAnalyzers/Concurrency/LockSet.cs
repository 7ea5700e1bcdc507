using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

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
        var sections = LockSections.Of(function);
        if (sections.Acquires.Count == 0)
        {
            return false;
        }

        // A read lock lets other readers in: it protects no write.
        foreach (var acquire in sections.HeldAt(operation.Syntax.SpanStart))
        {
            if (!acquire.IsReadLock)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For a walk of <paramref name="function"/>'s own code (<see cref="OperationWalk.OperationsOf"/>) that has met all of its
    /// <paramref name="invocations"/>: its acquiring and releasing calls are kept for the <see cref="IsHeldAt"/> questions
    /// about it that follow (in the open <see cref="RecentlyComputed"/> scope), so that they do not walk it again.
    /// </summary>
    public static void RememberCalls(IOperation function, List<IInvocationOperation> invocations) => LockSections.Remember(function, invocations);

    /// <summary>A <c>using</c> resource that takes a lock: <c>gate.EnterScope()</c>, <c>await mutex.LockAsync()</c>.</summary>
    internal static bool IsLockScope(IOperation? resource)
    {
        switch (OperationTree.Unwrap(resource))
        {
            case IAwaitOperation awaited:
                return IsLockScope(awaited.Operation);
            case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure:
                return IsLockScope(configure.Instance);
            case IInvocationOperation invocation:
                var name = invocation.TargetMethod.Name;
                return name.IndexOf("Lock", StringComparison.Ordinal) >= 0 || name.StartsWith("Enter", StringComparison.Ordinal)
                    || name.StartsWith("Acquire", StringComparison.Ordinal) || LockSections.IsLockLikeType(invocation.Type);
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
    internal static bool HasLockScopeDeclarationBefore(IBlockOperation block, IOperation operation)
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
