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
    private readonly IAssemblySymbol? _assembly;
    private readonly Reach? _reach;

    /// <summary>The methods of one type (and its nested types), for the orders a type makes on its own.</summary>
    public LocksTaken(TypeLocks locks) => Add(locks);

    /// <summary>The methods of every type of <paramref name="assembly"/>, each found as it is asked for.</summary>
    public LocksTaken(Reach reach, IAssemblySymbol assembly)
    {
        _reach = reach;
        _assembly = assembly;
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
        if (depth == 0 || Find(method) is not { } function || (_reach is not null && function.HasErrors))
        {
            return taken;
        }

        foreach (var (operation, kind) in function.CallOperations)
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

        if (_reach is null || method.ContainingType is null || method.DeclaringSyntaxReferences.IsEmpty
            || method.MethodKind == MethodKind.LocalFunction || method.IsImplicitlyDeclared || method.IsAbstract
            || _reach.BodyOf(method, null) is not { } body)
        {
            // A local function is added with the method that declares it, the only code that can call it.
            return null;
        }

        // Only the method's own body, not its type's (binding a type's every method to follow one call costs more
        // than the rest of the rule): the same function its type's lock model has, with its local functions.
        function = new LockedFunction(body, method, method);
        _functions.Add(method, function);
        var invalid = false;
        foreach (var (operation, kind) in OperationWalk.DescendantsOf(body).WithKinds())
        {
            if (kind == OperationKind.LocalFunction && operation is ILocalFunctionOperation local)
            {
                if (!_functions.ContainsKey(local.Symbol))
                {
                    _functions.Add(local.Symbol, new LockedFunction(local, local.Symbol, method));
                }
            }
            else if (kind == OperationKind.Invalid)
            {
                invalid = true;
            }
        }

        function.KnowErrors(invalid || body.Syntax.ContainsDiagnostics || body.Kind == OperationKind.Invalid);
        return function;
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
