using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether the methods a concurrent body reaches can bring it a write that the body's full walk
/// (<see cref="Sharing"/>'s AccessesOfBody) keeps as unlocked, asked before that walk binds every method it reaches.
/// The full walk drops two kinds of writes that a plain "does any callee write" look counts: those made below a call
/// that holds a lock (every path to them is locked), and those made through <c>this</c> in a method whose <c>this</c>
/// is not a known object (called on a new object, on a local or parameter of a method). So this looks only through
/// calls made without a lock, from functions that are not Synchronized, and counts a write through <c>this</c> only
/// where the callee's <c>this</c> may be known. A method with errors is a dead end there too. The constructors of the
/// objects such a function creates are followed as the full walk follows them: their <c>this</c> is never known.
/// </summary>
/// <remarks>
/// Why "no" is exact: a write the full walk keeps sits in a method with a caller that was walked before it, calls it
/// (or creates its object) without a lock and is not itself locked on every path; that caller has such a caller in
/// turn, back to the body. The chain is made of calls this search follows, and every method on it whose <c>this</c> is
/// known has a caller on it that names a known object (all of a method's walked callers must), which this search
/// tracks the same way. The chain may be longer than the full walk's depth (a method it also reaches by a shorter,
/// locked path), so "no" needs every such chain seen to its end: a search that would go deeper than that depth, or
/// that meets too many methods, leaves the answer open.
/// </remarks>
internal static class ReachedWrites
{
    /// <summary>What a callee's <c>this</c> is in the search's scopes where it may be known (only null or not matters).</summary>
    private static readonly object KnownThis = new();

    /// <summary>
    /// False when no method that <paramref name="calls"/> (the calls of <paramref name="body"/>'s own code) reach can
    /// bring an unlocked write; true when one can; null when the search cannot tell (see the remarks). The objects the
    /// body's own code creates are not looked at here.
    /// </summary>
    public static bool? MayBringUnlockedWrite(FunctionScope body, ImmutableArray<CallSite> calls, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        // A Synchronized body holds its lock at every call it makes, so every method it reaches is locked on every path.
        if (body.Method is { } bodyMethod && LockSet.IsSynchronized(bodyMethod))
        {
            return false;
        }

        var search = new Search(types, reach, OperationTree.NestedFunctionSymbol(body.Function));
        search.Queue.Enqueue((calls, null, body, 0));
        while (search.Queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (functionCalls, creations, scope, depth) = search.Queue.Dequeue();
            foreach (var call in functionCalls)
            {
                // A local function's variables depend on the body: the full walk follows it, as MayReachWrite says.
                if (call.Target.MethodKind == MethodKind.LocalFunction)
                {
                    return true;
                }

                if (LockSet.IsHeldAt(call.Operation, call.Caller) || reach.BodyOf(call.Target, call.Caller) is not { } calleeBody)
                {
                    continue;
                }

                var calleeThis = !call.Target.IsStatic && (call.ReceiverIsThis ? scope.This is not null : AccessWalk.RootOf(Instance(call), scope, out _) is not null);
                switch (search.Visit(calleeBody, call.Target, calleeThis, depth))
                {
                    case Found.Write:
                        return true;
                    case Found.Stop:
                        return null;
                }
            }

            foreach (var (constructor, creation) in creations ?? NoCreations)
            {
                switch (reach.BodyOf(constructor, creation) is { } constructorBody ? search.Visit(constructorBody, constructor, false, depth) : Found.Nothing)
                {
                    case Found.Write:
                        return true;
                    case Found.Stop:
                        return null;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// What the full walk finds for a body whose reached methods bring no unlocked write (<see cref="MayBringUnlockedWrite"/>
    /// said no) and whose accesses no other body's write is compared with: its own accesses and those of the objects
    /// its own code creates (the full walk's other accesses hold no unlocked write, and nothing would look at them).
    /// </summary>
    public static ImmutableArray<Access> OwnAndCreated(BodyScope body, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        var function = body.Function.Function;
        var locked = body.Function.Method is { } method && LockSet.IsSynchronized(method);
        var accesses = ImmutableArray.CreateBuilder<Access>();
        accesses.AddRange(body.Own);
        accesses.AddRange(CreatedObjects.AccessesOf(new[] { function }, body.Split, OperationTree.NestedFunctionSymbol(function), caller => caller != function || locked, types, reach, cancellationToken));
        return accesses.ToImmutable();
    }

    private static IOperation? Instance(CallSite call) => call.Operation switch
    {
        IInvocationOperation invocation => invocation.Instance,
        IPropertyReferenceOperation property => property.Instance,
        _ => null,
    };

    /// <summary>The constructors of this compilation that <paramref name="function"/>'s own code calls with <c>new</c> where it holds no lock.</summary>
    private static List<(IMethodSymbol Constructor, IOperation Creation)>? UnlockedCreations(IOperation function, Reach reach)
    {
        List<(IMethodSymbol, IOperation)>? found = null;
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            if (kind == OperationKind.ObjectCreation && operation is IObjectCreationOperation { Constructor: { } constructor }
                && reach.IsSourceMethod(constructor) && !LockSet.IsHeldAt(operation, function))
            {
                (found ??= new List<(IMethodSymbol, IOperation)>()).Add((constructor.OriginalDefinition, operation));
            }
        }

        return found;
    }

    private static readonly List<(IMethodSymbol Constructor, IOperation Creation)> NoCreations = new();

    private enum Found
    {
        /// <summary>Nothing yet: the search goes on.</summary>
        Nothing,

        /// <summary>A write the full walk may keep as unlocked.</summary>
        Write,

        /// <summary>The budget is spent, or the search would go deeper than the full walk: the answer is open.</summary>
        Stop,
    }

    private sealed class Search
    {
        private readonly ThreadingTypes _types;
        private readonly Reach _reach;
        private readonly IMethodSymbol? _bodySymbol;

        /// <summary>The functions met, each with whether it was met with a <c>this</c> that may be known.</summary>
        private readonly Dictionary<IOperation, bool> _seen = new();
        private int _budget = Reach.MaxMethods;

        public Search(ThreadingTypes types, Reach reach, IMethodSymbol? bodySymbol)
        {
            _types = types;
            _reach = reach;
            _bodySymbol = bodySymbol;
        }

        public Queue<(ImmutableArray<CallSite> Calls, List<(IMethodSymbol Constructor, IOperation Creation)>? Creations, FunctionScope Scope, int Depth)> Queue { get; } = new();

        /// <summary>
        /// Looks at <paramref name="method"/>, reached without a lock from a function <paramref name="depth"/> calls
        /// below the body, and queues its calls and creations.
        /// </summary>
        public Found Visit(IOperation calleeBody, IMethodSymbol method, bool calleeThis, int depth)
        {
            if (calleeBody is ILocalFunctionOperation)
            {
                return Found.Write;
            }

            var known = _seen.TryGetValue(calleeBody, out var seenWithThis);
            if (known && (seenWithThis || !calleeThis))
            {
                return Found.Nothing;
            }

            // Beyond the full walk's depth, a method could still be one it reaches by a shorter, locked path: open.
            if (depth >= Reach.MaxDepth)
            {
                return Found.Stop;
            }

            if (!known && --_budget < 0)
            {
                return Found.Stop;
            }

            _seen[calleeBody] = calleeThis;
            if (_reach.HasErrors(calleeBody))
            {
                return Found.Nothing;
            }

            var template = AccessTemplate.Of(calleeBody, method, _types, _reach);
            foreach (var access in template.Accesses)
            {
                if (access.IsUnlockedWrite && (calleeThis || !access.Target.ThroughThis))
                {
                    return Found.Write;
                }
            }

            // A Synchronized method holds its lock at every call it makes and every object it creates.
            if (!LockSet.IsSynchronized(method))
            {
                var scope = new FunctionScope(_types, _reach, calleeBody, method, _bodySymbol, calleeThis ? KnownThis : null, isStarter: false);
                Queue.Enqueue((template.Calls, known ? null : UnlockedCreations(calleeBody, _reach), scope, depth + 1));
            }

            return Found.Nothing;
        }
    }
}
