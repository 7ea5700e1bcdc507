using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>The accesses of an ordinary method, found once per compilation with a placeholder for <c>this</c>.</summary>
internal sealed class AccessTemplate
{
    /// <summary>How many calls deep below the method it is known that nothing writes (-1: not known for any depth).</summary>
    private int _noWriteWithin = -1;

    /// <summary>How few calls deep below the method a write is known to be reached (int.MaxValue: not known).</summary>
    private int _writeWithin = int.MaxValue;

    /// <summary>Per call, the callee's body once found (<see cref="NoBody"/> for none), made on first need.</summary>
    private object?[]? _calleeBodies;

    public AccessTemplate(ImmutableArray<Access> accesses, ImmutableArray<CallSite> calls)
    {
        Accesses = accesses;
        Calls = calls;
    }

    public ImmutableArray<Access> Accesses { get; }

    /// <summary>The method's direct calls to methods of this compilation (as <see cref="Reach.CallsIn"/> finds them).</summary>
    public ImmutableArray<CallSite> Calls { get; }

    /// <summary>
    /// Whether this method, or a method it reaches, writes anything shared outside a lock it holds itself, as seen from
    /// a body that calls it. A write under the method's own lock is locked on every path and can never be reported; one
    /// outside may be, depending on the callers' locks, which only the body's own walk knows. The body's walk of
    /// <see cref="Reach"/> reaches at most <see cref="Reach.MaxDepth"/> - 1 calls beyond this method, so this looks
    /// as deep, and "no" means it brings the body no write that can be reported. A look that meets more than
    /// <see cref="Reach.MaxMethods"/> methods not answered before, or reaches a local function, says yes.
    /// </summary>
    public bool MayWriteWithin(IOperation body, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        var budget = Reach.MaxMethods;
        return MayWriteWithin(body, Reach.MaxDepth - 1, types, reach, ref budget, cancellationToken);
    }

    /// <summary>
    /// Whether this method or one within <paramref name="depth"/> calls of it writes without its own lock. Answers are
    /// kept per depth, for every body that reaches the method (a method with no write within 4 calls has none within
    /// 3; one with a write within 2 has one within 3), so the methods that many bodies reach (a getter, a scoring
    /// function) are looked through once. <paramref name="budget"/> counts the methods not answered before; when it
    /// runs out the answer is yes, and not kept.
    /// </summary>
    private bool MayWriteWithin(IOperation body, int depth, ThreadingTypes types, Reach reach, ref int budget, CancellationToken cancellationToken)
    {
        // Two threads may both compute an answer; they find the same one, and a lost update is only asked again.
        if (Volatile.Read(ref _noWriteWithin) >= depth)
        {
            return false;
        }

        if (Volatile.Read(ref _writeWithin) <= depth)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var mayWrite = HasUnlockedWrite(Accesses);
        var exhausted = false;
        for (var index = 0; !mayWrite && depth > 0 && index < Calls.Length; index++)
        {
            var call = Calls[index];
            if (CalleeBody(index, body, reach) is not { } calleeBody)
            {
                continue;
            }

            // A local function's variables depend on the body, which its own walk will follow.
            if (calleeBody is ILocalFunctionOperation)
            {
                mayWrite = true;
            }
            else if (--budget < 0)
            {
                mayWrite = exhausted = true;
            }
            else
            {
                mayWrite = Of(calleeBody, call.Target, types, reach).MayWriteWithin(calleeBody, depth - 1, types, reach, ref budget, cancellationToken);
                exhausted = budget < 0;
            }
        }

        if (!mayWrite)
        {
            if (depth > Volatile.Read(ref _noWriteWithin))
            {
                Volatile.Write(ref _noWriteWithin, depth);
            }
        }
        else if (!exhausted && depth < Volatile.Read(ref _writeWithin))
        {
            Volatile.Write(ref _writeWithin, depth);
        }

        return mayWrite;
    }

    /// <summary>
    /// The body of the method that call <paramref name="index"/> reaches, kept once found: a template is asked again at
    /// each depth and from every body that reaches it. Two threads may both find it; they find the same operation.
    /// </summary>
    private IOperation? CalleeBody(int index, IOperation body, Reach reach)
    {
        var bodies = Volatile.Read(ref _calleeBodies);
        if (bodies is null)
        {
            bodies = new object?[Calls.Length];
            bodies = Interlocked.CompareExchange(ref _calleeBodies, bodies, null) ?? bodies;
        }

        var known = Volatile.Read(ref bodies[index]);
        if (known is null)
        {
            known = reach.BodyOf(Calls[index].Target, body) ?? NoBody;
            Volatile.Write(ref bodies[index], known);
        }

        return known as IOperation;
    }

    /// <summary>What <see cref="_calleeBodies"/> holds for a callee with no body to follow (metadata, abstract, an auto-property accessor).</summary>
    private static readonly object NoBody = new();

    private static bool HasUnlockedWrite(ImmutableArray<Access> accesses)
    {
        foreach (var access in accesses)
        {
            if (access.IsUnlockedWrite)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A reached ordinary method's accesses are found once per compilation with a placeholder for <c>this</c>, then
    /// given the <c>this</c> of each body that reaches it (a method reached from many bodies is walked once).
    /// </summary>
    public static IEnumerable<Access> AccessesOfReached(ReachedMethod reached, IMethodSymbol? bodySymbol, object? @this, bool pathLocked, ThreadingTypes types, Reach reach)
    {
        if (reached.Body is ILocalFunctionOperation)
        {
            return AccessWalk.AccessesOf(new FunctionScope(types, reach, reached.Body, reached.Method, bodySymbol, @this, isStarter: false), pathLocked, types);
        }

        return Instantiate(Of(reached.Body, reached.Method, types, reach).Accesses, @this, pathLocked);
    }

    /// <summary>
    /// The templates of a compilation, keyed by its <see cref="Reach"/> (one weak-table entry per compilation; one per
    /// method would take a GC handle each).
    /// </summary>
    private static readonly ConditionalWeakTable<Reach, ConcurrentDictionary<IOperation, AccessTemplate>> Templates = new();

    /// <summary>The template of <paramref name="method"/>'s <paramref name="body"/>, made once per compilation.</summary>
    public static AccessTemplate Of(IOperation body, IMethodSymbol method, ThreadingTypes types, Reach reach)
    {
        var templates = Templates.GetValue(reach, static _ => new ConcurrentDictionary<IOperation, AccessTemplate>());
        return templates.TryGetValue(body, out var known) ? known : templates.GetOrAdd(body, CreateTemplate(body, method, types, reach));
    }

    /// <summary>
    /// One walk of a method finds its accesses and its calls; the calls are also given to <see cref="Reach"/>, whose walk of
    /// the method's callees would otherwise walk the method again to find them.
    /// </summary>
    private static AccessTemplate CreateTemplate(IOperation body, IMethodSymbol method, ThreadingTypes types, Reach reach)
    {
        var scope = new FunctionScope(types, reach, body, method, null, ThisPlaceholder, isStarter: false);
        var accesses = AccessWalk.AccessesOf(scope, pathLocked: false, types, withCalls: true, checkSkipped: false, out _, out var callSites);
        reach.RememberCalls(body, callSites);
        return new AccessTemplate(accesses, callSites);
    }

    private static IEnumerable<Access> Instantiate(ImmutableArray<Access> template, object? @this, bool pathLocked)
    {
        foreach (var access in template)
        {
            var target = access.Target;
            if (target.ThroughThis)
            {
                if (@this is null)
                {
                    continue;
                }

                if (target.Root == ThisPlaceholder)
                {
                    target = new SharedTarget(target.Symbol, @this, target.IsCapturedVariable, throughThis: true);
                }
            }

            yield return access.IsLocked || !pathLocked ? access.WithTarget(target) : access.WithTarget(target, isLocked: true);
        }
    }

    private static readonly object ThisPlaceholder = new();
}
