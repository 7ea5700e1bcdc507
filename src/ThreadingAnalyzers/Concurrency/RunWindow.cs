using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// When, inside the function that starts it, an entry point's bodies may still be running: from the start to the
/// first point that waits for them (Join, Wait, await, WaitAll, WhenAll, .Result; the return of Parallel.*).
/// Positions are source positions in the starter; where the end cannot be seen the run lasts to the end of the function.
/// Ends are generous (any wait on something that is not another entry point's handle ends the run) so that the rules
/// built on this stay silent rather than flag code that already waits.
/// </summary>
internal sealed class RunWindow
{
    private RunWindow(EntryPoint entry, int start, int end, ILoopOperation? repeatingLoop, IOperation? perItemFunction)
    {
        Entry = entry;
        StartPosition = start;
        EndPosition = end;
        RepeatingLoop = repeatingLoop;
        PerItemFunction = perItemFunction;
    }

    /// <summary>
    /// The starter when it is a lambda that LINQ or <c>ForEach</c> runs once per item (<c>items.Select(x => Task.Run(...))</c>)
    /// and that does not wait for the entry point: the items' runs pile up as a loop's do; null otherwise.
    /// </summary>
    public IOperation? PerItemFunction { get; }

    public EntryPoint Entry { get; }

    /// <summary>Where the bodies start running (the <c>Start()</c> of a thread held in a local, else the entry point).</summary>
    public int StartPosition { get; }

    /// <summary>Where they are known to have finished; <see cref="int.MaxValue"/> when never within the starter.</summary>
    public int EndPosition { get; }

    /// <summary>The outermost loop of the starter that starts the entry point again before its previous run was waited for.</summary>
    public ILoopOperation? RepeatingLoop { get; }

    /// <summary>The window of <paramref name="entry"/>, computed once per entry point object.</summary>
    public static RunWindow Of(EntryPoint entry)
    {
        if (entry.Window is not { } window)
        {
            var end = End(entry);
            var starter = Starter(entry);
            var perItem = end == int.MaxValue && !entry.IsSynchronous && starter is IAnonymousFunctionOperation && OperationWalk.RunsSynchronously(starter) ? starter : null;
            window = new RunWindow(entry, Start(entry), end, FindRepeatingLoop(entry, end), perItem);
            entry.Window = window;
        }

        return window;
    }

    /// <summary>Whether <paramref name="operation"/>, code of the starter itself, can run while the bodies run.</summary>
    public bool MayStillRunAt(IOperation operation)
    {
        var position = operation.Syntax.SpanStart;
        return (position > StartPosition && position < EndPosition)
            || (RepeatingLoop is not null && RepeatingLoop.Syntax.Span.Contains(operation.Syntax.Span))
            || (PerItemFunction is not null && PerItemFunction.Syntax.Span.Contains(operation.Syntax.Span));
    }

    /// <summary>The function (method body, lambda or local function) that contains the entry point.</summary>
    public static IOperation Starter(EntryPoint entry) => OperationTree.OwnFunction(entry.Operation);

    /// <summary>The position where the bodies start running.</summary>
    private static int Start(EntryPoint entry)
    {
        var created = entry.Operation.Syntax.SpanStart;
        if (entry.Kind is EntryPointKind.Thread or EntryPointKind.TaskStart && HandleOf(entry) is { } handle)
        {
            // The first Start() after the creation (the walk does not go in source order).
            var first = int.MaxValue;
            foreach (var (start, receiver) in StarterFacts.Of(Starter(entry)).StartCalls)
            {
                var position = start.Syntax.SpanStart;
                if (position > created && position < first && SymbolEqualityComparer.Default.Equals(receiver, handle))
                {
                    first = position;
                }
            }

            if (first != int.MaxValue)
            {
                return first;
            }
        }

        return created;
    }

    /// <summary>The position after which the bodies are known to have finished; <see cref="int.MaxValue"/> when never within the starter.</summary>
    private static int End(EntryPoint entry)
    {
        if (entry.IsSynchronous)
        {
            return entry.Operation.Syntax.Span.End;
        }

        if (WaitedInPlace(entry.Operation) is { } waited)
        {
            return waited.Syntax.Span.End;
        }

        var handle = HandleOf(entry);
        HashSet<ILocalSymbol>? otherHandles = null;
        var start = Start(entry);
        var end = int.MaxValue;
        foreach (var operation in StarterFacts.Of(Starter(entry)).Waits)
        {
            if (operation.Syntax.SpanStart <= start || operation.Syntax.SpanStart >= end)
            {
                continue;
            }

            // Found for the first wait after the start (most starters wait for nothing after it).
            otherHandles ??= OtherHandles(entry);
            if (EndOfRunPosition(operation, handle, otherHandles) is { } position && position < end)
            {
                end = position;
            }
        }

        return end;
    }

    /// <summary>The entry point is in a loop of its starter and the iteration does not wait for it: its bodies pile up.</summary>
    public static bool StartsRepeatedlyInLoop(EntryPoint entry) => Of(entry) is { RepeatingLoop: not null } or { PerItemFunction: not null };

    /// <summary>Two entry points of the same starter whose runs can overlap in time.</summary>
    public static bool Overlap(EntryPoint a, EntryPoint b)
    {
        if (Starter(a) != Starter(b) || ContinuesAfter(a, b) || ContinuesAfter(b, a))
        {
            return false;
        }

        var windowA = Of(a);
        var windowB = Of(b);
        if (windowA.RepeatingLoop is not null || windowB.RepeatingLoop is not null || windowA.PerItemFunction is not null || windowB.PerItemFunction is not null)
        {
            return true;
        }

        return windowA.StartPosition < windowB.EndPosition && windowB.StartPosition < windowA.EndPosition;
    }

    /// <summary>
    /// <paramref name="continuation"/> is a <c>ContinueWith</c> on the task of <paramref name="antecedent"/> (called on it
    /// directly, or on the local that holds it): it runs once the antecedent's body has finished.
    /// </summary>
    private static bool ContinuesAfter(EntryPoint continuation, EntryPoint antecedent)
    {
        if (continuation.Kind != EntryPointKind.ContinueWith || continuation.Operation is not IInvocationOperation { Instance: { } instance })
        {
            return false;
        }

        instance = OperationTree.Unwrap(instance);
        return instance == antecedent.Operation
            || (instance is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, HandleOf(antecedent)));
    }

    /// <summary>The local that holds the task or thread, when the entry point's value is stored in one.</summary>
    public static ILocalSymbol? HandleOf(EntryPoint entry) => OperationTree.StoringLocal(entry.Operation);

    /// <summary>In a loop that does not wait within the iteration, the previous iteration's run overlaps all of the loop.</summary>
    private static ILoopOperation? FindRepeatingLoop(EntryPoint entry, int end)
    {
        if (entry.IsSynchronous)
        {
            return null;
        }

        ILoopOperation? outermost = null;
        var starter = Starter(entry);
        for (var current = entry.Operation.Parent; current is not null && current != starter; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }

            if (current is ILoopOperation loop && !(end != int.MaxValue && loop.Body.Syntax.Span.Contains(end - 1)))
            {
                outermost = loop;
            }
        }

        return outermost;
    }

    /// <summary><c>await Task.Run(...)</c>, <c>Task.Run(...).Wait()</c>, <c>.Result</c>, <c>.GetAwaiter().GetResult()</c>, with ConfigureAwait.</summary>
    private static IOperation? WaitedInPlace(IOperation operation)
    {
        var current = operation;
        while (true)
        {
            var parent = current.Parent;
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    current = parent;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "GetAwaiter" } call when call.Instance == current:
                    current = call;
                    continue;
                case IAwaitOperation:
                    return parent;
                case IInvocationOperation { TargetMethod.Name: "Wait" or "GetResult" } call when call.Instance == current:
                    return call;
                case IPropertyReferenceOperation { Property.Name: "Result" } property when property.Instance == current:
                    return property;
                default:
                    return null;
            }
        }
    }

    /// <summary>Where <paramref name="operation"/> ends the run, if it is a wait that applies to it.</summary>
    private static int? EndOfRunPosition(IOperation operation, ILocalSymbol? handle, HashSet<ILocalSymbol> otherHandles)
    {
        switch (operation)
        {
            case IAwaitOperation awaitOperation:
                var awaited = OperationTree.Unwrap(awaitOperation.Operation);
                if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
                {
                    awaited = OperationTree.Unwrap(configure.Instance);
                }

                return awaited switch
                {
                    IInvocationOperation { TargetMethod.Name: "WhenAll" } => awaitOperation.Syntax.Span.End,
                    IInvocationOperation => null,
                    _ when AppliesTo(awaited, handle, otherHandles) => awaitOperation.Syntax.Span.End,
                    _ => null,
                };
            case IInvocationOperation { TargetMethod.Name: "WaitAll" } waitAll:
                return waitAll.Syntax.Span.End;
            case IInvocationOperation { TargetMethod.Name: "Join" or "Wait" or "WaitOne" or "GetResult" } wait when AppliesTo(wait.Instance, handle, otherHandles):
                if (wait.Arguments.Length == 0 || wait.TargetMethod.ReturnsVoid)
                {
                    return wait.Syntax.Span.End;
                }

                // A timed wait: ends the run only where its result is looked at, after the polling loop if in one.
                if (wait.Parent is IExpressionStatementOperation)
                {
                    return null;
                }

                for (var current = wait.Parent; current is not null; current = current.Parent)
                {
                    if (current is ILoopOperation loop && !loop.Body.Syntax.Span.Contains(wait.Syntax.Span))
                    {
                        return loop.Syntax.Span.End;
                    }

                    if (current is IBlockOperation or IAnonymousFunctionOperation)
                    {
                        break;
                    }
                }

                return wait.Syntax.Span.End;
            case IPropertyReferenceOperation { Property.Name: "Result" } result when AppliesTo(result.Instance, handle, otherHandles):
                return result.Syntax.Span.End;
            default:
                return null;
        }
    }

    private static bool AppliesTo(IOperation? receiver, ILocalSymbol? handle, HashSet<ILocalSymbol> otherHandles)
    {
        receiver = OperationTree.Unwrap(receiver);
        if (receiver is null)
        {
            return false;
        }

        if (receiver is ILocalReferenceOperation local)
        {
            return SymbolEqualityComparer.Default.Equals(local.Local, handle) || !otherHandles.Contains(local.Local);
        }

        return true;
    }

    private static HashSet<ILocalSymbol> OtherHandles(EntryPoint entry)
    {
        var handles = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        var own = HandleOf(entry);
        foreach (var (operation, local) in StarterFacts.Of(Starter(entry)).HandleStores)
        {
            if (operation != entry.Operation && !SymbolEqualityComparer.Default.Equals(local, own))
            {
                handles.Add(local);
            }
        }

        return handles;
    }

    /// <summary>
    /// What the windows of a starter's entry points are made of, found in one walk of the starter and shared by all of
    /// them: its <c>Start()</c> calls on locals and the locals that hold a Task or Thread (nested lambdas included), and the
    /// operations that may wait (on the starter's own thread).
    /// </summary>
    private sealed class StarterFacts
    {
        private StarterFacts(IOperation starter)
        {
            // One walk of the starter's own code finds all three; the nested functions it skips (lambdas it passes
            // elsewhere, local functions) are walked for Start calls and handles only: waits count only on the starter's
            // own thread.
            var skipped = new List<IOperation>();
            foreach (var (operation, kind) in OperationWalk.OperationsOf(starter, skipped).WithKinds())
            {
                AddStartOrHandle(operation, kind);
                if (kind is OperationKind.Await or OperationKind.Invocation or OperationKind.PropertyReference
                    && operation is IAwaitOperation
                    or IInvocationOperation { TargetMethod.Name: "WaitAll" or "Join" or "Wait" or "WaitOne" or "GetResult" }
                    or IPropertyReferenceOperation { Property.Name: "Result" })
                {
                    Waits.Add(operation);
                }
            }

            foreach (var nested in skipped)
            {
                foreach (var operation in nested.Descendants())
                {
                    AddStartOrHandle(operation, operation.Kind);
                }
            }
        }

        private void AddStartOrHandle(IOperation operation, OperationKind kind)
        {
            if (kind is not (OperationKind.Invocation or OperationKind.ObjectCreation))
            {
                return;
            }

            if (operation is IInvocationOperation { TargetMethod.Name: "Start" or "UnsafeStart", Instance: var instance } start
                && OperationTree.Unwrap(instance) is ILocalReferenceOperation receiver)
            {
                StartCalls.Add((start, receiver.Local));
            }

            if (operation.Type?.Name is "Task" or "Thread" || (operation.Type is INamedTypeSymbol { IsGenericType: true } generic && generic.Name == "Task"))
            {
                if (OperationTree.StoringLocal(operation) is { } local)
                {
                    HandleStores.Add((operation, local));
                }
            }
        }

        public List<(IInvocationOperation Call, ILocalSymbol Receiver)> StartCalls { get; } = new();

        public List<(IOperation Value, ILocalSymbol Local)> HandleStores { get; } = new();

        public List<IOperation> Waits { get; } = new();

        public static StarterFacts Of(IOperation starter) => RecentlyComputed.GetOrAdd(starter, static s => new StarterFacts(s));
    }
}
