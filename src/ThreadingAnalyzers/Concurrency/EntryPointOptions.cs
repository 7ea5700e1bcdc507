using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// What the settings around an entry point say about how its bodies run: a Dataflow block's parallelism, a
/// <c>System.Timers.Timer</c>'s <c>AutoReset</c> and <c>SynchronizingObject</c>, a continuation's options.
/// </summary>
internal static class EntryPointOptions
{
    internal static bool IsDataflowBlock(ITypeSymbol type, ThreadingTypes types) =>
        Symbols.IsType(type, types.ActionBlock) || Symbols.IsType(type, types.TransformBlock) || Symbols.IsType(type, types.TransformManyBlock);

    /// <summary>
    /// A Dataflow block runs its delegate on several items at once when its options set MaxDegreeOfParallelism above 1 or
    /// to Unbounded (-1), or to a value that is not a constant (<c>Environment.ProcessorCount</c>); the options are read
    /// where they are created, in the argument or in a local assigned once.
    /// </summary>
    internal static bool DataflowRunsInParallel(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            var value = OperationTree.Unwrap(argument.Value);
            if (value is ILocalReferenceOperation local && OperationTree.SingleAssignedValue(local) is { } assigned)
            {
                value = OperationTree.Unwrap(assigned);
            }

            if (value is not IObjectCreationOperation { Initializer: { } initializer })
            {
                continue;
            }

            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "MaxDegreeOfParallelism" } } assignment)
                {
                    var degree = OperationTree.Unwrap(assignment.Value)!;
                    return degree.ConstantValue is not { HasValue: true, Value: int constant } || constant is > 1 or -1;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// <c>timer.Elapsed += handler</c> on a <c>System.Timers.Timer</c>: the handler runs on the pool each time the timer
    /// elapses, unless the starter gives the timer a <c>SynchronizingObject</c> (a form or control, whose thread runs it).
    /// It can overlap itself when the starter creates the timer or sets <c>AutoReset = true</c>, and not
    /// <c>AutoReset = false</c>; where the timer is configured elsewhere, only its other meetings count.
    /// </summary>
    internal static EntryPoint? FromSubscription(IEventAssignmentOperation subscription, ThreadingTypes types)
    {
        if (subscription.EventReference is not IEventReferenceOperation { Event.Name: "Elapsed" } reference
            || !Symbols.IsType(reference.Event.ContainingType, types.TimersTimer))
        {
            return null;
        }

        var function = OperationTree.OwnFunction(subscription);
        bool? autoReset = null;
        var created = false;
        foreach (var operation in function.Descendants())
        {
            switch (operation)
            {
                case IObjectCreationOperation creation when Symbols.IsType(creation.Type, types.TimersTimer):
                    created = true;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "SynchronizingObject" } target } assignment
                    when Symbols.IsType(target.Property.ContainingType, types.TimersTimer) && !(OperationTree.Unwrap(assignment.Value)?.ConstantValue is { HasValue: true, Value: null }):
                    return null;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "AutoReset" } target } assignment
                    when Symbols.IsType(target.Property.ContainingType, types.TimersTimer):
                    autoReset = OperationTree.Unwrap(assignment.Value)?.ConstantValue is not { HasValue: true, Value: false };
                    break;
            }
        }

        var body = EntryPoints.BodyOf(subscription.HandlerValue) is { } handler ? ImmutableArray.Create(handler) : ImmutableArray<ConcurrentBody>.Empty;
        return EntryPoints.Create(EntryPointKind.TimerElapsed, "Timer.Elapsed", subscription, body, autoReset ?? created);
    }

    /// <summary>A continuation given <c>TaskContinuationOptions.ExecuteSynchronously</c> may run on the thread that completes the task.</summary>
    internal static bool RunsSynchronously(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.Name == "TaskContinuationOptions" && !argument.IsImplicit
                && OperationTree.Unwrap(argument.Value)?.ConstantValue is { HasValue: true, Value: int options } && (options & 0x80000) != 0)
            {
                return true;
            }
        }

        return false;
    }
}
