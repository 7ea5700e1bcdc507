using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The objects a concurrent run creates with constructors of this compilation. Each run's new object is its own, so what
/// a constructor writes to it is not shared (its <c>this</c> is unknown to the analysis, as for any object created per
/// run); what the constructor, or a method it calls, writes elsewhere (a static cache or registry every instance fills)
/// is shared by all the runs.
/// </summary>
internal static class CreatedObjects
{
    /// <summary>Whether <paramref name="function"/>'s own code (after <paramref name="split"/>'s first await, when given) creates an object of a source type.</summary>
    public static bool AnyIn(IOperation function, AwaitSplit? split, Reach reach)
    {
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            if (IsSourceCreation(operation, kind, split, reach) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The accesses of the constructors that <paramref name="functions"/> (the body, then the methods it reaches) call
    /// with <c>new</c>, and of the methods those constructors call: static state only, and what they reach through
    /// captured or static objects; <paramref name="isLocked"/> says whether a function holds a lock on every path to it.
    /// </summary>
    public static IEnumerable<Access> AccessesOf(
        IReadOnlyList<IOperation> functions, AwaitSplit? split, IMethodSymbol? bodySymbol, System.Func<IOperation, bool> isLocked,
        ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        var sites = new Dictionary<IMethodSymbol, List<CallSite>>(SymbolEqualityComparer.Default);
        for (var index = 0; index < functions.Count; index++)
        {
            var function = functions[index];
            foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
            {
                if (IsSourceCreation(operation, kind, index == 0 ? split : null, reach) is { } constructor)
                {
                    if (!sites.TryGetValue(constructor, out var list))
                    {
                        sites.Add(constructor, list = new List<CallSite>());
                    }

                    list.Add(new CallSite(function, operation, constructor, receiverIsThis: false));
                }
            }
        }

        foreach (var pair in sites)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var constructor = pair.Key;
            if (reach.BodyOf(constructor, pair.Value[0].Operation) is not { } body || reach.HasErrors(body))
            {
                continue;
            }

            var created = new ReachedMethod(constructor, body, 1, thisIsBodyThis: false, pair.Value.ToImmutableArray());
            var constructorLocked = LockSet.IsHeldOnEveryPath(created, isLocked);
            foreach (var access in AccessTemplate.AccessesOfReached(created, bodySymbol, null, constructorLocked, types, reach))
            {
                yield return access;
            }

            // What the constructor calls runs on the new object (or on objects it cannot name): static state only.
            var locked = new Dictionary<IOperation, bool> { [body] = constructorLocked };
            foreach (var reached in reach.MethodsCalledFrom(body, cancellationToken))
            {
                if (reach.HasErrors(reached.Body))
                {
                    continue;
                }

                var pathLocked = LockSet.IsHeldOnEveryPath(reached, caller => !locked.TryGetValue(caller, out var held) || held);
                locked[reached.Body] = pathLocked || LockSet.IsSynchronized(reached.Method);
                foreach (var access in AccessTemplate.AccessesOfReached(reached, bodySymbol, null, pathLocked, types, reach))
                {
                    yield return access;
                }
            }
        }
    }

    private static IMethodSymbol? IsSourceCreation(IOperation operation, OperationKind kind, AwaitSplit? split, Reach reach) =>
        kind == OperationKind.ObjectCreation && operation is IObjectCreationOperation { Constructor: { } constructor }
        && reach.IsSourceMethod(constructor) && (split is null || split.IsAfterFirstAwait(operation))
            ? constructor.OriginalDefinition
            : null;
}
