using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>Which other execution a shared write can meet.</summary>
internal enum ConflictKind
{
    /// <summary>The same body, running more than once at a time, writes the same variable.</summary>
    SameBodyAgain,
    /// <summary>Another concurrent body (of the same or an overlapping entry point) touches the variable.</summary>
    OtherBody,
    /// <summary>The starting function touches the variable while the body may still run.</summary>
    Starter,
}

/// <summary>Why a write of a concurrent body is shared: the other execution it meets, and where.</summary>
internal sealed class Conflict
{
    public Conflict(ConflictKind kind, Access? other, EntryPoint? otherEntry)
    {
        Kind = kind;
        Other = other;
        OtherEntry = otherEntry;
    }

    public ConflictKind Kind { get; }

    /// <summary>The other execution's access; null for <see cref="ConflictKind.SameBodyAgain"/>, where it is the write itself.</summary>
    public Access? Other { get; }

    /// <summary>The entry point of the other body, for <see cref="ConflictKind.OtherBody"/>.</summary>
    public EntryPoint? OtherEntry { get; }

    /// <summary>Where the other execution touches the variable, when it is not the write itself.</summary>
    public Location? OtherLocation => Other?.Operation.Syntax.GetLocation();
}
