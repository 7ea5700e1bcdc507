using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>The API that starts code on another thread.</summary>
internal enum EntryPointKind
{
    /// <summary><c>new Thread(body)</c>; the body runs once <c>Start()</c> is called.</summary>
    Thread,
    TaskRun,
    /// <summary><c>Task.Factory.StartNew</c> or <c>StartNew</c> on any <c>TaskFactory</c>.</summary>
    TaskFactoryStartNew,
    /// <summary><c>ThreadPool.QueueUserWorkItem</c> and <c>UnsafeQueueUserWorkItem</c>.</summary>
    ThreadPool,
    ParallelFor,
    ParallelForEach,
    ParallelInvoke,
    /// <summary>PLINQ <c>ParallelEnumerable.ForAll</c>.</summary>
    PlinqForAll,
    /// <summary><c>new System.Threading.Timer(callback, ...)</c>.</summary>
    Timer,
    /// <summary><c>new Task(body)</c> that the same method starts with <c>Start()</c> on the default scheduler.</summary>
    TaskStart,
    /// <summary><c>task.ContinueWith(continuation)</c> on the default scheduler: the continuation runs on the pool.</summary>
    ContinueWith,
    /// <summary><c>timer.Elapsed += handler</c> of a <c>System.Timers.Timer</c> without a synchronizing object.</summary>
    TimerElapsed,
    /// <summary>The delegate of a TPL Dataflow <c>ActionBlock</c>, <c>TransformBlock</c> or <c>TransformManyBlock</c>.</summary>
    DataflowBlock,

    /// <summary><c>Task.WhenAll</c> of async functions started per item (see <see cref="AwaitedTogether"/>): each runs concurrently from its first <c>await</c> on.</summary>
    WhenAll,

    /// <summary><c>Task.WaitAll</c> of async functions started per item: as <see cref="WhenAll"/>, and every body has finished when it returns.</summary>
    WaitAll,

    /// <summary>A method the code base names in <c>threading_analyzers.concurrent_entry_points</c>: its delegate arguments run concurrently.</summary>
    Configured,
}

/// <summary>One delegate that an entry point runs on another thread: a lambda, or a method group.</summary>
internal sealed class ConcurrentBody
{
    public ConcurrentBody(IOperation? function, IMethodSymbol? method, IOperation? methodReceiver, bool fromFirstAwait = false)
    {
        Function = function;
        Method = method;
        MethodReceiver = methodReceiver;
        FromFirstAwait = fromFirstAwait;
    }

    /// <summary>
    /// An async function that its caller starts and does not await at once: its code up to its first <c>await</c> runs on
    /// the caller, one item after another; only what comes after runs concurrently (see <see cref="AwaitSplit"/>).
    /// </summary>
    public bool FromFirstAwait { get; }

    /// <summary>The lambda or anonymous method (<see cref="IAnonymousFunctionOperation"/>); null for a method group.</summary>
    public IOperation? Function { get; }

    /// <summary>The method of a method group (possibly a local function); null for a lambda.</summary>
    public IMethodSymbol? Method { get; }

    /// <summary>For a method group, the receiver (<c>worker</c> in <c>worker.Run</c>); null for static or implicit-<c>this</c> groups.</summary>
    public IOperation? MethodReceiver { get; }
}

/// <summary>A call or object creation that runs delegates concurrently with the code that makes it.</summary>
internal sealed class EntryPoint
{
    public EntryPoint(EntryPointKind kind, string displayName, IOperation operation, ImmutableArray<ConcurrentBody> bodies, bool bodiesRunManyTimes)
    {
        Kind = kind;
        DisplayName = displayName;
        Operation = operation;
        Bodies = bodies;
        BodiesRunManyTimes = bodiesRunManyTimes;
    }

    public EntryPointKind Kind { get; }

    /// <summary>How messages name it: "new Thread", "Task.Run", "Parallel.For", ...</summary>
    public string DisplayName { get; }

    /// <summary>The <see cref="IInvocationOperation"/> or <see cref="IObjectCreationOperation"/>.</summary>
    public IOperation Operation { get; }

    /// <summary>The delegates it runs whose code can be seen; empty when they are passed in from elsewhere.</summary>
    public ImmutableArray<ConcurrentBody> Bodies { get; }

    /// <summary>The API itself runs each body many times at once (Parallel.For/ForEach, ForAll, a periodic timer).</summary>
    public bool BodiesRunManyTimes { get; }

    /// <summary>Set by <see cref="RunWindow.Of"/> the first time it is asked (two threads may both compute the same window).</summary>
    internal RunWindow? Window { get; set; }

    /// <summary>Synchronous entry points: every body has finished when the call returns.</summary>
    public bool IsSynchronous => Kind is EntryPointKind.ParallelFor or EntryPointKind.ParallelForEach or EntryPointKind.ParallelInvoke or EntryPointKind.PlinqForAll or EntryPointKind.WaitAll;
}

/// <summary>Recognizes the concurrent entry points of RULES.md ("Runs concurrently") and their bodies.</summary>
internal static class EntryPoints
{
    /// <summary>The entry point that <paramref name="operation"/> is, if any. Cheap name filters run before any symbol comparison.</summary>
    public static EntryPoint? TryGet(IOperation operation, ThreadingTypes types) => operation switch
    {
        IInvocationOperation invocation => FromInvocation(invocation, types),
        IObjectCreationOperation creation => FromCreation(creation, types),
        IEventAssignmentOperation { Adds: true } subscription => EntryPointOptions.FromSubscription(subscription, types),
        _ => null,
    };

    /// <summary>
    /// Every entry point in <paramref name="root"/> (a method body), each with whether its bodies can run more than once
    /// at a time: the API runs them many times, the entry point runs in a loop and is not awaited or joined within the
    /// iteration, or the same method or lambda is started by two entry points of this body.
    /// </summary>
    public static ImmutableArray<(EntryPoint Entry, bool RunsMoreThanOnceAtATime)> In(IOperation root, ThreadingTypes types)
    {
        var entries = Find(root, types);
        var result = ImmutableArray.CreateBuilder<(EntryPoint, bool)>(entries.Count);
        foreach (var entry in entries)
        {
            result.Add((entry, RunsMoreThanOnceAtATime(entry, entries)));
        }

        return result.MoveToImmutable();
    }

    /// <summary>
    /// Every entry point in <paramref name="root"/>, in source order (an enclosing entry point before the ones in its
    /// arguments), without the facts of <see cref="RunsMoreThanOnceAtATime"/>, which need a walk of each starter.
    /// </summary>
    public static List<EntryPoint> Find(IOperation root, ThreadingTypes types) => Find(root, types, EntryPointText.Positions(root.Syntax.SyntaxTree, types.Options));

    /// <summary><see cref="Find(IOperation, ThreadingTypes)"/> with the <see cref="EntryPointText.Positions(SyntaxTree)"/> of the root's tree already at hand.</summary>
    public static List<EntryPoint> Find(IOperation root, ThreadingTypes types, int[] words)
    {
        var entries = new List<EntryPoint>();
        var tree = root.Syntax.SyntaxTree;
        var stack = OperationStack.Rent();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var operation = stack.Pop();
            var syntax = operation.Syntax;
            if (operation.Kind is OperationKind.Invocation or OperationKind.ObjectCreation or OperationKind.EventAssignment && (syntax.SyntaxTree != tree || NamesAWord(syntax, words)) && TryGet(operation, types) is { } entry)
            {
                entries.Add(entry);
            }

            foreach (var child in operation.ChildOperations)
            {
                // Every entry point's text holds one of its words: code around no such word is not walked. The full span
                // (trivia included) costs no walk down to the first token, as the span does. A child of the same syntax
                // (an implicit conversion, argument or receiver) mentions what its parent does.
                var childSyntax = child.Syntax;
                if (childSyntax == syntax || childSyntax.SyntaxTree != tree || EntryPointText.Mentions(words, childSyntax.FullSpan))
                {
                    stack.Push(child);
                }
            }
        }

        OperationStack.Return(stack);

        // In source order, an enclosing entry point before the ones in its arguments.
        entries.Sort((a, b) => a.Operation.Syntax.SpanStart != b.Operation.Syntax.SpanStart
            ? a.Operation.Syntax.SpanStart.CompareTo(b.Operation.Syntax.SpanStart)
            : b.Operation.Syntax.Span.Length.CompareTo(a.Operation.Syntax.Span.Length));
        return entries;
    }

    /// <summary>
    /// Whether a call or creation can be an entry point by its text: one of the words stands before its arguments
    /// (<c>Task.Run</c>, <c>Parallel.</c>, <c>ForAll</c>, <c>new Thread</c>, <c>new(</c>, ...). Calls that only hold
    /// entry points in their arguments (<c>tasks.Add(Task.Run(...))</c>, <c>Console.WriteLine(...)</c>) are not asked for
    /// their symbols. A call of another shape (a query clause, a collection initializer's Add) is asked.
    /// </summary>
    private static bool NamesAWord(SyntaxNode syntax, int[] words)
    {
        var arguments = syntax switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList,
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            _ => null,
        };
        return arguments is null || EntryPointText.Mentions(words, TextSpan.FromBounds(syntax.FullSpan.Start, arguments.FullSpan.Start));
    }

    /// <summary>Whether <paramref name="entry"/>'s bodies can overlap with themselves; <paramref name="siblings"/> are the entry points of the same method body.</summary>
    public static bool RunsMoreThanOnceAtATime(EntryPoint entry, IReadOnlyList<EntryPoint> siblings)
    {
        if (entry.BodiesRunManyTimes || RunWindow.StartsRepeatedlyInLoop(entry))
        {
            return true;
        }

        foreach (var body in entry.Bodies)
        {
            if (body.Method is null)
            {
                continue;
            }

            foreach (var other in siblings)
            {
                if (other == entry)
                {
                    continue;
                }

                foreach (var otherBody in other.Bodies)
                {
                    if (otherBody.Method is not null
                        && SymbolEqualityComparer.Default.Equals(otherBody.Method.OriginalDefinition, body.Method.OriginalDefinition)
                        && SameReceiver(body.MethodReceiver, otherBody.MethodReceiver)
                        && RunWindow.Overlap(entry, other))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Two method groups on the same object: both on <c>this</c> (or static), or on the same variable or field.</summary>
    public static bool SameReceiver(IOperation? a, IOperation? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        var symbolA = OperationTree.ReferencedSymbol(OperationTree.Unwrap(a));
        return symbolA is not null && SymbolEqualityComparer.Default.Equals(symbolA, OperationTree.ReferencedSymbol(OperationTree.Unwrap(b)));
    }

    /// <summary>The body that a delegate-typed value denotes: a lambda, a method group, or a local initialized once with one of them.</summary>
    public static ConcurrentBody? BodyOf(IOperation? value)
    {
        value = OperationTree.Unwrap(value);
        if (value is ILocalReferenceOperation local && OperationTree.SingleAssignedValue(local) is { } assigned)
        {
            value = OperationTree.Unwrap(assigned);
        }

        if (value is IDelegateCreationOperation creation)
        {
            switch (OperationTree.Unwrap(creation.Target))
            {
                case IAnonymousFunctionOperation lambda:
                    return new ConcurrentBody(lambda, null, null);
                case IMethodReferenceOperation reference:
                    var receiver = reference.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } ? null : reference.Instance;
                    return new ConcurrentBody(null, reference.Method, receiver);
            }
        }

        return null;
    }

    private static EntryPoint? FromInvocation(IInvocationOperation invocation, ThreadingTypes types)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Run" when Symbols.IsType(method.ContainingType, types.Task):
                return Create(EntryPointKind.TaskRun, "Task.Run", invocation, FirstDelegate(invocation.Arguments), false);
            case "StartNew" when Symbols.IsType(method.ContainingType, types.TaskFactory) || Symbols.IsType(method.ContainingType.OriginalDefinition, types.TaskFactoryOfT):
                if (UsesNonDefaultScheduler(invocation))
                {
                    // A scheduler such as FromCurrentSynchronizationContext() may run the body on the caller's thread.
                    return null;
                }

                var name = invocation.Instance is IPropertyReferenceOperation { Property.Name: "Factory" } ? "Task.Factory.StartNew" : "TaskFactory.StartNew";
                return Create(EntryPointKind.TaskFactoryStartNew, name, invocation, FirstDelegate(invocation.Arguments), false);
            case "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" when Symbols.IsType(method.ContainingType, types.ThreadPool):
                return Create(EntryPointKind.ThreadPool, "ThreadPool." + method.Name, invocation, FirstDelegate(invocation.Arguments), false);
            case "For" when Symbols.IsType(method.ContainingType, types.Parallel):
                return Create(EntryPointKind.ParallelFor, "Parallel.For", invocation, AllDelegates(invocation.Arguments), true);
            case "ForEach" when Symbols.IsType(method.ContainingType, types.Parallel):
                return Create(EntryPointKind.ParallelForEach, "Parallel.ForEach", invocation, AllDelegates(invocation.Arguments), true);
            case "ForEachAsync" when Symbols.IsType(method.ContainingType, types.Parallel):
                return Create(EntryPointKind.ParallelForEach, "Parallel.ForEachAsync", invocation, AllDelegates(invocation.Arguments), true);
            case "Invoke" when Symbols.IsType(method.ContainingType, types.Parallel):
                return Create(EntryPointKind.ParallelInvoke, "Parallel.Invoke", invocation, InvokeActions(invocation.Arguments), false);
            case "ForAll" when Symbols.IsType(method.ContainingType, types.ParallelEnumerable):
                return Create(EntryPointKind.PlinqForAll, "PLINQ ForAll", invocation, AllDelegates(invocation.Arguments), true);
            case "WhenAll" or "WaitAll" when Symbols.IsType(method.ContainingType, types.Task):
                return AwaitedTogether.From(invocation, types);
            case "ContinueWith" when Symbols.IsType(method.ContainingType, types.Task) || Symbols.IsType(method.ContainingType.OriginalDefinition, types.TaskOfT):
                // A scheduler such as FromCurrentSynchronizationContext() may run the continuation on the caller's thread.
                return UsesNonDefaultScheduler(invocation) || EntryPointOptions.RunsSynchronously(invocation)
                    ? null
                    : Create(EntryPointKind.ContinueWith, "ContinueWith", invocation, FirstDelegate(invocation.Arguments), false);
            default:
                return Configured(invocation, types);
        }
    }

    /// <summary>A call of a configured entry point (<c>threading_analyzers.concurrent_entry_points</c>): every delegate argument runs concurrently.</summary>
    private static EntryPoint? Configured(IInvocationOperation invocation, ThreadingTypes types)
    {
        var method = invocation.TargetMethod;
        var configured = types.Options.EntryPoint(method);
        if (configured == ConfiguredEntryPoint.No || AllDelegates(invocation.Arguments) is not { IsEmpty: false } bodies)
        {
            return null;
        }

        return Create(EntryPointKind.Configured, method.ContainingType.Name + "." + method.Name, invocation, bodies, configured == ConfiguredEntryPoint.RunsRepeatedly);
    }

    private static EntryPoint? FromCreation(IObjectCreationOperation creation, ThreadingTypes types)
    {
        var type = creation.Type;
        if (type is null || creation.Constructor is null)
        {
            return null;
        }

        if (type.Name == "Thread" && types.IsThread(type))
        {
            return Create(EntryPointKind.Thread, "new Thread", creation, FirstDelegate(creation.Arguments), false);
        }

        if (type.Name == "Timer" && Symbols.IsType(type, types.Timer))
        {
            var callback = FirstDelegate(creation.Arguments);
            return Create(EntryPointKind.Timer, "new Timer", creation, callback, IsPeriodic(creation) && !PausesItsTimer(callback, creation, types));
        }

        if (type.Name is "ActionBlock" or "TransformBlock" or "TransformManyBlock" && EntryPointOptions.IsDataflowBlock(type.OriginalDefinition, types))
        {
            return Create(EntryPointKind.DataflowBlock, "new " + type.Name, creation, FirstDelegate(creation.Arguments), EntryPointOptions.DataflowRunsInParallel(creation));
        }

        if (type.Name == "Task" && (Symbols.IsType(type, types.Task) || Symbols.IsType(type.BaseType, types.Task)) && IsStartedOnThePool(creation))
        {
            return Create(EntryPointKind.TaskStart, "new Task", creation, FirstDelegate(creation.Arguments), false);
        }

        return null;
    }

    /// <summary>
    /// A created task runs on the pool when the method calls <c>Start()</c> on it (or on tasks it iterates) and never
    /// <c>RunSynchronously()</c> or <c>Start(scheduler)</c> with another scheduler, which may run it on the caller's thread.
    /// </summary>
    private static bool IsStartedOnThePool(IObjectCreationOperation creation)
    {
        var function = OperationTree.OwnFunction(creation);
        var started = false;
        foreach (var operation in function.Descendants())
        {
            if (operation is not IInvocationOperation { TargetMethod.Name: "Start" or "RunSynchronously" } call
                || call.TargetMethod.ContainingType?.Name != "Task")
            {
                continue;
            }

            if (call.TargetMethod.Name == "RunSynchronously"
                || (call.Arguments.Length > 0 && OperationTree.Unwrap(call.Arguments[0].Value) is not IPropertyReferenceOperation { Property.Name: "Default" }))
            {
                return false;
            }

            started = true;
        }

        return started;
    }

    internal static EntryPoint Create(EntryPointKind kind, string name, IOperation operation, ImmutableArray<ConcurrentBody> bodies, bool runManyTimes) =>
        new(kind, name, operation, bodies, runManyTimes);

    private static ImmutableArray<ConcurrentBody> FirstDelegate(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
            {
                return BodyOf(argument.Value) is { } body ? ImmutableArray.Create(body) : ImmutableArray<ConcurrentBody>.Empty;
            }
        }

        return ImmutableArray<ConcurrentBody>.Empty;
    }

    /// <summary>Parallel.For/ForEach run the body, and also localInit and localFinally, on many threads at once.</summary>
    private static ImmutableArray<ConcurrentBody> AllDelegates(ImmutableArray<IArgumentOperation> arguments)
    {
        var bodies = ImmutableArray.CreateBuilder<ConcurrentBody>();
        foreach (var argument in arguments)
        {
            // Only a lambda, a method group or a local can have a body (see BodyOf): the others' parameter types, which
            // Parallel.For<TLocal> substitutes, are not asked for.
            if (OperationTree.Unwrap(argument.Value) is IDelegateCreationOperation or ILocalReferenceOperation
                && argument.Parameter?.Type.TypeKind == TypeKind.Delegate && BodyOf(argument.Value) is { } body)
            {
                bodies.Add(body);
            }
        }

        return bodies.ToImmutable();
    }

    /// <summary>Parallel.Invoke(params Action[]): the actions of the params array (an array passed in from elsewhere is not seen).</summary>
    private static ImmutableArray<ConcurrentBody> InvokeActions(ImmutableArray<IArgumentOperation> arguments)
    {
        var bodies = ImmutableArray.CreateBuilder<ConcurrentBody>();
        foreach (var argument in arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (BodyOf(element) is { } body)
                    {
                        bodies.Add(body);
                    }
                }
            }
        }

        return bodies.ToImmutable();
    }

    /// <summary>A timer whose period is not a constant 0 or Infinite can run its callback again before the last run ended.</summary>
    private static bool IsPeriodic(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "period")
            {
                var value = OperationTree.Unwrap(argument.Value)!;
                if (value.ConstantValue is { HasValue: true, Value: { } constant })
                {
                    return System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) is not (0 or -1 or 0xFFFFFFFF);
                }

                return !(value is IFieldReferenceOperation { Field.Name: "InfiniteTimeSpan" } or IPropertyReferenceOperation { Property.Name: "Zero" });
            }
        }

        return false;
    }

    /// <summary>
    /// A callback that calls <c>Change</c> on a timer (to pause it while it works, or to schedule its next run) does not
    /// overlap itself the way a free-running periodic timer does.
    /// </summary>
    private static bool PausesItsTimer(ImmutableArray<ConcurrentBody> callback, IObjectCreationOperation creation, ThreadingTypes types)
    {
        foreach (var body in callback)
        {
            var operation = body.Function ?? (body.Method is { } method ? Reach.For(types.Compilation).BodyOf(method, creation) : null);
            if (operation is null)
            {
                continue;
            }

            foreach (var descendant in operation.Descendants())
            {
                if (descendant is IInvocationOperation { TargetMethod.Name: "Change" } change && Symbols.IsType(change.TargetMethod.ContainingType, types.Timer))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool UsesNonDefaultScheduler(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name == "TaskScheduler" && !argument.IsImplicit
                && OperationTree.Unwrap(argument.Value) is not IPropertyReferenceOperation { Property.Name: "Default" })
            {
                return true;
            }
        }

        return false;
    }
}
