using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One function of a type: a member's body, or a local function or lambda in it.</summary>
internal sealed class LockedFunction
{
    public LockedFunction(IOperation function, IMethodSymbol? method, IMethodSymbol member)
    {
        Function = function;
        Method = method;
        Member = member;
    }

    public IOperation Function { get; }

    /// <summary>The member or local function; null for a lambda (it may run anywhere, so it holds nothing on entry).</summary>
    public IMethodSymbol? Method { get; }

    /// <summary>The member whose declaration holds the function.</summary>
    public IMethodSymbol Member { get; }

    /// <summary>Whether the function does not compile (<see cref="BrokenCode.In"/>), found once for every rule that asks.</summary>
    public bool HasErrors => _hasErrors ??= BrokenCode.In(Function);

    /// <summary>
    /// The function's lock sections, found once for the lock model and every rule that asks (each would otherwise walk
    /// the function again: the per-thread cache of <see cref="LockSections.Of"/> keeps only the last few).
    /// </summary>
    public LockSections Sections => _sections ??= LockSections.From(Collected().Invocations);

    /// <summary>The field references of the function's own code, in the order of a walk, kept by <see cref="Walk"/>.</summary>
    public IReadOnlyList<IFieldReferenceOperation> FieldReferences => Collected().FieldReferences;

    private bool? _hasErrors;
    private LockSections? _sections;
    private List<IInvocationOperation>? _invocations;
    private List<IFieldReferenceOperation>? _fieldReferences;

    /// <summary>
    /// Walks the function's own code once for the calls it makes to methods of the compilation, keeping on the way
    /// what the lock model and its rules ask of the function later (its invocations for <see cref="Sections"/>, its
    /// field references): each question is then a lookup instead of another walk.
    /// </summary>
    internal ImmutableArray<CallSite> Walk(Reach reach)
    {
        var calls = ImmutableArray.CreateBuilder<CallSite>();
        Collect(reach, calls);
        var result = calls.ToImmutable();
        reach.RememberCalls(Function, result);
        return result;
    }

    /// <summary>Keeps what a walk of the function and its nested functions found (<see cref="BrokenCode.In"/>'s walk).</summary>
    internal void KnowErrors(bool hasErrors) => _hasErrors = hasErrors;

    private (List<IInvocationOperation> Invocations, List<IFieldReferenceOperation> FieldReferences) Collected()
    {
        if (_invocations is null || _fieldReferences is null)
        {
            Collect(null, null);
        }

        return (_invocations!, _fieldReferences!);
    }

    /// <summary>The one walk of the function's own code; with <paramref name="calls"/>, it also finds the calls for <see cref="Walk"/>.</summary>
    private void Collect(Reach? reach, ImmutableArray<CallSite>.Builder? calls)
    {
        var invocations = new List<IInvocationOperation>();
        var fieldReferences = new List<IFieldReferenceOperation>();
        foreach (var (operation, kind) in OperationWalk.OperationsOf(Function).WithKinds())
        {
            if (kind == OperationKind.FieldReference && operation is IFieldReferenceOperation reference)
            {
                fieldReferences.Add(reference);
            }
            else if (kind == OperationKind.Invocation && operation is IInvocationOperation invocation)
            {
                invocations.Add(invocation);
            }

            if (calls is not null)
            {
                reach!.AddCall(Function, operation, kind, calls);
            }
        }

        _invocations = invocations;
        _fieldReferences = fieldReferences;
    }
}

/// <summary>
/// The functions of one outermost type and the types nested in it, the calls between them, and for each private
/// method, local function and <c>Dispose(bool)</c> the locks that every call site holds (nested types can call the
/// private methods of the types they are in). A method that escapes as a delegate has callers nobody can see: it
/// inherits nothing.
/// </summary>
internal sealed class TypeLocks
{
    private const int MaxRounds = 8;

    private readonly Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>> _callers = new(SymbolEqualityComparer.Default);
    private readonly HashSet<IMethodSymbol> _escaping = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, ImmutableArray<HeldLock>> _inherited = new(SymbolEqualityComparer.Default);

    public TypeLocks(INamedTypeSymbol outermost, Reach reach)
    {
        var functions = ImmutableArray.CreateBuilder<LockedFunction>();
        using (RecentlyComputed.Open())
        {
            AddType(outermost, reach, functions);
            Functions = functions.ToImmutable();
            foreach (var function in Functions)
            {
                foreach (var call in function.Walk(reach))
                {
                    if (!_callers.TryGetValue(call.Target, out var callers))
                    {
                        _callers.Add(call.Target, callers = new List<(CallSite, LockedFunction)>());
                    }

                    callers.Add((call, function));
                }
            }

            Solve();
        }
    }

    /// <summary>Every function of the type and its nested types; lambdas that run where they are written are part of their function.</summary>
    public ImmutableArray<LockedFunction> Functions { get; }

    /// <summary>
    /// Whether a method holds what its callers in the type hold: a private method, a local function, and a method
    /// that only the type and its derived types or assembly can call (protected, internal) whose calls the type makes
    /// all hold a lock (the "callers hold the lock" contract of a protected virtual, Dispose(bool)). Public methods can
    /// be called from anywhere without it.
    /// </summary>
    public static bool InheritsCallersLocks(IMethodSymbol method) =>
        method.MethodKind == MethodKind.LocalFunction
        || (method.DeclaredAccessibility is not (Accessibility.Public or Accessibility.NotApplicable)
            && method.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet
            && method.ExplicitInterfaceImplementations.IsEmpty
            && method.AssociatedSymbol is null or IPropertySymbol { DeclaredAccessibility: not Accessibility.Public })
        || (method is { Name: "Dispose", MethodKind: MethodKind.Ordinary, Parameters.Length: 1 } && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean);

    /// <summary>A private method or local function: every call to it is in the type, so one that nothing calls is dead.</summary>
    public static bool IsPrivate(IMethodSymbol method) =>
        method.MethodKind == MethodKind.LocalFunction
        || (method.DeclaredAccessibility == Accessibility.Private && method.MethodKind is MethodKind.Ordinary or MethodKind.PropertyGet or MethodKind.PropertySet
            && method.ExplicitInterfaceImplementations.IsEmpty && method.AssociatedSymbol is null or IPropertySymbol { DeclaredAccessibility: Accessibility.Private });

    /// <summary>The locks every call site of <paramref name="method"/> holds; empty for a method that does not inherit them.</summary>
    public ImmutableArray<HeldLock> Inherited(IMethodSymbol method) =>
        _inherited.TryGetValue(method.OriginalDefinition, out var held) ? held : ImmutableArray<HeldLock>.Empty;

    /// <summary>The calls to <paramref name="method"/> from the functions of the type.</summary>
    public IReadOnlyList<(CallSite Call, LockedFunction Caller)> CallersOf(IMethodSymbol method) =>
        _callers.TryGetValue(method.OriginalDefinition, out var callers) ? callers : (IReadOnlyList<(CallSite, LockedFunction)>)System.Array.Empty<(CallSite, LockedFunction)>();

    /// <summary>Whether <paramref name="method"/> is passed on as a delegate (a method group), so it can run from anywhere.</summary>
    public bool Escapes(IMethodSymbol method) => _escaping.Contains(method.OriginalDefinition);

    /// <summary>The locks a function holds on entry: its Synchronized method's, and its callers' when it inherits them.</summary>
    public ImmutableArray<HeldLock> HeldOnEntry(LockedFunction function)
    {
        if (function.Method is not { } method)
        {
            return ImmutableArray<HeldLock>.Empty;
        }

        var inherited = Inherited(method);
        return LockSet.IsSynchronized(method) ? inherited.Add(new HeldLock(LockIdentity.OfSynchronized(method), null, isMonitor: true)) : inherited;
    }

    private void AddType(INamedTypeSymbol type, Reach reach, ImmutableArray<LockedFunction>.Builder functions)
    {
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case INamedTypeSymbol nested:
                    AddType(nested, reach, functions);
                    break;
                case IMethodSymbol method when !method.IsImplicitlyDeclared && !method.IsAbstract && reach.BodyOf(method, null) is { } body:
                    var function = new LockedFunction(body, method, method);
                    functions.Add(function);
                    var invalid = AddNested(body, method, functions);
                    function.KnowErrors(invalid || body.Syntax.ContainsDiagnostics || body.Kind == OperationKind.Invalid);
                    break;
            }
        }
    }

    /// <summary>Adds the functions nested in <paramref name="body"/>; whether an operation in it does not bind, found by the same walk.</summary>
    private bool AddNested(IOperation body, IMethodSymbol member, ImmutableArray<LockedFunction>.Builder functions)
    {
        var invalid = false;
        foreach (var (operation, kind) in OperationWalk.DescendantsOf(body).WithKinds())
        {
            switch (kind)
            {
                case OperationKind.LocalFunction when operation is ILocalFunctionOperation local:
                    functions.Add(new LockedFunction(local, local.Symbol, member));
                    break;
                case OperationKind.AnonymousFunction when !OperationWalk.RunsSynchronously(operation):
                    functions.Add(new LockedFunction(operation, null, member));
                    break;
                case OperationKind.MethodReference when operation is IMethodReferenceOperation reference:
                    _escaping.Add(reference.Method.OriginalDefinition);
                    break;
                case OperationKind.Invalid:
                    invalid = true;
                    break;
            }
        }

        return invalid;
    }

    /// <summary>
    /// The greatest solution of "a method holds what every call site holds, plus what its caller holds on entry":
    /// start from "everything" and narrow until nothing changes, so that recursion keeps the locks its outside
    /// callers hold. A method that nothing outside a cycle calls ends with nothing.
    /// </summary>
    private void Solve()
    {
        var candidates = new List<IMethodSymbol>();
        foreach (var method in _callers.Keys)
        {
            if (InheritsCallersLocks(method) && !_escaping.Contains(method))
            {
                candidates.Add(method);
            }
        }

        var known = new Dictionary<IMethodSymbol, ImmutableArray<HeldLock>?>(SymbolEqualityComparer.Default);
        var atCall = new Dictionary<CallSite, HeldLock[]>();
        for (var round = 0; round < MaxRounds; round++)
        {
            var changed = false;
            foreach (var method in candidates)
            {
                var held = HeldAtEveryCall(method, known, atCall);
                known.TryGetValue(method, out var before);
                if (before is null != held is null || (held is { } now && before is { } then && now.Length != then.Length))
                {
                    known[method] = held;
                    changed = true;
                }
            }

            if (!changed)
            {
                break;
            }
        }

        foreach (var pair in known)
        {
            if (pair.Value is { } held)
            {
                _inherited[pair.Key] = held;
            }
        }
    }

    /// <summary>The intersection over the calls; null ("everything") while every caller is still undecided.</summary>
    /// <remarks>
    /// <paramref name="atCall"/> keeps what each call site's own function holds there, seen from the callee: every round
    /// asks it again, and finding it walks the caller's lock sections.
    /// </remarks>
    private ImmutableArray<HeldLock>? HeldAtEveryCall(IMethodSymbol method, Dictionary<IMethodSymbol, ImmutableArray<HeldLock>?> known, Dictionary<CallSite, HeldLock[]> atCall)
    {
        ImmutableArray<HeldLock>? result = null;
        foreach (var (call, caller) in _callers[method])
        {
            ImmutableArray<HeldLock> onEntry;
            if (caller.Method is { } callerMethod && known.TryGetValue(callerMethod, out var callerHeld))
            {
                if (callerHeld is null)
                {
                    continue;
                }

                onEntry = callerHeld.Value;
            }
            else if (caller.Method is { } undecided && InheritsCallersLocks(undecided) && _callers.ContainsKey(undecided) && !_escaping.Contains(undecided))
            {
                continue;
            }
            else
            {
                onEntry = ImmutableArray<HeldLock>.Empty;
            }

            if (caller.Method is { } synchronized && LockSet.IsSynchronized(synchronized))
            {
                onEntry = onEntry.Add(new HeldLock(LockIdentity.OfSynchronized(synchronized), null, isMonitor: true));
            }

            var sameThis = call.ReceiverIsThis || method.MethodKind == MethodKind.LocalFunction;
            if (!atCall.TryGetValue(call, out var direct))
            {
                var inFunction = ReferenceEquals(call.Caller, caller.Function)
                    ? LockModel.HeldInFunction(call.Operation, call.Caller, caller.Sections)
                    : LockModel.HeldInFunction(call.Operation, call.Caller);
                direct = new HeldLock[inFunction.Length];
                for (var index = 0; index < direct.Length; index++)
                {
                    var held = inFunction[index];
                    direct[index] = new HeldLock(held.Identity.SeenFromCallee(sameThis), null, held.IsMonitor, held.IsReadLock);
                }

                atCall.Add(call, direct);
            }

            var here = new List<HeldLock>(direct);

            foreach (var held in onEntry)
            {
                here.Add(new HeldLock(held.Identity.SeenFromCallee(sameThis), null, held.IsMonitor, held.IsReadLock));
            }

            result = result is { } sofar ? Intersect(sofar, here) : here.ToImmutableArray();
        }

        return result;
    }

    private static ImmutableArray<HeldLock> Intersect(ImmutableArray<HeldLock> a, List<HeldLock> b)
    {
        var result = ImmutableArray.CreateBuilder<HeldLock>();
        foreach (var held in a)
        {
            foreach (var other in b)
            {
                if (other.Identity.Equals(held.Identity) && other.IsReadLock == held.IsReadLock)
                {
                    result.Add(held);
                    break;
                }
            }
        }

        return result.ToImmutable();
    }
}
