using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>How an operation touches a <see cref="SharedTarget"/>.</summary>
internal enum AccessKind
{
    Read,
    /// <summary><c>x++</c>, <c>x += n</c>, <c>x = x + n</c>, a <c>ref</c> argument: other writers' updates can be lost.</summary>
    ReadModifyWrite,
    /// <summary><c>x = value</c> where the value does not read <c>x</c> (also <c>out</c> arguments and <c>??=</c>).</summary>
    Write,
    /// <summary>A constant, or a plain assignment of a <c>volatile</c> field: it cannot lose anyone's update.</summary>
    BenignWrite,
    /// <summary>A <c>ref</c> pass to <c>Interlocked</c>, <c>Volatile</c>, <c>ImmutableInterlocked</c> or another System.Threading API.</summary>
    SynchronizedAccess,
    /// <summary>A mutating call or an indexer set on a non-thread-safe collection (List&lt;T&gt;, Dictionary&lt;K,V&gt;, ...).</summary>
    CollectionMutation,
}

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

/// <summary>One access to a <see cref="SharedTarget"/>.</summary>
internal sealed class Access
{
    public Access(IOperation operation, IOperation reference, SharedTarget target, AccessKind kind, bool isLocked)
    {
        Operation = operation;
        Reference = reference;
        Target = target;
        Kind = kind;
        IsLocked = isLocked;
    }

    /// <summary>The whole access: the assignment, increment, call or argument; the reference itself for a read.</summary>
    public IOperation Operation { get; }

    /// <summary>The field, property, local or parameter reference.</summary>
    public IOperation Reference { get; }

    public SharedTarget Target { get; }

    public AccessKind Kind { get; }

    /// <summary>A lock is held here (see <see cref="LockSet"/>), in this function or on every call path to it; computed for writes only.</summary>
    public bool IsLocked { get; }

    public bool IsWrite => Kind is AccessKind.ReadModifyWrite or AccessKind.Write or AccessKind.CollectionMutation;

    /// <summary>A write with no lock held: the only kind of access THR002 can report.</summary>
    public bool IsUnlockedWrite => IsWrite && !IsLocked;

    public Access WithTarget(SharedTarget target, bool? isLocked = null) =>
        target == Target && isLocked is null ? this : new Access(Operation, Reference, target, Kind, isLocked ?? IsLocked);
}

/// <summary>One body of one entry point, with what it (and the methods it calls) touches.</summary>
internal sealed class BodyRun
{
    public BodyRun(EntryPoint entry, RunWindow window, bool runsMoreThanOnceAtATime, ImmutableArray<Access> accesses)
    {
        Entry = entry;
        Window = window;
        RunsMoreThanOnceAtATime = runsMoreThanOnceAtATime;
        Accesses = accesses;
    }

    public EntryPoint Entry { get; }

    public RunWindow Window { get; }

    public bool RunsMoreThanOnceAtATime { get; }

    public ImmutableArray<Access> Accesses { get; }
}

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

    private static readonly ImmutableHashSet<string> CollectionReaders = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "TryGetValue", "ContainsKey", "ContainsValue", "Contains", "Peek", "TryPeek", "Find", "FindAll", "FindIndex", "FindLast",
        "FindLastIndex", "Exists", "IndexOf", "LastIndexOf", "IndexOfKey", "IndexOfValue", "ToArray", "CopyTo", "GetEnumerator",
        "BinarySearch", "ConvertAll", "GetRange", "TrueForAll", "ForEach", "IsSubsetOf", "IsSupersetOf", "IsProperSubsetOf",
        "IsProperSupersetOf", "Overlaps", "SetEquals", "GetHashCode", "Equals", "ToString", "GetType", "AsReadOnly",
        "GetValueOrDefault", "GetObjectData", "GetViewBetween", "GetAlternateLookup", "TryGetAlternateLookup", "GetKeyAtIndex",
        "GetValueAtIndex", "GetByIndex", "GetKey", "GetKeyList", "GetValueList", "Slice", "Clone", "CreateSetComparer");

    private readonly ThreadingTypes _types;
    private readonly Reach _reach;
    private readonly Dictionary<IOperation, ImmutableArray<Access>> _starterAccesses = new();

    private readonly object? _starterThis;

    private Sharing(ThreadingTypes types, Reach reach, object? starterThis)
    {
        _types = types;
        _reach = reach;
        _starterThis = starterThis;
    }

    /// <summary>The bodies whose writes can meet another execution (a body that runs once, alone, is left out).</summary>
    public ImmutableArray<BodyRun> Runs { get; private set; } = ImmutableArray<BodyRun>.Empty;

    /// <summary>
    /// The entry points of <paramref name="root"/>, the body of <paramref name="owner"/>, with what their bodies touch;
    /// <paramref name="words"/> are the <see cref="EntryPointText.Positions"/> of the root's tree.
    /// </summary>
    public static Sharing Analyze(IOperation root, ISymbol owner, int[] words, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        // The facts of the root's starters and functions are asked for again and again while it is analyzed, then forgotten.
        using var scope = RecentlyComputed.Open();
        var starterThis = owner.IsStatic ? null : StarterThis;
        var sharing = new Sharing(types, reach, starterThis);

        // What the bodies touch comes first: only a write without a lock can be reported, and most roots have none (179 of
        // 3,078 on the benchmark corpus go further), so their (long) starters are never walked for windows and accesses.
        // Each body's own accesses are found first; the methods it reaches are followed only when one of them can write
        // without a lock of its own.
        var entries = EntryPoints.Find(root, types, words);
        // Made for the first body that gets that far (most roots' bodies do not).
        List<(EntryPoint Entry, BodyScope Body)>? prepared = null;
        Dictionary<EntryPoint, (bool Kept, bool RunsMoreThanOnce)>? decided = null;
        var mayWriteUnlocked = false;
        foreach (var entry in entries)
        {
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

                (prepared ??= new List<(EntryPoint Entry, BodyScope Body)>()).Add((entry, bodyScope));
                mayWriteUnlocked = mayWriteUnlocked || ownUnlockedWrite || MayReachWrite(bodyScope, types, reach, cancellationToken);
            }
        }

        if (!mayWriteUnlocked || prepared is null)
        {
            return sharing;
        }

        var touched = new List<(EntryPoint Entry, ImmutableArray<Access> Accesses)>(prepared.Count);
        var anyUnlockedWrite = false;
        foreach (var (entry, bodyScope) in prepared)
        {
            var accesses = AccessesOfBody(bodyScope, types, reach, cancellationToken);
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
        foreach (var access in StarterAccesses(RunWindow.Starter(entry)))
        {
            if (window.MayStillRunAt(access.Operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="access"/>, a write of <paramref name="run"/>, can race with another execution.</summary>
    public bool IsShared(BodyRun run, Access access)
    {
        if (!access.IsWrite)
        {
            return false;
        }

        var isCollection = access.Kind == AccessKind.CollectionMutation;
        if (run.RunsMoreThanOnceAtATime && IsSameVariableInEveryRun(run, access.Target))
        {
            return true;
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
                    return true;
                }
            }
        }

        foreach (var starterAccess in StarterAccesses(RunWindow.Starter(run.Entry)))
        {
            if (Conflicts(starterAccess, access.Target, isCollection) && run.Window.MayStillRunAt(starterAccess.Operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A collection is hurt by any concurrent use; a scalar loses updates only to another writer.</summary>
    private static bool Conflicts(Access other, SharedTarget target, bool isCollection) =>
        other.Target.Equals(target) && (isCollection || other.Kind != AccessKind.Read);

    /// <summary>Runs repeated by a loop get a new variable when it is declared inside the loop (also the object a loop variable holds).</summary>
    private static bool IsSameVariableInEveryRun(BodyRun run, SharedTarget target)
    {
        var loop = run.Window.RepeatingLoop;
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
                accesses = AccessesOf(scope, pathLocked: false, _types);
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
                : RootOf(body.MethodReceiver, new FunctionScope(types, reach, RunWindow.Starter(entry), null, null, starterThis, isStarter: true), out _);
        }
        else
        {
            return null;
        }

        // The body's errors are found by the walk of its own code, which sees every operation but those of the nested
        // functions it skips, and those are looked at after it.
        if (bodyOperation is null || bodyOperation.Syntax.ContainsDiagnostics)
        {
            return null;
        }

        // One walk finds the body's own accesses and its calls (the methods it calls are looked at next).
        var scope = new FunctionScope(types, reach, bodyOperation, bodyMethod, ScopeSymbol(bodyOperation), bodyThis, isStarter: false);
        var skipped = s_skipped ??= new List<IOperation>();
        try
        {
            var own = AccessesOf(scope, pathLocked: false, types, withCalls: true, skipped, out var sawInvalid, out var calls);
            return sawInvalid || AnyErrors(skipped) ? null : new BodyScope(scope, own, calls);
        }
        finally
        {
            skipped.Clear();
        }
    }

    /// <summary>The nested functions a body's walk skipped, reused per thread (one body is walked at a time).</summary>
    [ThreadStatic]
    private static List<IOperation>? s_skipped;

    private static bool AnyErrors(List<IOperation> functions)
    {
        foreach (var function in functions)
        {
            if (Reach.FindErrors(function))
            {
                return true;
            }
        }

        return false;
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

            if (reach.BodyOf(call.Target, call.Operation) is { } calleeBody && TemplateOf(calleeBody, call.Target, types, reach).MayWriteWithin(calleeBody, types, reach, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a concurrent body touches: its own accesses, then those of the methods it reaches, with their locks.</summary>
    private static ImmutableArray<Access> AccessesOfBody(BodyScope body, ThreadingTypes types, Reach reach, CancellationToken cancellationToken)
    {
        var bodyScope = body.Function;
        var bodyOperation = bodyScope.Function;
        var bodySymbol = ScopeSymbol(bodyOperation);
        var accesses = ImmutableArray.CreateBuilder<Access>();
        accesses.AddRange(body.Own);

        var lockedFunctions = new Dictionary<IOperation, bool> { [bodyOperation] = bodyScope.Method is { } bodyMethod && LockSet.IsSynchronized(bodyMethod) };
        var scopes = new Dictionary<IOperation, FunctionScope> { [bodyOperation] = bodyScope };
        foreach (var reached in reach.MethodsCalledFrom(bodyOperation, cancellationToken))
        {
            if (reach.HasErrors(reached.Body))
            {
                continue;
            }

            var pathLocked = LockSet.IsHeldOnEveryPath(reached, caller => !lockedFunctions.TryGetValue(caller, out var locked) || locked);
            lockedFunctions[reached.Body] = pathLocked || LockSet.IsSynchronized(reached.Method);
            var @this = ThisOfReached(reached, scopes);
            scopes[reached.Body] = new FunctionScope(types, reach, reached.Body, reached.Method, bodySymbol, @this, isStarter: false);
            accesses.AddRange(AccessesOfReached(reached, bodySymbol, @this, pathLocked, types, reach));
        }

        return accesses.ToImmutable();
    }

    /// <summary>A concurrent body that can be seen and compiles, with the accesses of its own code.</summary>
    private sealed class BodyScope
    {
        public BodyScope(FunctionScope function, ImmutableArray<Access> own, ImmutableArray<CallSite> calls)
        {
            Function = function;
            Own = own;
            Calls = calls;
        }

        public FunctionScope Function { get; }

        public ImmutableArray<Access> Own { get; }

        /// <summary>The calls the body's own code makes to methods of this compilation (as <see cref="Reach.CallsIn"/> finds them).</summary>
        public ImmutableArray<CallSite> Calls { get; }
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
            var root = call.ReceiverIsThis ? callerScope.This : RootOf(instance, callerScope, out _);
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

    /// <summary>
    /// A reached ordinary method's accesses are found once per compilation with a placeholder for <c>this</c>, then
    /// given the <c>this</c> of each body that reaches it (a method reached from many bodies is walked once).
    /// </summary>
    private static IEnumerable<Access> AccessesOfReached(ReachedMethod reached, IMethodSymbol? bodySymbol, object? @this, bool pathLocked, ThreadingTypes types, Reach reach)
    {
        if (reached.Body is ILocalFunctionOperation)
        {
            return AccessesOf(new FunctionScope(types, reach, reached.Body, reached.Method, bodySymbol, @this, isStarter: false), pathLocked, types);
        }

        return Instantiate(TemplateOf(reached.Body, reached.Method, types, reach).Accesses, @this, pathLocked);
    }

    /// <summary>Kept with the compilation's <see cref="Reach"/>, as its calls are (a table of weak references would take a GC handle per method).</summary>
    private static AccessTemplate TemplateOf(IOperation body, IMethodSymbol method, ThreadingTypes types, Reach reach) =>
        reach.Summaries.TryGetValue(body, out var known) ? (AccessTemplate)known
        : (AccessTemplate)reach.Summaries.GetOrAdd(body, CreateTemplate(body, method, types, reach));

    /// <summary>
    /// One walk of a method finds its accesses and its calls; the calls are also given to <see cref="Reach"/>, whose walk of
    /// the method's callees would otherwise walk the method again to find them.
    /// </summary>
    private static AccessTemplate CreateTemplate(IOperation body, IMethodSymbol method, ThreadingTypes types, Reach reach)
    {
        var scope = new FunctionScope(types, reach, body, method, null, ThisPlaceholder, isStarter: false);
        var accesses = AccessesOf(scope, pathLocked: false, types, withCalls: true, skipped: null, out _, out var callSites);
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

    private sealed class AccessTemplate
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
                    mayWrite = TemplateOf(calleeBody, call.Target, types, reach).MayWriteWithin(calleeBody, depth - 1, types, reach, ref budget, cancellationToken);
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
    }

    /// <summary>The accesses of <paramref name="scope"/>'s own code.</summary>
    private static ImmutableArray<Access> AccessesOf(FunctionScope scope, bool pathLocked, ThreadingTypes types) =>
        AccessesOf(scope, pathLocked, types, withCalls: false, skipped: null, out _, out _);

    /// <summary>
    /// The accesses of <paramref name="scope"/>'s own code; in the same walk, <paramref name="withCalls"/> also its calls,
    /// with <paramref name="skipped"/> the nested functions it does not walk, and whether it met an invalid operation.
    /// </summary>
    private static ImmutableArray<Access> AccessesOf(
        FunctionScope scope, bool pathLocked, ThreadingTypes types, bool withCalls, List<IOperation>? skipped, out bool sawInvalid, out ImmutableArray<CallSite> calls)
    {
        sawInvalid = false;
        var walked = s_walked ??= new Walked();
        var accesses = walked.Accesses;
        try
        {
            foreach (var (operation, kind) in Reach.OperationsOf(scope.Function, skipped).WithKinds())
            {
                AccessOf(operation, kind, scope, pathLocked, types, withCalls ? walked.Calls : null, accesses, walked, ref sawInvalid);
            }

            // Whether a lock is held at a write is asked once the walk has met the function's lock calls, which it keeps
            // for LockSet (a write may come before an acquire in the walk's order, never in the source's).
            if (walked.Writes.Count > 0)
            {
                LockSet.RememberCalls(scope.Function, walked.Invocations);
                foreach (var index in walked.Writes)
                {
                    var write = accesses[index];
                    if (LockSet.IsHeldAt(write.Operation, scope.Function, scope.Method))
                    {
                        accesses[index] = write.WithTarget(write.Target, isLocked: true);
                    }
                }
            }

            calls = withCalls ? walked.Calls.ToImmutable() : ImmutableArray<CallSite>.Empty;
            return accesses.ToImmutable();
        }
        finally
        {
            walked.Clear();
        }
    }

    /// <summary>What one walk collects and keeps for the questions asked after it, reused per thread (walks do not nest).</summary>
    [ThreadStatic]
    private static Walked? s_walked;

    private sealed class Walked
    {
        public ImmutableArray<Access>.Builder Accesses { get; } = ImmutableArray.CreateBuilder<Access>();

        /// <summary>The calls to methods of this compilation, when the walk is asked for them.</summary>
        public ImmutableArray<CallSite>.Builder Calls { get; } = ImmutableArray.CreateBuilder<CallSite>();

        /// <summary>The function's calls, among them its lock calls.</summary>
        public List<IInvocationOperation> Invocations { get; } = new();

        /// <summary>The indexes of the writes whose lock is asked after the walk.</summary>
        public List<int> Writes { get; } = new();

        public void Clear()
        {
            Accesses.Clear();
            Calls.Clear();
            Invocations.Clear();
            Writes.Clear();
        }
    }

    /// <summary>What one operation of a walk adds: its call to a method of this compilation, its access to a shared variable.</summary>
    private static void AccessOf(
        IOperation operation, OperationKind operationKind, FunctionScope scope, bool pathLocked, ThreadingTypes types,
        ImmutableArray<CallSite>.Builder? calls, ImmutableArray<Access>.Builder accesses, Walked walked, ref bool sawInvalid)
    {
        if (operationKind == OperationKind.Invalid)
        {
            sawInvalid = true;
        }

        if (operationKind == OperationKind.Invocation && operation is IInvocationOperation invocation)
        {
            walked.Invocations.Add(invocation);
        }

        if (calls is not null)
        {
            scope.Reach.AddCall(scope.Function, operation, operationKind, calls);
        }

        // An ordinary method's locals and parameters are its own (see FunctionScope.IsInternal): asked before anything else.
        if (operationKind is not (OperationKind.FieldReference or OperationKind.PropertyReference or OperationKind.LocalReference or OperationKind.ParameterReference)
            || (scope.OwnsAllVariables && operationKind is OperationKind.LocalReference or OperationKind.ParameterReference)
            || !MayWriteOrUseCollection(operation, types)
            || TargetOf(operation, scope, types) is not { } target)
        {
            return;
        }

        var (kind, whole) = Classify(operation, target, types, scope.Reach);
        if (kind == AccessKind.Read && !types.IsUnsynchronizedCollection(operation.Type))
        {
            // Reads matter only for collections (a reader of a List<T> being written can throw); scalars race only with writers.
            return;
        }

        if (kind is not AccessKind.Read && !pathLocked)
        {
            walked.Writes.Add(accesses.Count);
        }

        accesses.Add(new Access(whole, operation, target, kind, isLocked: kind is not AccessKind.Read && pathLocked));
    }

    /// <summary>
    /// What <see cref="Classify"/> can find to be more than a plain read: the reference is written (assigned, incremented,
    /// passed by ref or out) or is a non-thread-safe collection. Most references are plain reads of scalars and are not
    /// looked at further.
    /// </summary>
    private static bool MayWriteOrUseCollection(IOperation reference, ThreadingTypes types)
    {
        // Kind tests first: this runs for every variable reference of every function walked, and most parents are none of these.
        var parent = reference.Parent;
        switch (parent?.Kind)
        {
            case OperationKind.SimpleAssignment or OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment or OperationKind.CoalesceAssignment
                when ((IAssignmentOperation)parent).Target == reference:
            case OperationKind.Increment or OperationKind.Decrement:
            case OperationKind.Tuple when parent.Parent?.Kind == OperationKind.DeconstructionAssignment:
            case OperationKind.Argument when ((IArgumentOperation)parent).Parameter?.RefKind is RefKind.Ref or RefKind.Out:
                return true;
            default:
                return types.IsUnsynchronizedCollection(reference.Type);
        }
    }

    /// <summary>The shared variable that <paramref name="reference"/> denotes, or null when it is private to one execution.</summary>
    private static SharedTarget? TargetOf(IOperation reference, FunctionScope scope, ThreadingTypes types)
    {
        switch (reference)
        {
            case IFieldReferenceOperation field:
                if (field.Field.IsConst || field.Field.Type.TypeKind == TypeKind.Error || IsThreadStatic(field.Field, types))
                {
                    return null;
                }

                return MemberTarget(field.Field, field.Field.IsStatic, field.Instance, scope);
            case IPropertyReferenceOperation property when property.Arguments.Length == 0 && scope.Reach.IsAutoProperty(property.Property):
                return MemberTarget(property.Property, property.Property.IsStatic, property.Instance, scope);
            case ILocalReferenceOperation local when !local.Local.IsRef && !scope.IsInternal(local.Local):
                return new SharedTarget(local.Local, null, isCapturedVariable: true);
            case IParameterReferenceOperation parameter when parameter.Parameter.RefKind == RefKind.None && !scope.IsInternal(parameter.Parameter):
                return new SharedTarget(parameter.Parameter, null, isCapturedVariable: true);
            default:
                return null;
        }
    }

    private static SharedTarget? MemberTarget(ISymbol member, bool isStatic, IOperation? instance, FunctionScope scope)
    {
        if (isStatic)
        {
            return new SharedTarget(member, null, isCapturedVariable: false);
        }

        return RootOf(instance, scope, out var throughThis) is { } root ? new SharedTarget(member, root, isCapturedVariable: false, throughThis) : null;
    }

    /// <summary>The object an instance member belongs to, when it is the same in every execution; null when unknown or per-run.</summary>
    private static object? RootOf(IOperation? instance, FunctionScope scope, out bool throughThis)
    {
        throughThis = false;
        switch (EntryPoints.Unwrap(instance))
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                throughThis = true;
                return scope.This;
            case IFieldReferenceOperation field when !IsThreadStatic(field.Field, scope.Types):
                return field.Field.IsStatic || RootOf(field.Instance, scope, out throughThis) is not null ? field.Field : null;
            case IPropertyReferenceOperation property when property.Arguments.Length == 0 && scope.Reach.IsAutoProperty(property.Property):
                // Other properties run code that may return a per-thread or new object each time.
                return property.Property.IsStatic || RootOf(property.Instance, scope, out throughThis) is not null ? property.Property : null;
            case ILocalReferenceOperation local when !scope.IsInternal(local.Local):
                return local.Local;
            case IParameterReferenceOperation parameter when !scope.IsInternal(parameter.Parameter):
                return parameter.Parameter;
            default:
                return null;
        }
    }

    private static (AccessKind Kind, IOperation Whole) Classify(IOperation reference, SharedTarget target, ThreadingTypes types, Reach reach)
    {
        var parent = reference.Parent;
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                if (IsConstant(assignment.Value) || target.Symbol is IFieldSymbol { IsVolatile: true })
                {
                    return (AccessKind.BenignWrite, assignment);
                }

                return (Reads(assignment.Value, target.Symbol) ? AccessKind.ReadModifyWrite : AccessKind.Write, assignment);
            case ICompoundAssignmentOperation compound when compound.Target == reference:
                return (AccessKind.ReadModifyWrite, compound);
            case IIncrementOrDecrementOperation increment:
                return (AccessKind.ReadModifyWrite, increment);
            case ICoalesceAssignmentOperation coalesce when coalesce.Target == reference:
                return (AccessKind.Write, coalesce);
            case ITupleOperation { Parent: IDeconstructionAssignmentOperation deconstruction } tuple when deconstruction.Target == tuple:
                return (AccessKind.Write, deconstruction);
            case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when argument.Value == reference:
                var call = argument.Parent ?? argument;
                if (IsSynchronizingCall(call, types))
                {
                    return (AccessKind.SynchronizedAccess, call);
                }

                if (argument.Parameter.RefKind == RefKind.Ref && call is IInvocationOperation invocation
                    && reach.BodyOf(invocation.TargetMethod, call) is { } calleeBody)
                {
                    return (RefParameterUse(calleeBody, argument.Parameter, types), call);
                }

                return (argument.Parameter.RefKind == RefKind.Out ? AccessKind.Write : AccessKind.ReadModifyWrite, call);
        }

        if (types.IsUnsynchronizedCollection(reference.Type))
        {
            switch (parent)
            {
                case IInvocationOperation invocation when invocation.Instance == reference && IsMutator(invocation.TargetMethod):
                    return (AccessKind.CollectionMutation, invocation);
                case IConditionalAccessOperation { WhenNotNull: IInvocationOperation { Instance: IConditionalAccessInstanceOperation } invocation } conditional
                    when conditional.Operation == reference && IsMutator(invocation.TargetMethod):
                    return (AccessKind.CollectionMutation, invocation);
                case IPropertyReferenceOperation property when property.Instance == reference && IsWritten(property, out var write):
                    return (AccessKind.CollectionMutation, write);
            }
        }

        return (AccessKind.Read, reference);
    }

    /// <summary>
    /// What a method of this compilation does with a <c>ref</c> parameter: only reads and Interlocked/Volatile calls
    /// (a compare-exchange loop) make the ref pass synchronized; a plain write or a further ref pass is a write.
    /// </summary>
    private static AccessKind RefParameterUse(IOperation calleeBody, IParameterSymbol parameter, ThreadingTypes types)
    {
        var synchronized = false;
        foreach (var operation in Reach.OperationsOf(calleeBody))
        {
            if (operation is not IParameterReferenceOperation reference || reference.Parameter.Ordinal != parameter.Ordinal
                || !SymbolEqualityComparer.Default.Equals(reference.Parameter.ContainingSymbol.OriginalDefinition, parameter.ContainingSymbol.OriginalDefinition))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Parent: { } call } when IsSynchronizingCall(call, types):
                    synchronized = true;
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }:
                case IAssignmentOperation assignment when assignment.Target == reference:
                case IIncrementOrDecrementOperation:
                    return AccessKind.ReadModifyWrite;
            }
        }

        return synchronized ? AccessKind.SynchronizedAccess : AccessKind.Read;
    }

    private static bool IsWritten(IOperation reference, out IOperation write)
    {
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
                write = assignment;
                return true;
            case IIncrementOrDecrementOperation increment:
                write = increment;
                return true;
            default:
                write = reference;
                return false;
        }
    }

    internal static bool IsMutator(IMethodSymbol method) =>
        !method.IsStatic && !CollectionReaders.Contains(method.Name)
        && !(method.Name == "Reverse" && method.ContainingType.Name == "SortedSet");

    private static bool IsSynchronizingCall(IOperation call, ThreadingTypes types) =>
        call is IInvocationOperation invocation
        && (SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Interlocked)
            || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Volatile)
            || SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.ImmutableInterlocked)
            || Reach.IsNamespace(invocation.TargetMethod.ContainingNamespace, Reach.ThreadingNamespace));

    private static bool Reads(IOperation value, ISymbol symbol)
    {
        // Not DescendantsAndSelf(), which allocates an iterator and a stack for every assignment a walk meets.
        if (References(value, symbol))
        {
            return true;
        }

        foreach (var operation in Reach.DescendantsOf(value))
        {
            if (References(operation, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool References(IOperation operation, ISymbol symbol)
    {
        var referenced = operation switch
        {
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => (ISymbol)parameter.Parameter,
            _ => null,
        };
        return referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, symbol);
    }

    private static bool IsConstant(IOperation value)
    {
        var unwrapped = EntryPoints.Unwrap(value);
        return value.ConstantValue.HasValue || unwrapped is IDefaultValueOperation || unwrapped?.ConstantValue.HasValue == true;
    }

    /// <summary>[ThreadStatic] gives each thread its own copy of a static field; the runtime ignores it on instance fields.</summary>
    private static bool IsThreadStatic(IFieldSymbol field, ThreadingTypes types) =>
        field.IsStatic && ThreadingTypes.HasAttribute(field, types.ThreadStaticAttribute);

    private static IMethodSymbol? ScopeSymbol(IOperation function) => function switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation localFunction => localFunction.Symbol,
        _ => null,
    };

    /// <summary>The function whose accesses are collected, and which of its variables are its own (not shared).</summary>
    private sealed class FunctionScope
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
            _ownSymbol = ScopeSymbol(function);
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
}
