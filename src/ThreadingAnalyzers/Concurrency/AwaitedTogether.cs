using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// <c>Task.WhenAll</c> and <c>Task.WaitAll</c> of async functions of this compilation, started one per item and awaited
/// together: <c>Task.WhenAll(items.Select(async x => ...))</c>, <c>items.Select(x => ProcessAsync(x))</c>,
/// <c>items.Select(ProcessAsync)</c>, a list that a loop fills with <c>tasks.Add(ProcessAsync(x))</c>, or tasks named one
/// by one (<c>Task.WhenAll(LoadAsync(a), LoadAsync(b))</c>). Each function's code after its first <c>await</c> runs
/// concurrently with the others' (<see cref="ConcurrentBody.FromFirstAwait"/>); what comes before runs on the caller, one
/// item after another. An async function called before that first <c>await</c> is started the same way, so its own
/// code after its first <c>await</c> is a body too. A sequential <c>foreach (...) await ProcessAsync(x)</c> starts nothing.
/// </summary>
internal static class AwaitedTogether
{
    /// <summary>How many locals and query calls are followed back from the argument.</summary>
    private const int MaxDepth = 4;

    /// <summary>How deep async functions called before a body's first <c>await</c> are followed.</summary>
    private const int MaxPrefixDepth = 3;

    public static EntryPoint? From(IInvocationOperation invocation, ThreadingTypes types)
    {
        var bodies = ImmutableArray.CreateBuilder<ConcurrentBody>();
        var perItem = false;
        foreach (var argument in invocation.Arguments)
        {
            // The tasks: a params array or a sequence (a timeout or a token is not).
            if (argument.Parameter?.Type is IArrayTypeSymbol or INamedTypeSymbol { IsGenericType: true })
            {
                AddTasks(argument.Value, invocation, bodies, ref perItem, 0);
            }
        }

        if (bodies.Count == 0)
        {
            return null;
        }

        var reach = Reach.For(types.Compilation);
        var started = bodies.Count;
        for (var index = 0; index < started; index++)
        {
            AddCalledBeforeFirstAwait(bodies[index], bodies, reach, invocation, 0);
        }

        var waitAll = invocation.TargetMethod.Name == "WaitAll";
        return EntryPoints.Create(
            waitAll ? EntryPointKind.WaitAll : EntryPointKind.WhenAll,
            waitAll ? "Task.WaitAll" : "Task.WhenAll",
            invocation,
            bodies.ToImmutable(),
            perItem || StartsOneMethodTwice(bodies));
    }

    /// <summary>The functions that <paramref name="value"/>, a sequence or array of tasks, starts.</summary>
    private static void AddTasks(IOperation value, IOperation near, ImmutableArray<ConcurrentBody>.Builder bodies, ref bool perItem, int depth)
    {
        var unwrapped = OperationTree.Unwrap(value);
        if (depth > MaxDepth || unwrapped is null)
        {
            return;
        }

        switch (unwrapped)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                foreach (var element in initializer.ElementValues)
                {
                    AddTask(element, bodies);
                }

                break;
            case IInvocationOperation { TargetMethod.Name: "Select" } select when IsLinq(select.TargetMethod) && select.Arguments.Length == 2:
                if (SelectorBody(select.Arguments[1].Value) is { } body)
                {
                    bodies.Add(body);
                    perItem = true;
                }

                break;
            case IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" or "AsEnumerable" } copy when IsLinq(copy.TargetMethod) && copy.Arguments.Length == 1:
                AddTasks(copy.Arguments[0].Value, near, bodies, ref perItem, depth + 1);
                break;
            case IInvocationOperation { TargetMethod.Name: "ToArray", Instance: { } list, Arguments.Length: 0 }:
                // List<Task>.ToArray() for Task.WaitAll.
                AddTasks(list, near, bodies, ref perItem, depth + 1);
                break;
            case ILocalReferenceOperation local:
                if (OperationTree.SingleAssignedValue(local) is { } assigned)
                {
                    AddTasks(assigned, near, bodies, ref perItem, depth + 1);
                }

                AddFilledIn(local.Local, near, bodies, ref perItem);
                break;
            default:
                AddTask(unwrapped, bodies);
                break;
        }
    }

    /// <summary>The tasks that the code around <paramref name="near"/> adds to <paramref name="list"/> (<c>tasks.Add(F(x))</c>, <c>tasks[i] = F(x)</c>).</summary>
    private static void AddFilledIn(ILocalSymbol list, IOperation near, ImmutableArray<ConcurrentBody>.Builder bodies, ref bool perItem)
    {
        var starter = OperationTree.OwnFunction(near);
        foreach (var operation in OperationWalk.OperationsOf(starter))
        {
            IOperation? task = operation switch
            {
                IInvocationOperation { TargetMethod.Name: "Add", Instance: { } instance, Arguments.Length: 1 } add when IsLocal(instance, list) => add.Arguments[0].Value,
                ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation element } assignment when IsLocal(element.ArrayReference, list) => assignment.Value,
                _ => null,
            };
            if (task is null || IsAwaitedInItsIteration(task, operation, starter))
            {
                continue;
            }

            var count = bodies.Count;
            AddTask(task, bodies);
            if (bodies.Count > count && IsRepeated(operation, starter))
            {
                perItem = true;
            }
        }
    }

    /// <summary>
    /// <c>var task = F(x); tasks.Add(task); await task;</c>: the loop waits for each task before it starts the next, so
    /// the tasks do not run together.
    /// </summary>
    private static bool IsAwaitedInItsIteration(IOperation task, IOperation add, IOperation starter)
    {
        if (OperationTree.Unwrap(task) is not ILocalReferenceOperation local)
        {
            return false;
        }

        for (var parent = add.Parent; parent is not null && parent != starter; parent = parent.Parent)
        {
            if (parent is ILoopOperation loop)
            {
                foreach (var operation in OperationWalk.OperationsOf(loop.Body))
                {
                    if (operation is IAwaitOperation awaited && IsLocal(awaited.Operation, local.Local)
                        || operation is IInvocationOperation { TargetMethod.Name: "Wait", Instance: { } waited } && IsLocal(waited, local.Local))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return false;
    }

    private static bool IsLocal(IOperation operation, ILocalSymbol local) =>
        OperationTree.Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    /// <summary>In a loop of the starter, or in a lambda it runs per item (<c>items.ForEach(x => tasks.Add(F(x)))</c>).</summary>
    private static bool IsRepeated(IOperation operation, IOperation starter)
    {
        for (var parent = operation.Parent; parent is not null && parent != starter; parent = parent.Parent)
        {
            if (parent is ILoopOperation or IAnonymousFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A task that is the call of an async method of this compilation (directly, or through a local holding it).</summary>
    private static void AddTask(IOperation task, ImmutableArray<ConcurrentBody>.Builder bodies)
    {
        var value = OperationTree.Unwrap(task);
        if (value is ILocalReferenceOperation local && OperationTree.SingleAssignedValue(local) is { } assigned)
        {
            value = OperationTree.Unwrap(assigned);
        }

        if (value is IInvocationOperation call && StartedMethod(call) is { } body)
        {
            bodies.Add(body);
        }
    }

    private static ConcurrentBody? StartedMethod(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (!method.IsAsync)
        {
            return null;
        }

        var receiver = call.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } ? null : call.Instance;
        return new ConcurrentBody(null, method, receiver, fromFirstAwait: true);
    }

    /// <summary>The body a <c>Select</c> selector starts per item: an async lambda, a lambda that calls an async method, or an async method group.</summary>
    private static ConcurrentBody? SelectorBody(IOperation selector)
    {
        switch (EntryPoints.BodyOf(selector))
        {
            case { Function: IAnonymousFunctionOperation { Symbol.IsAsync: true } lambda }:
                return new ConcurrentBody(lambda, null, null, fromFirstAwait: true);
            case { Function: IAnonymousFunctionOperation lambda }:
                // x => ProcessAsync(x): the body is the one value it returns.
                return lambda.Body.Operations.Length == 1 && lambda.Body.Operations[0] is IReturnOperation { ReturnedValue: { } returned }
                    && OperationTree.Unwrap(returned) is IInvocationOperation call ? StartedMethod(call) : null;
            case { Method: { IsAsync: true } method } group:
                return new ConcurrentBody(null, method, group.MethodReceiver, fromFirstAwait: true);
            default:
                return null;
        }
    }

    /// <summary>
    /// An async function that <paramref name="body"/> calls before its first <c>await</c> is started the same way
    /// (<c>async x => await ProcessAsync(x)</c> runs ProcessAsync's first part on the caller): its own code after its
    /// first <c>await</c> runs concurrently too.
    /// </summary>
    private static void AddCalledBeforeFirstAwait(ConcurrentBody body, ImmutableArray<ConcurrentBody>.Builder bodies, Reach reach, IOperation near, int depth)
    {
        var function = body.Function ?? (body.Method is { } method ? reach.BodyOf(method, near) : null);
        if (depth >= MaxPrefixDepth || function is null || BrokenCode.InText(function))
        {
            return;
        }

        var split = AwaitSplit.Of(function);
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            if (kind != OperationKind.Invocation || operation is not IInvocationOperation { TargetMethod.IsAsync: true } call || split.IsAfterFirstAwait(call))
            {
                continue;
            }

            // A lambda is code of the starter, whose receivers the analysis reads; in a method, only calls on its own
            // object (which is the body's receiver) or static ones are followed.
            ConcurrentBody? started = body.Function is not null ? StartedMethod(call)
                : call.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
                    ? new ConcurrentBody(null, call.TargetMethod, call.TargetMethod.IsStatic ? null : body.MethodReceiver, fromFirstAwait: true)
                    : null;
            if (started is not null)
            {
                bodies.Add(started);
                AddCalledBeforeFirstAwait(started, bodies, reach, near, depth + 1);
            }
        }
    }

    private static bool StartsOneMethodTwice(ImmutableArray<ConcurrentBody>.Builder bodies)
    {
        for (var i = 0; i < bodies.Count; i++)
        {
            for (var j = i + 1; j < bodies.Count; j++)
            {
                if (bodies[i].Method is { } a && bodies[j].Method is { } b
                    && SymbolEqualityComparer.Default.Equals(a.OriginalDefinition, b.OriginalDefinition)
                    && EntryPoints.SameReceiver(bodies[i].MethodReceiver, bodies[j].MethodReceiver))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsLinq(IMethodSymbol method) => Symbols.IsLinqEnumerable((method.ReducedFrom ?? method).ContainingType);
}
