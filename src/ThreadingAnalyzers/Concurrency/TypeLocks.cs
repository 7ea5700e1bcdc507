using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
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

    /// <summary>The field references of the function's own code, in the order of a walk, kept by the type's walk.</summary>
    public IReadOnlyList<IFieldReferenceOperation> FieldReferences => Collected().FieldReferences;

    private bool? _hasErrors;
    private LockSections? _sections;
    private List<IInvocationOperation>? _invocations;
    private List<IFieldReferenceOperation>? _fieldReferences;
    private List<(IOperation Operation, OperationKind Kind)>? _callOperations;
    private bool _hasLockStatements;

    /// <summary>
    /// The invocations, property references and <c>lock</c> statements of the function's own code, in the order of a
    /// walk: the calls it may make and the locks it may take.
    /// </summary>
    internal List<(IOperation Operation, OperationKind Kind)> CallOperations => Collected().CallOperations;

    /// <summary>
    /// Whether the function's own code may hold a lock somewhere: it has a <c>lock</c> or <c>using</c> statement, or a
    /// call that acquires (<see cref="LockSections"/>). Without one, what it holds anywhere is what it holds on entry.
    /// </summary>
    internal bool MayTakeLocks
    {
        get
        {
            Collected();
            return _hasLockStatements || Sections.Acquires.Count > 0;
        }
    }

    /// <summary>Keeps what a walk of the function and its nested functions found (<see cref="BrokenCode.In"/>'s walk).</summary>
    internal void KnowErrors(bool hasErrors) => _hasErrors = hasErrors;

    /// <summary>Readies the function for <see cref="Record"/>: the type's one walk of its bodies hands each function its own operations.</summary>
    internal void StartRecording()
    {
        _invocations = new List<IInvocationOperation>();
        _fieldReferences = new List<IFieldReferenceOperation>();
        _callOperations = new List<(IOperation, OperationKind)>();
    }

    /// <summary>Keeps <paramref name="operation"/>, one of the function's own, if a question asks for its kind later.</summary>
    internal void Record(IOperation operation, OperationKind kind)
    {
        if (Keep(operation, kind, _invocations!, _fieldReferences!, _callOperations!))
        {
            _hasLockStatements = true;
        }
    }

    /// <returns>Whether <paramref name="operation"/> is a <c>lock</c> or <c>using</c> statement.</returns>
    private static bool Keep(
        IOperation operation,
        OperationKind kind,
        List<IInvocationOperation> invocations,
        List<IFieldReferenceOperation> fieldReferences,
        List<(IOperation, OperationKind)> callOperations)
    {
        if (kind == OperationKind.FieldReference && operation is IFieldReferenceOperation reference)
        {
            fieldReferences.Add(reference);
        }
        else if (kind == OperationKind.Invocation && operation is IInvocationOperation invocation)
        {
            invocations.Add(invocation);
            callOperations.Add((operation, kind));
        }
        else if (kind is OperationKind.PropertyReference or OperationKind.Lock)
        {
            callOperations.Add((operation, kind));
            return kind == OperationKind.Lock;
        }

        return kind == OperationKind.Using;
    }

    private (List<IInvocationOperation> Invocations, List<IFieldReferenceOperation> FieldReferences, List<(IOperation Operation, OperationKind Kind)> CallOperations) Collected()
    {
        if (_invocations is null || _fieldReferences is null || _callOperations is null)
        {
            // A function that no type's walk recorded: its own walk, published whole (other threads may ask at once).
            var invocations = new List<IInvocationOperation>();
            var fieldReferences = new List<IFieldReferenceOperation>();
            var callOperations = new List<(IOperation, OperationKind)>();
            var hasLockStatements = false;
            foreach (var (operation, kind) in OperationWalk.OperationsOf(Function).WithKinds())
            {
                hasLockStatements |= Keep(operation, kind, invocations, fieldReferences, callOperations);
            }

            _hasLockStatements = hasLockStatements;
            _invocations = invocations;
            _fieldReferences = fieldReferences;
            _callOperations = callOperations;
        }

        return (_invocations!, _fieldReferences!, _callOperations!);
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

    private readonly Reach _reach;
    private readonly INamedTypeSymbol _outermost;
    private readonly HashSet<IMethodSymbol> _escaping = new(SymbolEqualityComparer.Default);
    private readonly object _linking = new();
    private readonly Stack<(IOperation, LockedFunction)> _walk = new();
    private Linked? _linked;

    public TypeLocks(INamedTypeSymbol outermost, Reach reach)
    {
        _reach = reach;
        _outermost = outermost;
        var functions = ImmutableArray.CreateBuilder<LockedFunction>();
        AddType(outermost, reach, functions);
        Functions = functions.ToImmutable();
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
    /// <remarks>Only a method that inherits them asks for the calls between the type's functions.</remarks>
    public ImmutableArray<HeldLock> Inherited(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return InheritsCallersLocks(method) && Link().Inherited.TryGetValue(method, out var held) ? held : ImmutableArray<HeldLock>.Empty;
    }

    /// <summary>The calls to <paramref name="method"/>, a method of the type that inherits its callers' locks, from the functions of the type (others are not kept).</summary>
    public IReadOnlyList<(CallSite Call, LockedFunction Caller)> CallersOf(IMethodSymbol method) =>
        Link().Callers.TryGetValue(method.OriginalDefinition, out var callers) ? callers : (IReadOnlyList<(CallSite, LockedFunction)>)System.Array.Empty<(CallSite, LockedFunction)>();

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
                    var invalid = Walk(function, functions);
                    function.KnowErrors(invalid || body.Syntax.ContainsDiagnostics || body.Kind == OperationKind.Invalid);
                    break;
            }
        }
    }

    /// <summary>
    /// The one walk of a member's body: it adds the functions nested in it, hands each function its own operations
    /// (<see cref="LockedFunction.Record"/>, in the order <see cref="OperationWalk.OperationsOf"/> would give them), and
    /// tells whether an operation in the body does not bind.
    /// </summary>
    private bool Walk(LockedFunction member, ImmutableArray<LockedFunction>.Builder functions)
    {
        var invalid = false;
        var stack = _walk;
        member.StartRecording();
        foreach (var child in member.Function.ChildOperations)
        {
            stack.Push((child, member));
        }

        while (stack.Count > 0)
        {
            var (operation, owner) = stack.Pop();
            var kind = operation.Kind;
            switch (kind)
            {
                case OperationKind.LocalFunction when operation is ILocalFunctionOperation local:
                    owner = new LockedFunction(local, local.Symbol, member.Member);
                    owner.StartRecording();
                    functions.Add(owner);
                    break;
                case OperationKind.AnonymousFunction when !OperationWalk.RunsSynchronously(operation):
                    owner = new LockedFunction(operation, null, member.Member);
                    owner.StartRecording();
                    functions.Add(owner);
                    break;
                case OperationKind.MethodReference when operation is IMethodReferenceOperation reference:
                    _escaping.Add(reference.Method.OriginalDefinition);
                    owner.Record(operation, kind);
                    break;
                case OperationKind.Invalid:
                    invalid = true;
                    owner.Record(operation, kind);
                    break;
                default:
                    owner.Record(operation, kind);
                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                stack.Push((child, owner));
            }
        }

        return invalid;
    }

    /// <summary>The calls between the type's functions and what each method inherits from its callers, found once, when first asked.</summary>
    private Linked Link()
    {
        if (Volatile.Read(ref _linked) is { } linked)
        {
            return linked;
        }

        lock (_linking)
        {
            if (_linked is null)
            {
                var callers = new Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>>(SymbolEqualityComparer.Default);
                var found = ImmutableArray.CreateBuilder<CallSite>();
                foreach (var function in Functions)
                {
                    foreach (var (operation, kind) in function.CallOperations)
                    {
                        // Only a method of this type that inherits its callers' locks is ever asked about: calls to
                        // anything else are left out before the reach looks at them.
                        ISymbol? target = kind == OperationKind.Invocation ? ((IInvocationOperation)operation).TargetMethod : (operation as IPropertyReferenceOperation)?.Property;
                        if (target is null || !IsOwn(target))
                        {
                            continue;
                        }

                        found.Clear();
                        _reach.AddCall(function.Function, operation, kind, found);
                        foreach (var call in found)
                        {
                            if (!InheritsCallersLocks(call.Target) || !IsOwn(call.Target))
                            {
                                continue;
                            }

                            if (!callers.TryGetValue(call.Target, out var list))
                            {
                                callers.Add(call.Target, list = new List<(CallSite, LockedFunction)>());
                            }

                            list.Add((call, function));
                        }
                    }
                }

                var inherited = new Dictionary<IMethodSymbol, ImmutableArray<HeldLock>>(SymbolEqualityComparer.Default);
                Solve(callers, inherited);
                Volatile.Write(ref _linked, new Linked(callers, inherited));
            }

            return _linked!;
        }
    }

    /// <summary>Whether <paramref name="symbol"/> is declared in this outermost type or a type nested in it.</summary>
    private bool IsOwn(ISymbol symbol)
    {
        // Most calls go to metadata, whose members have a token (source members have none): no walk up their types.
        if (symbol.MetadataToken != 0)
        {
            return false;
        }

        var type = symbol.ContainingType;
        if (type is null)
        {
            return false;
        }

        while (type.ContainingType is { } containing)
        {
            type = containing;
        }

        return SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _outermost);
    }

    private sealed class Linked
    {
        public Linked(Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>> callers, Dictionary<IMethodSymbol, ImmutableArray<HeldLock>> inherited)
        {
            Callers = callers;
            Inherited = inherited;
        }

        public Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>> Callers { get; }

        public Dictionary<IMethodSymbol, ImmutableArray<HeldLock>> Inherited { get; }
    }

    /// <summary>
    /// The greatest solution of "a method holds what every call site holds, plus what its caller holds on entry":
    /// start from "everything" and narrow until nothing changes, so that recursion keeps the locks its outside
    /// callers hold. A method that nothing outside a cycle calls ends with nothing.
    /// </summary>
    private void Solve(Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>> callers, Dictionary<IMethodSymbol, ImmutableArray<HeldLock>> inherited)
    {
        var candidates = new List<IMethodSymbol>();
        foreach (var method in callers.Keys)
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
                var held = HeldAtEveryCall(method, callers, known, atCall);
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
                inherited[pair.Key] = held;
            }
        }
    }

    /// <summary>The intersection over the calls; null ("everything") while every caller is still undecided.</summary>
    /// <remarks>
    /// <paramref name="atCall"/> keeps what each call site's own function holds there, seen from the callee: every round
    /// asks it again, and finding it walks the caller's lock sections.
    /// </remarks>
    private ImmutableArray<HeldLock>? HeldAtEveryCall(
        IMethodSymbol method,
        Dictionary<IMethodSymbol, List<(CallSite Call, LockedFunction Caller)>> callers,
        Dictionary<IMethodSymbol, ImmutableArray<HeldLock>?> known,
        Dictionary<CallSite, HeldLock[]> atCall)
    {
        ImmutableArray<HeldLock>? result = null;
        foreach (var (call, caller) in callers[method])
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
            else if (caller.Method is { } undecided && InheritsCallersLocks(undecided) && callers.ContainsKey(undecided) && !_escaping.Contains(undecided))
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
