using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One call from a function to a method of this compilation whose body can be seen.</summary>
internal sealed class CallSite
{
    public CallSite(IOperation caller, IOperation operation, IMethodSymbol target, bool receiverIsThis)
    {
        Caller = caller;
        Operation = operation;
        Target = target;
        ReceiverIsThis = receiverIsThis;
    }

    /// <summary>The function that makes the call: a concurrent body, or a reached method's <see cref="ReachedMethod.Body"/>.</summary>
    public IOperation Caller { get; }

    /// <summary>The invocation, or the property reference whose accessor runs.</summary>
    public IOperation Operation { get; }

    public IMethodSymbol Target { get; }

    /// <summary>An instance call on <c>this</c> (implicit or explicit), so the callee's <c>this</c> is the caller's.</summary>
    public bool ReceiverIsThis { get; }
}

/// <summary>A method that a concurrent body calls, directly or through other methods of the compilation.</summary>
internal sealed class ReachedMethod
{
    public ReachedMethod(IMethodSymbol method, IOperation body, int depth, bool thisIsBodyThis, ImmutableArray<CallSite> callers)
    {
        Method = method;
        Body = body;
        Depth = depth;
        ThisIsBodyThis = thisIsBodyThis;
        Callers = callers;
    }

    public IMethodSymbol Method { get; }

    /// <summary>The method's operation: <see cref="IMethodBodyOperation"/>, <see cref="ILocalFunctionOperation"/>, ...</summary>
    public IOperation Body { get; }

    /// <summary>1 for a method that the body calls directly.</summary>
    public int Depth { get; }

    /// <summary>Every call chain from the body to it is made of calls on <c>this</c>: its <c>this</c> is the body's.</summary>
    public bool ThisIsBodyThis { get; }

    /// <summary>The calls to it from the body or from other reached methods.</summary>
    public ImmutableArray<CallSite> Callers { get; }
}

/// <summary>
/// Which methods of this compilation a concurrent body calls, transitively: bounded, cycle-safe, computed lazily and
/// cached per compilation (each method's direct calls are found once).
/// </summary>
internal sealed class Reach
{
    /// <summary>How many calls deep the walk goes.</summary>
    public const int MaxDepth = 5;

    /// <summary>How many methods one body may reach before the walk stops.</summary>
    public const int MaxMethods = 64;

    private static readonly ConditionalWeakTable<Compilation, Reach> Cache = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, IOperation?> _bodies = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IOperation, ImmutableArray<CallSite>> _calls = new();
    private readonly ConcurrentDictionary<IOperation, bool> _hasErrors = new();
    private readonly ConcurrentDictionary<IPropertySymbol, bool> _autoProperties = new(SymbolEqualityComparer.Default);
    private HashSet<SyntaxTree>? _trees;

    private Reach(Compilation compilation) => _compilation = compilation;

    public static Reach For(Compilation compilation) => Cache.GetValue(compilation, static c => new Reach(c));

    /// <summary>
    /// An auto-property is a field in disguise: its accessors run no code of their own. Other properties run code
    /// (followed as calls). Found once per property and compilation.
    /// </summary>
    /// <remarks>
    /// A property of a referenced assembly never is: its backing field, private, is not imported (nor marked as
    /// associated with it). Those are answered without a lookup, so the table holds this compilation's properties only.
    /// </remarks>
    public bool IsAutoProperty(IPropertySymbol property) =>
        property.MetadataToken == 0
        && (_autoProperties.TryGetValue(property, out var known) ? known : _autoProperties.GetOrAdd(property, FindIsAutoProperty(property)));

    private static bool FindIsAutoProperty(IPropertySymbol property)
    {
        if (property.IsAbstract || property.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsImplicitlyDeclared: true } field && SymbolEqualityComparer.Default.Equals(field.AssociatedSymbol, property))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The methods of this compilation that <paramref name="body"/> (a lambda, local function or method body) calls, transitively, nearest first.</summary>
    public ImmutableArray<ReachedMethod> MethodsCalledFrom(IOperation body, CancellationToken cancellationToken = default) =>
        MethodsCalledFrom(body, null, cancellationToken);

    /// <summary>
    /// <see cref="MethodsCalledFrom(IOperation, CancellationToken)"/>, following only the calls of <paramref name="body"/>'s
    /// own code that <paramref name="split"/> puts after its first await (null: all of them).
    /// </summary>
    public ImmutableArray<ReachedMethod> MethodsCalledFrom(IOperation body, AwaitSplit? split, CancellationToken cancellationToken = default)
    {
        var order = new List<IMethodSymbol>();
        var facts = new Dictionary<IMethodSymbol, (IOperation Body, int Depth, bool ThisIsBodyThis, List<CallSite> Callers)>(SymbolEqualityComparer.Default);
        var queue = new Queue<(IOperation Function, int Depth, bool ThisIsBodyThis)>();
        queue.Enqueue((body, 0, true));
        while (queue.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (function, depth, thisIsBodyThis) = queue.Dequeue();
            if (depth >= MaxDepth)
            {
                continue;
            }

            foreach (var call in CallsIn(function))
            {
                if (depth == 0 && split is not null && !split.IsAfterFirstAwait(call.Operation))
                {
                    continue;
                }

                var calleeThis = thisIsBodyThis && call.ReceiverIsThis;
                if (facts.TryGetValue(call.Target, out var known))
                {
                    known.Callers.Add(call);
                    if (known.ThisIsBodyThis && !calleeThis)
                    {
                        facts[call.Target] = (known.Body, known.Depth, false, known.Callers);
                    }

                    continue;
                }

                if (order.Count >= MaxMethods || BodyOf(call.Target, function) is not { } calleeBody)
                {
                    continue;
                }

                order.Add(call.Target);
                facts.Add(call.Target, (calleeBody, depth + 1, calleeThis, new List<CallSite> { call }));
                queue.Enqueue((calleeBody, depth + 1, calleeThis));
            }
        }

        var result = ImmutableArray.CreateBuilder<ReachedMethod>(order.Count);
        foreach (var method in order)
        {
            var fact = facts[method];
            result.Add(new ReachedMethod(method, fact.Body, fact.Depth, fact.ThisIsBodyThis, fact.Callers.ToImmutableArray()));
        }

        return result.MoveToImmutable();
    }

    /// <summary>The methods of this compilation that <paramref name="method"/> calls, transitively; empty when its body cannot be seen.</summary>
    public ImmutableArray<ReachedMethod> MethodsCalledFrom(IMethodSymbol method, CancellationToken cancellationToken = default) =>
        BodyOf(method, null) is { } body ? MethodsCalledFrom(body, cancellationToken) : ImmutableArray<ReachedMethod>.Empty;

    /// <summary>
    /// The operation of a method declared in this compilation (null for metadata, abstract, extern or partial-without-body).
    /// <paramref name="near"/> is an operation whose semantic model serves when the method is declared in the same tree.
    /// </summary>
    public IOperation? BodyOf(IMethodSymbol method, IOperation? near)
    {
        method = Normalize(method);
        if (method.MethodKind == MethodKind.LocalFunction && near is not null)
        {
            // A local function's operation is part of its containing method's tree; find it there, not through a new model.
            return LocalFunctionIn(OperationTree.Root(near), method);
        }

        // Looked up first: GetOrAdd with a capturing lambda would allocate on every call.
        return _bodies.TryGetValue(method, out var known) ? known : _bodies.GetOrAdd(method, LoadBody(method, near?.SemanticModel));
    }

    /// <summary>
    /// Whether <paramref name="function"/> does not compile (syntax errors or invalid operations); found once per method.
    /// Lambdas and local functions are asked about by the one analysis of their method, so they are not kept: adding
    /// each to the shared table costs more (a lock, contended by the other analysis threads) than the walk.
    /// </summary>
    public bool HasErrors(IOperation function) =>
        IsPartOfAMethod(function) ? BrokenCode.In(function)
        : _hasErrors.TryGetValue(function, out var known) ? known : _hasErrors.GetOrAdd(function, BrokenCode.In(function));

    /// <summary>The direct calls that <paramref name="function"/> makes to methods of this compilation; kept for methods (see <see cref="HasErrors"/>).</summary>
    public ImmutableArray<CallSite> CallsIn(IOperation function) =>
        IsPartOfAMethod(function) ? FindCalls(function)
        : _calls.TryGetValue(function, out var known) ? known : _calls.GetOrAdd(function, FindCalls(function));

    /// <summary>Keeps the calls a walk of a method's body found, so that <see cref="CallsIn"/> does not walk it again.</summary>
    public void RememberCalls(IOperation function, ImmutableArray<CallSite> calls)
    {
        if (!IsPartOfAMethod(function))
        {
            _calls.TryAdd(function, calls);
        }
    }

    private static bool IsPartOfAMethod(IOperation function) => function.Kind is OperationKind.AnonymousFunction or OperationKind.LocalFunction;

    private ImmutableArray<CallSite> FindCalls(IOperation function)
    {
        var calls = ImmutableArray.CreateBuilder<CallSite>();
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            AddCall(function, operation, kind, calls);
        }

        return calls.ToImmutable();
    }

    /// <summary>
    /// Adds to <paramref name="calls"/> the call that <paramref name="operation"/>, an operation of <paramref name="function"/>,
    /// makes to a method of this compilation, if any: for a walk of a function that collects other facts as it goes
    /// (<paramref name="kind"/> is the operation's, which that walk has already asked for).
    /// </summary>
    public void AddCall(IOperation function, IOperation operation, OperationKind kind, ImmutableArray<CallSite>.Builder calls)
    {
        switch (kind)
        {
            case OperationKind.Invocation when operation is IInvocationOperation invocation && IsSource(invocation.TargetMethod):
                calls.Add(new CallSite(function, invocation, Normalize(invocation.TargetMethod), IsThis(invocation.Instance, invocation.TargetMethod)));
                break;
            case OperationKind.PropertyReference when operation is IPropertyReferenceOperation property && IsSource(property.Property):
                // The accessors the reference runs: the getter unless it is only assigned, the setter when it is written.
                var parent = property.Parent;
                var isWritten = parent is IAssignmentOperation assignment && assignment.Target == property || parent is IIncrementOrDecrementOperation;
                var isRead = !(parent is ISimpleAssignmentOperation simple && simple.Target == property);
                if (isRead && property.Property.GetMethod is { } getter)
                {
                    AddAccessorCall(function, property, getter, calls);
                }

                if (isWritten && property.Property.SetMethod is { } setter)
                {
                    AddAccessorCall(function, property, setter, calls);
                }

                break;
        }
    }

    private void AddAccessorCall(IOperation function, IPropertyReferenceOperation property, IMethodSymbol accessor, ImmutableArray<CallSite>.Builder calls)
    {
        if (IsSource(accessor))
        {
            calls.Add(new CallSite(function, property, Normalize(accessor), IsThis(property.Instance, accessor)));
        }
    }

    private static bool IsThis(IOperation? instance, IMethodSymbol method) =>
        !method.IsStatic && (instance is null ? method.MethodKind == MethodKind.LocalFunction : instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance });

    /// <summary>
    /// A member with source declared in this compilation. Most calls go to metadata, whose members have a metadata token
    /// (source members have none) and no syntax: those are checked first (alone they answer for them), as finding a
    /// metadata member's assembly walks its namespaces (a fifth of this walk's time). Members the compiler declares (a
    /// default constructor) have no syntax and no body to follow either.
    /// </summary>
    /// <remarks>
    /// A member of a type the code base configures as thread-safe (<c>threading_analyzers.thread_safe_types</c>) is not
    /// followed: its own synchronization is the type's business, which the configuration vouches for.
    /// </remarks>
    /// <summary>Whether <paramref name="method"/> (a constructor, say) is declared in this compilation's source with a body to follow.</summary>
    public bool IsSourceMethod(IMethodSymbol method) => IsSource(method);

    private bool IsSource(ISymbol symbol) =>
        symbol.MetadataToken == 0 && !symbol.DeclaringSyntaxReferences.IsEmpty && !symbol.IsAbstract && !symbol.IsExtern
        && SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly)
        && !Options.IsThreadSafeType(symbol.ContainingType);

    /// <summary>The compilation's threading options, attached by the analyzers before any walk.</summary>
    private ThreadingOptions Options => _options ??= ThreadingTypes.From(_compilation).Options;

    private ThreadingOptions? _options;

    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.OriginalDefinition;
        return method.PartialImplementationPart ?? method;
    }

    private IOperation? LoadBody(IMethodSymbol method, SemanticModel? nearModel)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (nearModel?.SyntaxTree != tree && !IsInCompilation(tree))
            {
                continue;
            }

            // An auto-property's accessor (get; set; init;) and a record's positional property run no code of their own:
            // asking a model would only build one for the accessor to answer that there is nothing.
            var syntax = reference.GetSyntax();
            if (syntax is AccessorDeclarationSyntax { Body: null, ExpressionBody: null } or ParameterSyntax)
            {
                continue;
            }

            // The analyzer driver gives analyzers a compilation with a caching SemanticModelProvider, so this is the shared model, not a new binding (RS1030's concern); only trees holding a reached method are touched.
            var model = nearModel is not null && nearModel.SyntaxTree == tree ? nearModel : _compilation.GetSemanticModel(tree);
            var operation = model.GetOperation(syntax);
            if (operation is not null)
            {
                return operation;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="tree"/> is one of the compilation's: a set made on first use, as the compilation's own
    /// ContainsSyntaxTree looks the tree up in an immutable map (a quarter of BodyOf's CPU samples on the benchmark corpus).
    /// </summary>
    private bool IsInCompilation(SyntaxTree tree)
    {
        var trees = Volatile.Read(ref _trees);
        if (trees is null)
        {
            trees = new HashSet<SyntaxTree>(_compilation.SyntaxTrees);
            trees = Interlocked.CompareExchange(ref _trees, trees, null) ?? trees;
        }

        return trees.Contains(tree);
    }

    private static IOperation? LocalFunctionIn(IOperation root, IMethodSymbol method)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalFunctionOperation localFunction && SymbolEqualityComparer.Default.Equals(localFunction.Symbol, method))
            {
                return localFunction;
            }
        }

        return null;
    }
}
