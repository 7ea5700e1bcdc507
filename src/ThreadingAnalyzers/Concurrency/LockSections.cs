using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One acquiring or releasing call of a function, with the object it locks.</summary>
internal readonly struct SectionCall
{
    public SectionCall(IInvocationOperation call, LockIdentity identity, ISymbol? key, bool isMonitor, bool isReadLock)
    {
        Call = call;
        IsReadLock = isReadLock;
        Position = call.Syntax.SpanStart;
        Identity = identity;
        Key = key;
        IsMonitor = isMonitor;
    }

    public IInvocationOperation Call { get; }

    public int Position { get; }

    /// <summary>The object locked: Monitor's argument, or the primitive the call is made on.</summary>
    public LockIdentity Identity { get; }

    /// <summary>The variable that holds the locked object (a local, parameter, or member of <c>this</c> or static), for matching a release to its acquire.</summary>
    public ISymbol? Key { get; }

    /// <summary><c>Monitor.Enter</c>/<c>TryEnter</c>/<c>Exit</c>: the lock a <c>lock</c> statement takes, and that Wait/Pulse need.</summary>
    public bool IsMonitor { get; }

    /// <summary>A reader-writer lock's read lock: it orders reads against writers, and excludes no other reader.</summary>
    public bool IsReadLock { get; }

    /// <summary>Whether <paramref name="release"/> releases what this acquire took.</summary>
    public bool IsReleasedBy(SectionCall release) =>
        IsReadLock == release.IsReadLock
        && (Key is not null ? SymbolEqualityComparer.Default.Equals(Key, release.Key)
            : Identity.Kind is LockIdentityKind.This or LockIdentityKind.TypeOf && Identity.Equals(release.Identity));
}

/// <summary>
/// The lock sections of one function that calls make rather than statements: <c>Monitor.Enter</c>/<c>TryEnter</c> ...
/// <c>Exit</c>, a semaphore's, mutex's or reader-writer lock's <c>Wait</c>/<c>WaitOne</c>/<c>Enter*Lock</c> ...
/// <c>Release</c>, a hand-made <c>Interlocked</c> try-lock. A section runs from its acquire to the next release of the
/// same object, by position (an acquire that nothing releases is held to the end: the rules stay silent there).
/// </summary>
internal sealed class LockSections
{
    public List<SectionCall> Acquires { get; } = new();

    public List<SectionCall> Releases { get; } = new();

    /// <summary>The sections of <paramref name="function"/>'s own code, found once while a <see cref="RecentlyComputed"/> scope is open.</summary>
    public static LockSections Of(IOperation function) => RecentlyComputed.GetOrAdd<IOperation, LockSections>(function, Find);

    /// <summary>Keeps the sections of a function whose walk has met all of its <paramref name="invocations"/>.</summary>
    public static void Remember(IOperation function, List<IInvocationOperation> invocations)
    {
        var sections = From(invocations);
        RecentlyComputed.GetOrAdd(function, _ => sections);
    }

    /// <summary>The sections that <paramref name="invocations"/>, every invocation of one function's own code, make.</summary>
    public static LockSections From(List<IInvocationOperation> invocations)
    {
        var sections = new LockSections();
        foreach (var invocation in invocations)
        {
            sections.Add(invocation);
        }

        return sections;
    }

    /// <summary>The acquires that are not yet released at <paramref name="position"/>.</summary>
    public IEnumerable<SectionCall> HeldAt(int position)
    {
        foreach (var acquire in Acquires)
        {
            if (acquire.Position >= position)
            {
                continue;
            }

            var released = false;
            foreach (var release in Releases)
            {
                if (release.Position > acquire.Position && release.Position < position && acquire.IsReleasedBy(release))
                {
                    released = true;
                    break;
                }
            }

            if (!released)
            {
                yield return acquire;
            }
        }
    }

    private static LockSections Find(IOperation function)
    {
        var sections = new LockSections();
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            if (kind == OperationKind.Invocation && operation is IInvocationOperation invocation)
            {
                sections.Add(invocation);
            }
        }

        return sections;
    }

    private void Add(IInvocationOperation invocation)
    {
        if (IsAcquire(invocation))
        {
            Acquires.Add(Describe(invocation));
        }
        else if (IsRelease(invocation))
        {
            Releases.Add(Describe(invocation));
        }
    }

    /// <summary>Monitor's argument, or the receiver; none for <c>WaitHandle.WaitAll</c> or an Interlocked try-lock (held to the end).</summary>
    private static SectionCall Describe(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "WaitAll" or "WaitAny" or "CompareExchange" or "Exchange")
        {
            return new SectionCall(invocation, LockIdentity.Unknown, null, isMonitor: false, isReadLock: false);
        }

        var locked = method.IsStatic ? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null) : invocation.Instance;
        var isMonitor = method.IsStatic && method.ContainingType?.Name == "Monitor" && Symbols.IsNamespace(method.ContainingType.ContainingNamespace, Symbols.ThreadingNamespace);
        var identity = LockIdentity.Of(locked);
        var isReadLock = LockPrimitives.Recognize(invocation) is { } call
            ? call.Mode == LockMode.Read
            : method.Name is "EnterReadLock" or "TryEnterReadLock" or "AcquireReaderLock" or "ExitReadLock" or "ReleaseReaderLock";
        return new SectionCall(invocation, identity, OperationTree.ReferencedSymbol(OperationTree.Unwrap(locked)), isMonitor, isReadLock);
    }

    private static bool IsAcquire(IInvocationOperation invocation)
    {
        // The framework's primitives and the configured pairs are known exactly; other calls are judged by their names.
        // A semaphore created with room for several holders lets several writers in at once: it is no lock.
        if (LockPrimitives.Recognize(invocation) is { } call)
        {
            return call.IsAcquire && !(call.Primitive is LockPrimitive.Semaphore or LockPrimitive.SemaphoreSlim && AdmitsMany(invocation));
        }

        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Enter" or "TryEnter" or "ReliableEnter":
            case "EnterWriteLock" or "TryEnterWriteLock" or "EnterUpgradeableReadLock" or "TryEnterUpgradeableReadLock":
            case "EnterReadLock" or "TryEnterReadLock" or "AcquireReaderLock":
            case "AcquireWriterLock" or "AcquireLock" or "Acquire" or "AcquireAsync" or "Lock" or "LockAsync":
                return true;
            case "Wait" or "WaitAsync" or "WaitOne":
                return IsLockLikeType(invocation.Instance?.Type) && !AdmitsMany(invocation);
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

    private static bool AdmitsMany(IInvocationOperation invocation) =>
        SemaphoreCount.AdmitsMany(OperationTree.ReferencedSymbol(OperationTree.Unwrap(invocation.Instance)));

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
            ? !call.IsAcquire
            : invocation.TargetMethod.Name is "Exit" or "Release" or "ReleaseMutex" or "Set" or "ExitWriteLock" or "ExitUpgradeableReadLock"
            or "ReleaseWriterLock" or "ReleaseLock" or "Unlock" or "ExitReadLock" or "ReleaseReaderLock";

    /// <summary>SemaphoreSlim, WaitHandles (Semaphore, Mutex, AutoResetEvent, ...), and user types named like a lock.</summary>
    internal static bool IsLockLikeType(ITypeSymbol? type)
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
}
