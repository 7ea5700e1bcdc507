using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>How an operation touches a <see cref="SharedTarget"/>.</summary>
internal enum AccessKind
{
    Read,
    /// <summary><c>x++</c>, <c>x += n</c>, <c>x = x + n</c>, a <c>ref</c> argument: other writers' updates can be lost.</summary>
    ReadModifyWrite,
    /// <summary><c>x = value</c> where the value does not read <c>x</c> (also <c>out</c> arguments and <c>??=</c>).</summary>
    Write,
    /// <summary>A constant, or a plain assignment of a <c>volatile</c> field: it cannot lose anyone's update.</summary>
    BenignWrite,
    /// <summary>A <c>ref</c> pass to <c>Interlocked</c>, <c>Volatile</c>, <c>ImmutableInterlocked</c> or another System.Threading API.</summary>
    SynchronizedAccess,
    /// <summary>A mutating call or an indexer set on a non-thread-safe collection (List&lt;T&gt;, Dictionary&lt;K,V&gt;, ...).</summary>
    CollectionMutation,
}

/// <summary>One access to a <see cref="SharedTarget"/>.</summary>
internal sealed class Access
{
    public Access(IOperation operation, IOperation reference, SharedTarget target, AccessKind kind, bool isLocked)
    {
        Operation = operation;
        Reference = reference;
        Target = target;
        Kind = kind;
        IsLocked = isLocked;
    }

    /// <summary>The whole access: the assignment, increment, call or argument; the reference itself for a read.</summary>
    public IOperation Operation { get; }

    /// <summary>The field, property, local or parameter reference.</summary>
    public IOperation Reference { get; }

    public SharedTarget Target { get; }

    public AccessKind Kind { get; }

    /// <summary>A lock is held here (see <see cref="LockSet"/>), in this function or on every call path to it; computed for writes only.</summary>
    public bool IsLocked { get; }

    public bool IsWrite => Kind is AccessKind.ReadModifyWrite or AccessKind.Write or AccessKind.CollectionMutation;

    /// <summary>A write with no lock held: the only kind of access THR002 can report.</summary>
    public bool IsUnlockedWrite => IsWrite && !IsLocked;

    public Access WithTarget(SharedTarget target, bool? isLocked = null) =>
        target == Target && isLocked is null ? this : new Access(Operation, Reference, target, Kind, isLocked ?? IsLocked);
}
