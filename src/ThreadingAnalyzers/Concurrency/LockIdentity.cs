using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>What a held lock is known to be.</summary>
internal enum LockIdentityKind
{
    /// <summary>A lock whose object cannot be named (a call's result, an element, a hand-made try-lock): held, but no identity.</summary>
    Unknown,

    /// <summary>A field or property: static, or of <c>this</c> (<see cref="LockIdentity.IsOnThis"/>), or of another instance.</summary>
    Member,

    /// <summary><c>this</c>.</summary>
    This,

    /// <summary><c>typeof(T)</c>.</summary>
    TypeOf,

    /// <summary>A local or parameter: an identity inside its own function only, none across calls.</summary>
    Local,
}

/// <summary>
/// The object a lock is taken on, as far as two acquisitions can be seen to take the same one: a field (static, or
/// of <c>this</c>, or of another instance: <c>a._sync</c> and <c>b._sync</c> are one identity, the same field of
/// two objects), <c>this</c>, <c>typeof(T)</c>. A local names its lock only inside its function.
/// </summary>
internal readonly struct LockIdentity : IEquatable<LockIdentity>
{
    public static readonly LockIdentity Unknown = default;

    private LockIdentity(LockIdentityKind kind, ISymbol? symbol, bool isOnThis)
    {
        Kind = kind;
        Symbol = symbol;
        IsOnThis = isOnThis;
    }

    public LockIdentityKind Kind { get; }

    /// <summary>The field, property, local or parameter, or the type of <c>typeof</c>.</summary>
    public ISymbol? Symbol { get; }

    /// <summary>An instance field or property read from <c>this</c> (static ones are the same object for every caller too).</summary>
    public bool IsOnThis { get; }

    /// <summary>Whether the identity names one object for the whole type: a static member, a member of <c>this</c>, <c>this</c> or <c>typeof</c>.</summary>
    public bool IsTypeWide => Kind switch
    {
        LockIdentityKind.Member => IsOnThis || Symbol!.IsStatic,
        LockIdentityKind.This or LockIdentityKind.TypeOf => true,
        _ => false,
    };

    /// <summary>How the lock reads in a message: <c>_sync</c>, <c>this</c>, <c>typeof(Cache)</c>.</summary>
    public string Name => Kind switch
    {
        LockIdentityKind.This => "this",
        LockIdentityKind.TypeOf => "typeof(" + Symbol!.Name + ")",
        LockIdentityKind.Member or LockIdentityKind.Local => Symbol!.Name,
        _ => "?",
    };

    /// <summary>The identity of the object <paramref name="value"/> denotes (conversions and parentheses looked through).</summary>
    public static LockIdentity Of(IOperation? value)
    {
        switch (OperationTree.Unwrap(value))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return new LockIdentity(LockIdentityKind.This, null, isOnThis: true);
            case ITypeOfOperation typeOf when typeOf.TypeOperand.TypeKind != TypeKind.Error:
                return new LockIdentity(LockIdentityKind.TypeOf, typeOf.TypeOperand.OriginalDefinition, isOnThis: false);
            case IFieldReferenceOperation field:
                return Member(field.Field.OriginalDefinition, field.Instance);
            case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                return Member(property.Property.OriginalDefinition, property.Instance);
            case ILocalReferenceOperation local:
                return new LockIdentity(LockIdentityKind.Local, local.Local, isOnThis: false);
            case IParameterReferenceOperation parameter:
                return new LockIdentity(LockIdentityKind.Local, parameter.Parameter, isOnThis: false);
            default:
                return Unknown;
        }
    }

    /// <summary>The lock a Synchronized method holds: <c>this</c>, or the type when the method is static.</summary>
    public static LockIdentity OfSynchronized(IMethodSymbol method) =>
        method.IsStatic ? new LockIdentity(LockIdentityKind.TypeOf, method.ContainingType.OriginalDefinition, isOnThis: false) : new LockIdentity(LockIdentityKind.This, null, isOnThis: true);

    /// <summary>
    /// The identity, held by a caller, as the callee sees it: locals and the caller's <c>this</c> mean nothing in a
    /// callee called on another object (or a static one), so they become a lock held without a name.
    /// </summary>
    public LockIdentity SeenFromCallee(bool calleeThisIsCallerThis) => Kind switch
    {
        LockIdentityKind.Local => Unknown,
        LockIdentityKind.This when !calleeThisIsCallerThis => Unknown,
        LockIdentityKind.Member when IsOnThis && !calleeThisIsCallerThis => Unknown,
        _ => this,
    };

    public bool Equals(LockIdentity other) =>
        Kind == other.Kind && IsOnThis == other.IsOnThis && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol);

    public override bool Equals(object? obj) => obj is LockIdentity other && Equals(other);

    public override int GetHashCode() => ((int)Kind * 31) + SymbolEqualityComparer.Default.GetHashCode(Symbol);

    private static LockIdentity Member(ISymbol member, IOperation? instance) =>
        member.IsStatic
            ? new LockIdentity(LockIdentityKind.Member, member, isOnThis: false)
            : new LockIdentity(LockIdentityKind.Member, member, isOnThis: instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });
}
