using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether the variables that concurrent bodies write can be reached by another execution at the same time: the body
/// running again (Parallel.*, a loop, the same method started twice) on the same variable, another body of the same
/// starter that runs at the same time, or the starter itself while the body may still run. Locals declared in a body,
/// [ThreadStatic] fields, parameters of called methods and objects created per run are not shared.
/// </summary>
internal sealed class Sharing
{
    /// <summary>The <c>this</c> of the method that starts the bodies (lambdas and <c>this</c> method groups share it).</summary>
    public static readonly object StarterThis = new();

    private readonly ThreadingTypes _types;
    private readonly Reach _reach;
    private readonly Dictionary<IOperation, ImmutableArray<Access>> _starterAccesses = new();

    private readonly object? _starterThis;

    /// <summary>Other members of the type start concurrent code too: a body that outlives its starter may meet theirs.</summary>
    private readonly bool _otherMembersStart;

    private Sharing(ThreadingTypes types, Reach reach, object? starterThis, bool otherMembersStart)
    {
        _otherMembersStart = otherMembersStart;
        _types = types;
        _reach = reach;
        _starterThis = starterThis;
    }

    /// <summary>The bodies whose writes can meet another execution (a body that runs once, alone, is left out).</summary>
    public ImmutableArray<BodyRun> Runs { get; private set; } = ImmutableArray<BodyRun>.Empty;

    /// <summary>
    /// The entry points of <paramref name="root"/>, the body of <paramref name="owner"/>, with what their bodies touch;
    /// <paramref name="words"/> are the <see cref="EntryPointText.Positions(SyntaxTree)"/> of the root's tree;
    /// <paramref name="otherMembersStart"/> when other members of the type start concurrent code (see <see cref="ConflictAcross"/>).
    /// </summary>
    public static Sharing Analyze(IOperation root, ISymbol owner, int[] words, ThreadingTypes types, Reach reach, CancellationToken cancellationToken, bool otherMembersStart = false)
    {
        // The facts of the root's starters and functions are asked for again and again while it is analyzed, then forgotten.
        using var scope = RecentlyComputed.Open();
        var starterThis = owner.IsStatic ? null : StarterThis;
        var sharing = new Sharing(types, reach, starterThis, otherMembersStart);

        // What the bodies touch comes first: only a write without a lock can be reported, and most roots have none (179 of
        // 3,078 on the benchmark corpus go further), so their (long) starters are never walked for windows and accesses.
        // Each body's own accesses are found first; the methods it reaches are followed only when one of them can write
        // without a lock of its own.
        var entries = EntryPoints.Find(root, types, words);
        // Made for the first body that gets that far (most roots' bodies do not).
        List<(EntryPoint Entry, BodyScope Body, bool OwnOnly)>? prepared = null;
        Dictionary<EntryPoint, (bool Kept, bool RunsMoreThanOnce)>? decided = null;
        var mayWriteUnlocked = false;
        bool? rootHasLocalFunction = null;

        // Bodies of other members meet only bodies that outlive their starters (see ConflictAcross): where none of the
        // root's does, or no other member starts any, the root's runs matter to the root alone.
        var meetsOnlyOwnRoot = !otherMembersStart || entries.TrueForAll(entry => !OutlivesItsStarter(RunWindow.Of(entry)));
        foreach (var entry in entries)
        {
            // Where the runs matter to the root alone, a body whose runs are not kept meets nothing whatever it writes,
            // so that is asked first. A kept body that runs once, alone, can only meet its starter: when the starter
            // touches nothing but its own variables while the body runs, only the body's own code can write those (the
            // methods it reaches own theirs), so those methods are not followed.
            var ownOnly = false;
            if (meetsOnlyOwnRoot && entry.Bodies.Length == 1)
            {
                var decision = sharing.Decide(entry, entries, ref decided);
                if (!decision.Kept)
                {
                    continue;
                }

                ownOnly = !decision.RunsMoreThanOnce && sharing.MeetsOnlyStarterVariables(entry, entries, root, ref rootHasLocalFunction);
            }

            // A body that runs once, alone, while its starter touches nothing can race with nothing, whatever it writes.
            // Where the starter's own code is short, that is cheaper to ask than a method group's body (found elsewhere) or
            // than the methods a lambda reaches (Task.Run(() => orders.Sum(order => order.Total)) reaches the orders'
            // getters), so it is asked first there; a lambda's own code, usually short, is walked before.
            var decideFirst = entry.Bodies.Length == 1 && !entry.BodiesRunManyTimes && HasShortOwnCode(entry);
            if (decideFirst && entry.Bodies[0].Function is null && !sharing.Decide(entry, entries, ref decided).Kept)
            {
                continue;
            }

            foreach (var body in entry.Bodies)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (ScopeOfBody(entry, body, starterThis, types, reach) is not { } bodyScope)
                {
                    continue;
                }

                var ownUnlockedWrite = bodyScope.Own.Any(access => access.IsUnlockedWrite);
                if (!mayWriteUnlocked && decideFirst && !bodyScope.Calls.IsEmpty && !ownUnlockedWrite && !sharing.Decide(entry, entries, ref decided).Kept)
                {
                    continue;
                }

                (prepared ??= new List<(EntryPoint Entry, BodyScope Body, bool OwnOnly)>()).Add((entry, bodyScope, ownOnly));
                mayWriteUnlocked = mayWriteUnlocked || ownUnlockedWrite
                    || (!ownOnly && (MayReachWrite(bodyScope, types, reach, cancellationToken) || CreatedObjects.AnyIn(bodyScope.Function.Function, bodyScope.Split, reach)));
            }
        }

        if (!mayWriteUnlocked || prepared is null)
        {
            return sharing;
        }

        var touched = new List<(EntryPoint Entry, ImmutableArray<Access> Accesses)>(prepared.Count);
        var anyUnlockedWrite = false;
        foreach (var (entry, bodyScope, ownOnly) in prepared)
        {
            // The methods a lone body reaches matter only for the unlocked writes they bring, when no other body can meet them.
            var accesses = ownOnly ? bodyScope.Own
                : prepared.Count == 1 && !(otherMembersStart && OutlivesItsStarter(RunWindow.Of(entry)))
                    && ReachedWrites.MayBringUnlockedWrite(bodyScope.Function, bodyScope.Calls, types, reach, cancellationToken) == false
                    ? ReachedWrites.OwnAndCreated(bodyScope, types, reach, cancellationToken)
                    : AccessesOfBody(bodyScope, types, reach, cancellationToken);
            touched.Add((entry, accesses));
            anyUnlockedWrite |= accesses.Any(access => access.IsUnlockedWrite);
        }

        if (!anyUnlockedWrite)
        {
            return sharing;
        }

        var runs = ImmutableArray.CreateBuilder<BodyRun>();
        foreach (var (entry, accesses) in touched)
        {
            var decision = sharing.Decide(entry, entries, ref decided);
            if (decision.Kept)
            {
                runs.Add(new BodyRun(entry, RunWindow.Of(entry), decision.RunsMoreThanOnce, accesses));
            }
        }

        sharing.Runs = runs.ToImmutable();
        return sharing;
    }

    /// <summary>How long the starter's own code may be for <see cref="HasShortOwnCode"/> (characters, its lambda body left out).</summary>
    private const int ShortStarterLength = 400;

    /// <summary>
    /// Whether the function that starts <paramref name="entry"/> is short, not counting the entry point's own lambda body.
    /// Full spans (trivia included): a node's span walks down to its first and last tokens, and this only orders the work.
    /// </summary>
    private static bool HasShortOwnCode(EntryPoint entry)
    {
        var starter = RunWindow.Starter(entry).Syntax.FullSpan;
        var length = starter.Length;
        if (entry.Bodies[0].Function is { } lambda && starter.Contains(lambda.Syntax.FullSpan))
        {
            length -= lambda.Syntax.FullSpan.Length;
        }

        return length <= ShortStarterLength;
    }

    /// <summary>
    /// Whether the bodies of <paramref name="entry"/> are kept: they run more than once at a time, or can meet another
    /// execution. One that runs once, alone, while the starter touches nothing, writes nothing that can race.
    /// </summary>
    private (bool Kept, bool RunsMoreThanOnce) Decide(EntryPoint entry, List<EntryPoint> entries, ref Dictionary<EntryPoint, (bool Kept, bool RunsMoreThanOnce)>? decided)
    {
        decided ??= new Dictionary<EntryPoint, (bool Kept, bool RunsMoreThanOnce)>();
        if (!decided.TryGetValue(entry, out var decision))
        {
            var runsMoreThanOnce = EntryPoints.RunsMoreThanOnceAtATime(entry, entries);
            decision = (runsMoreThanOnce || CanMeetAnotherExecution(entry, entries), runsMoreThanOnce);
            decided[entry] = decision;
        }

        return decision;
    }

    /// <summary>Another body of the entry point, an overlapping entry point, or the starter's own use of a variable while it runs.</summary>
    private bool CanMeetAnotherExecution(EntryPoint entry, List<EntryPoint> entries)
    {
        if (entry.Bodies.Length > 1)
        {
            return true;
        }

        foreach (var other in entries)
        {
            if (other != entry && RunWindow.Overlap(entry, other))
            {
                return true;
            }
        }

        var window = RunWindow.Of(entry);
        if (_otherMembersStart && OutlivesItsStarter(window))
        {
            return true;
        }

        foreach (var access in StarterAccesses(RunWindow.Starter(entry)))
        {
            if (window.MayStillRunAt(access.Operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the one body of <paramref name="entry"/>, kept and run once at a time, can meet its starter only, on
    /// variables that only the body's own code can write: no other entry point of the root overlaps it, and every
    /// variable the starter touches while it may run is one of the starter's own locals and parameters (a method the
    /// body reaches owns its variables, and <paramref name="root"/> has no local function that could write them for
    /// it) or is written by constructors only.
    /// </summary>
    private bool MeetsOnlyStarterVariables(EntryPoint entry, List<EntryPoint> entries, IOperation root, ref bool? rootHasLocalFunction)
    {
        foreach (var other in entries)
        {
            if (other != entry && (RunWindow.Overlap(entry, other) || RunWindow.Overlap(other, entry)))
            {
                return false;
            }
        }

        var window = RunWindow.Of(entry);
        var anyCaptured = false;
        foreach (var access in StarterAccesses(RunWindow.Starter(entry)))
        {
            if (!window.MayStillRunAt(access.Operation))
            {
                continue;
            }

            if (access.Target.IsCapturedVariable)
            {
                anyCaptured = true;
            }
            else if (!IsWrittenByConstructorsOnly(access))
            {
                return false;
            }
        }

        return !anyCaptured || (rootHasLocalFunction ??= root.Descendants().Any(operation => operation.Kind == OperationKind.LocalFunction)) == false;
    }

    /// <summary>
    /// A readonly field or get-only auto-property that is no collection: only constructors (and a static constructor)
    /// assign it, which a body reaches only as the constructor of an object it creates, on that new object; nothing
    /// else can write it (a <c>ref</c> to it does not compile).
    /// </summary>
    private bool IsWrittenByConstructorsOnly(Access access) =>
        access.Target.Symbol is IFieldSymbol { IsReadOnly: true } or IPropertySymbol { SetMethod: null }
        && !UnsynchronizedCollection.Is(access.Reference, _types);

    /// <summary>Whether <paramref name="access"/>, a write of <paramref name="run"/>, can race with another execution.</summary>
    public bool IsShared(BodyRun run, Access access) => ConflictOf(run, access) is not null;

    /// <summary>
    /// The other execution that <paramref name="access"/>, a write of <paramref name="run"/>, can meet: the body running
    /// again, another body, or the starter; null when the write races with nothing.
    /// </summary>
    public Conflict? ConflictOf(BodyRun run, Access access)
    {
        if (!access.IsWrite)
        {
            return null;
        }

        var isCollection = access.Kind == AccessKind.CollectionMutation;
        if (run.RunsMoreThanOnceAtATime && IsSameVariableInEveryRun(run, access.Target))
        {
            return new Conflict(ConflictKind.SameBodyAgain, null, null);
        }

        foreach (var other in Runs)
        {
            if (other == run || (other.Entry != run.Entry && !RunWindow.Overlap(run.Entry, other.Entry)))
            {
                continue;
            }

            foreach (var otherAccess in other.Accesses)
            {
                if (Conflicts(otherAccess, access.Target, isCollection))
                {
                    return new Conflict(ConflictKind.OtherBody, otherAccess, other.Entry);
                }
            }
        }

        // The first of the starter's conflicting accesses in the source is named (the walk meets them in another order).
        Access? first = null;
        foreach (var starterAccess in StarterAccesses(RunWindow.Starter(run.Entry)))
        {
            if (starterAccess.Target.Equals(access.Target) && run.Window.MayStillRunAt(starterAccess.Operation)
                && (isCollection || starterAccess.Kind != AccessKind.Read || IsStraightLineRead(starterAccess.Operation, run.Entry))
                && (first is null || starterAccess.Operation.Syntax.SpanStart < first.Operation.Syntax.SpanStart))
            {
                first = starterAccess;
            }
        }

        return first is null ? null : new Conflict(ConflictKind.Starter, first, null);
    }

    /// <summary>
    /// The body of another member of the same type that <paramref name="access"/>, an unlocked write of
    /// <paramref name="run"/>, can meet: both bodies outlive the members that start them (nothing there waits for them),
    /// so a timer callback and a pool work item of one instance run at the same time, each once. The variable is the
    /// same when it is a static field or a field of <c>this</c> (captured locals of two members never are); the same
    /// write reached from two members (one method started from both) is not a second body.
    /// </summary>
    public static Conflict? ConflictAcross(BodyRun run, Access access, IEnumerable<Sharing> others)
    {
        if (!OutlivesItsStarter(run.Window) || access.Target.IsCapturedVariable)
        {
            return null;
        }

        var isCollection = access.Kind == AccessKind.CollectionMutation;
        foreach (var other in others)
        {
            foreach (var otherRun in other.Runs)
            {
                if (!OutlivesItsStarter(otherRun.Window))
                {
                    continue;
                }

                foreach (var otherAccess in otherRun.Accesses)
                {
                    if (otherAccess.Operation != access.Operation && Conflicts(otherAccess, access.Target, isCollection))
                    {
                        return new Conflict(ConflictKind.OtherBody, otherAccess, otherRun.Entry);
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Nothing in the starter waits for the bodies: they may still run when it has returned.</summary>
    private static bool OutlivesItsStarter(RunWindow window) => window.EndPosition == int.MaxValue && !window.Entry.IsSynchronous;

    /// <summary>
    /// A starter's plain read of a scalar that a body writes races when it reads once, straight after the start: not in
    /// the arguments of the start itself (read before the body runs), and not in a loop that does not start the body (a
    /// loop that polls for the value, which is a busy wait rather than a lost update).
    /// </summary>
    private static bool IsStraightLineRead(IOperation read, EntryPoint entry)
    {
        var start = entry.Operation.Syntax.Span;
        if (start.Contains(read.Syntax.Span))
        {
            return false;
        }

        for (var parent = read.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop && !loop.Syntax.Span.Contains(start))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A collection is hurt by any concurrent use; a scalar loses updates only to another writer.</summary>
    private static bool Conflicts(Access other, SharedTarget target, bool isCollection) =>
        other.Target.Equals(target) && (isCollection || other.Kind != AccessKind.Read);

    /// <summary>Runs repeated by a loop get a new variable when it is declared inside the loop (also the object a loop variable holds).</summary>
    private static bool IsSameVariableInEveryRun(BodyRun run, SharedTarget target)
    {
        var loop = (IOperation?)run.Window.RepeatingLoop ?? run.Window.PerItemFunction;
        if (run.Entry.BodiesRunManyTimes || loop is null)
        {
            return true;
        }

        if (target.IsCapturedVariable && IsDeclaredIn(target.Symbol, loop))
        {
            return false;
        }

        return !(target.Root is ILocalSymbol rootLocal && IsDeclaredIn(rootLocal, loop));
    }

    private static bool IsDeclaredIn(ISymbol symbol, IOperation scope)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == scope.Syntax.SyntaxTree && scope.Syntax.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    private ImmutableArray<Access> StarterAccesses(IOperation starter)
    {
        lock (_starterAccesses)
        {
            if (!_starterAccesses.TryGetValue(starter, out var accesses))
            {
                var scope = new FunctionScope(_types, _reach, starter, null, null, _starterThis, isStarter: true);
                accesses = AccessWalk.AccessesOf(scope, pathLocked: false, _types);
                _starterAccesses.Add(starter, accesses);
            }

            return accesses;
        }
    }

    /// <summary>A concurrent body with what it touches itself; null when the body cannot be seen or does not compile.</summary>
    private static BodyScope? ScopeOfBody(EntryPoint entry, ConcurrentBody body, object? starterThis, ThreadingTypes types, Reach reach)
    {
        IOperation? bodyOperation;
        IMethodSymbol? bodyMethod = null;
        object? bodyThis;
        if (body.Function is IAnonymousFunctionOperation lambda)
        {
            bodyOperation = lambda;
            bodyThis = starterThis;
        }
        else if (body.Method is { } method)
        {
            bodyMethod = method;
            bodyOperation = reach.BodyOf(method, entry.Operation);
            bodyThis = method.IsStatic ? null
                : body.MethodReceiver is null ? starterThis
                : AccessWalk.RootOf(body.MethodReceiver, new FunctionScope(types, reach, RunWindow.Starter(entry), null, null, starterThis, isStarter: true), out _);
        }
        else
        {
            return null;
        }

        // The body's errors are found by the walk of its own code, which sees every operation but those of the nested
        // functions it skips, and those are looked at after it.
        if (bodyOperation is null || BrokenCode.InText(bodyOperation))
        {
            return null;
        }

        // One walk finds the body's own accesses and its calls (the methods it calls are looked at next).
        var scope = new FunctionScope(types, reach, bodyOperation, bodyMethod, OperationTree.NestedFunctionSymbol(bodyOperation), bodyThis, isStarter: false);
        var own = AccessWalk.AccessesOf(scope, pathLocked: false, types, withCalls: true, checkSkipped: true, out var sawInvalid, out var calls);
        if (sawInvalid)
        {
            return null;
        }

        if (body.FromFirstAwait)
        {
            // Started per item and awaited together: the code before the first await runs on the caller, one item at a time.
            var split = AwaitSplit.Of(bodyOperation);
            return new BodyScope(scope, own.Where(access => split.IsAfterFirstAwait(access.Operation)).ToImmutableArray(), calls.Where(call => split.IsAfterFirstAwait(call.Operation)).ToImmutableArray(), split);
        }

        return new BodyScope(scope, own, calls);
    }

    /// <summary>
    /// Whether a method that <paramref name="body"/> calls, or one those reach, can write anything shared without holding a
    /// lock itself (a write inside the method's own <c>lock</c> stays locked whoever calls it): when none can, only the
    /// body's own accesses can hold a write to report. Answered per callee from its cached summary; a local
    /// function callee (whose variables depend on the body) is followed by <see cref="AccessesOfBody"/> instead.
    /// </summary>
    private static bool MayReachWrite(BodyScope body, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        foreach (var call in body.Calls)
        {
            if (call.Target.MethodKind == MethodKind.LocalFunction)
            {
                return true;
            }

            if (reach.BodyOf(call.Target, call.Operation) is { } calleeBody && AccessTemplate.Of(calleeBody, call.Target, types, reach).MayWriteWithin(calleeBody, types, reach, cancellationToken))
            {
                // Whether the full walk keeps a callee's write unlocked depends on the locks and objects on the way.
                return ReachedWrites.MayBringUnlockedWrite(body.Function, body.Calls, types, reach, cancellationToken) != false;
            }
        }

        return false;
    }

    /// <summary>What a concurrent body touches: its own accesses, then those of the methods it reaches, with their locks.</summary>
    private static ImmutableArray<Access> AccessesOfBody(BodyScope body, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        var bodyScope = body.Function;
        var bodyOperation = bodyScope.Function;
        var bodySymbol = OperationTree.NestedFunctionSymbol(bodyOperation);
        var accesses = ImmutableArray.CreateBuilder<Access>();
        accesses.AddRange(body.Own);

        var lockedFunctions = new Dictionary<IOperation, bool> { [bodyOperation] = bodyScope.Method is { } bodyMethod && LockSet.IsSynchronized(bodyMethod) };
        var scopes = new Dictionary<IOperation, FunctionScope> { [bodyOperation] = bodyScope };
        foreach (var reached in reach.MethodsCalledFrom(bodyOperation, body.Split, cancellationToken))
        {
            if (reach.HasErrors(reached.Body))
            {
                continue;
            }

            var pathLocked = LockSet.IsHeldOnEveryPath(reached, caller => !lockedFunctions.TryGetValue(caller, out var locked) || locked);
            lockedFunctions[reached.Body] = pathLocked || LockSet.IsSynchronized(reached.Method);
            var @this = ThisOfReached(reached, scopes);
            scopes[reached.Body] = new FunctionScope(types, reach, reached.Body, reached.Method, bodySymbol, @this, isStarter: false);
            accesses.AddRange(AccessTemplate.AccessesOfReached(reached, bodySymbol, @this, pathLocked, types, reach));
        }

        var functions = new List<IOperation>(lockedFunctions.Count) { bodyOperation };
        functions.AddRange(lockedFunctions.Keys.Where(function => function != bodyOperation));
        accesses.AddRange(CreatedObjects.AccessesOf(functions, body.Split, bodySymbol, caller => !lockedFunctions.TryGetValue(caller, out var locked) || locked, types, reach, cancellationToken));
        return accesses.ToImmutable();
    }

    /// <summary>
    /// The object a reached method runs on: its caller's <c>this</c> for calls on <c>this</c>, else the stable object
    /// the receiver names (<c>account.Deposit()</c> on a captured <c>account</c>); unknown when callers disagree.
    /// </summary>
    private static object? ThisOfReached(ReachedMethod reached, Dictionary<IOperation, FunctionScope> scopes)
    {
        if (reached.Method.IsStatic)
        {
            return null;
        }

        object? result = null;
        var any = false;
        foreach (var call in reached.Callers)
        {
            if (!scopes.TryGetValue(call.Caller, out var callerScope))
            {
                // A call from a method reached later (a cycle) cannot bring in another object than the paths already seen.
                continue;
            }

            var instance = call.Operation switch
            {
                IInvocationOperation invocation => invocation.Instance,
                IPropertyReferenceOperation property => property.Instance,
                _ => null,
            };
            var root = call.ReceiverIsThis ? callerScope.This : AccessWalk.RootOf(instance, callerScope, out _);
            if (root is null)
            {
                return null;
            }

            if (any && !SameRoot(result, root))
            {
                return null;
            }

            result = root;
            any = true;
        }

        return result;
    }

    internal static bool SameRootObject(object? a, object? b) => SameRoot(a, b);

    private static bool SameRoot(object? a, object? b) =>
        a is ISymbol symbolA ? b is ISymbol symbolB && SymbolEqualityComparer.Default.Equals(symbolA, symbolB) : a == b;

}
