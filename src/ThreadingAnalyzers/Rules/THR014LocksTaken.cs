using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// The locks each method takes, directly or in the methods it calls on <c>this</c> (across types, in any method of
/// the compilation it calls that nothing overrides), a few calls deep; found once per method. Only the locks every
/// call takes count.
/// </summary>
internal sealed class LocksTaken
{
    private const int MaxCallDepth = 3;

    private readonly Dictionary<IMethodSymbol, LockedFunction> _functions = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, List<(LockIdentity, IOperation)>> _known = new(SymbolEqualityComparer.Default);
    private readonly LockModel? _model;
    private readonly IAssemblySymbol? _assembly;
    private readonly HashSet<INamedTypeSymbol>? _typesAdded;

    /// <summary>The methods of one type (and its nested types), for the orders a type makes on its own.</summary>
    public LocksTaken(TypeLocks locks) => Add(locks);

    /// <summary>The methods of every type of <paramref name="assembly"/>, found as they are asked for.</summary>
    public LocksTaken(LockModel model, IAssemblySymbol assembly)
    {
        _model = model;
        _assembly = assembly;
        _typesAdded = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
    }

    /// <summary>Whether <paramref name="method"/> is one whose locks this can tell.</summary>
    public bool Knows(IMethodSymbol method) => Find(method.OriginalDefinition) is not null;

    public List<(LockIdentity, IOperation)> Of(IMethodSymbol method) => Of(method.OriginalDefinition, MaxCallDepth);

    private List<(LockIdentity, IOperation)> Of(IMethodSymbol method, int depth)
    {
        if (_known.TryGetValue(method, out var known))
        {
            return known;
        }

        var taken = new List<(LockIdentity, IOperation)>();
        _known[method] = taken;
        if (depth == 0 || Find(method) is not { } function || (_model is not null && function.HasErrors))
        {
            return taken;
        }

        foreach (var (operation, kind) in OperationWalk.OperationsOf(function.Function).WithKinds())
        {
            // A lock the callee takes only on some branch may be one its caller never reaches (the caller's
            // arguments decide it): only the locks every call takes count.
            if (kind is not (OperationKind.Lock or OperationKind.Invocation) || IsConditional(operation, function.Function))
            {
                continue;
            }

            if (LockOrders.Acquired(operation) is { } direct)
            {
                taken.Add(direct);
            }
            else if (kind == OperationKind.Invocation
                && (LockOrders.IsCallOnThis(operation) || (_assembly is not null && LockOrders.IsCallInto(operation, _assembly))))
            {
                // Across types, an instance method's own locks are of whatever object it runs on; the caller keeps
                // only the program-wide ones, so following calls on any object stays exact.
                taken.AddRange(Of(((IInvocationOperation)operation).TargetMethod.OriginalDefinition, depth - 1));
            }
        }

        return taken;
    }

    private LockedFunction? Find(IMethodSymbol method)
    {
        if (_functions.TryGetValue(method, out var function))
        {
            return function;
        }

        if (_model is null || _typesAdded is null || method.ContainingType is not { } type || method.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        while (type.ContainingType is { } containing)
        {
            type = containing;
        }

        if (!_typesAdded.Add(type.OriginalDefinition))
        {
            return null;
        }

        Add(_model.ForType(type));
        return _functions.TryGetValue(method, out function) ? function : null;
    }

    private void Add(TypeLocks locks)
    {
        foreach (var function in locks.Functions)
        {
            if (function.Method is { } method && !_functions.ContainsKey(method))
            {
                _functions.Add(method, function);
            }
        }
    }

    private static bool IsConditional(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            if (current.Kind is OperationKind.Conditional or OperationKind.Switch or OperationKind.Loop or OperationKind.Try or OperationKind.Coalesce or OperationKind.ConditionalAccess)
            {
                return true;
            }
        }

        return false;
    }
}
