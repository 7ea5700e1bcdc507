using Microsoft.CodeAnalysis;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>The function whose accesses are collected, and which of its variables are its own (not shared).</summary>
internal sealed class FunctionScope
{
    private readonly IMethodSymbol? _bodySymbol;
    private readonly IMethodSymbol? _ownSymbol;
    private readonly bool _isStarter;

    public FunctionScope(ThreadingTypes types, Reach reach, IOperation function, IMethodSymbol? method, IMethodSymbol? bodySymbol, object? @this, bool isStarter)
    {
        Types = types;
        Reach = reach;
        Function = function;
        Method = method;
        _bodySymbol = bodySymbol;
        _ownSymbol = OperationTree.NestedFunctionSymbol(function);
        This = @this;
        _isStarter = isStarter;
    }

    public ThreadingTypes Types { get; }

    public Reach Reach { get; }

    public IOperation Function { get; }

    /// <summary>The method, for a reached method or a method-group body (Synchronized methods hold a lock).</summary>
    public IMethodSymbol? Method { get; }

    /// <summary>What <c>this</c> is here, as a <see cref="SharedTarget.Root"/>; null when unknown.</summary>
    public object? This { get; }

    /// <summary>The function that starts the bodies, walked for what it touches while they run.</summary>
    public bool IsStarter => _isStarter;

    /// <summary>An ordinary method walked for itself: every local and parameter of its code is its own.</summary>
    public bool OwnsAllVariables => !_isStarter && _ownSymbol is null && _bodySymbol is null;

    /// <summary>
    /// A local or parameter that each execution has for itself: declared in the concurrent body or in the function.
    /// The starter's own variables are never internal (they are what bodies capture). Ordinary methods own all of theirs.
    /// </summary>
    public bool IsInternal(ISymbol variable)
    {
        if (_isStarter)
        {
            return false;
        }

        if (OwnsAllVariables)
        {
            return true;
        }

        for (var container = variable.ContainingSymbol; container is IMethodSymbol method; container = method.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(method, _ownSymbol) || SymbolEqualityComparer.Default.Equals(method, _bodySymbol))
            {
                return true;
            }

            if (method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction))
            {
                // Reached an ordinary method: the variable belongs to it. It is the body's own only if the function is that method.
                return _ownSymbol is null;
            }
        }

        return _ownSymbol is null;
    }
}
