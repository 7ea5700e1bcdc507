using System;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// A variable that several executions may reach: a static field, an instance field (or auto-property) of a known
/// object, or a captured local or parameter. Two targets are equal when they are the same variable of the same object.
/// </summary>
internal sealed class SharedTarget : IEquatable<SharedTarget>
{
    public SharedTarget(ISymbol symbol, object? root, bool isCapturedVariable, bool throughThis = false)
    {
        Symbol = symbol;
        Root = root;
        IsCapturedVariable = isCapturedVariable;
        ThroughThis = throughThis;
    }

    /// <summary>The field, auto-property, local or parameter.</summary>
    public ISymbol Symbol { get; }

    /// <summary>
    /// For instance members, the object: <see cref="Sharing.StarterThis"/>, or the variable or field that holds it.
    /// Null for static fields and captured variables.
    /// </summary>
    public object? Root { get; }

    public bool IsCapturedVariable { get; }

    /// <summary>The object was reached from <c>this</c> (<c>this.f</c>, <c>this._inner.f</c>): it is known only where <c>this</c> is.</summary>
    public bool ThroughThis { get; }

    public bool Equals(SharedTarget? other) =>
        other is not null && SymbolEqualityComparer.Default.Equals(Symbol, other.Symbol)
        && Sharing.SameRootObject(Root, other.Root);

    public override bool Equals(object? obj) => Equals(obj as SharedTarget);

    public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(Symbol);
}
