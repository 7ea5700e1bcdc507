using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// When, inside the function that starts it, an entry point's bodies may still be running: from the start to the
/// first point that waits for them (Join, Wait, await, WaitAll, WhenAll, .Result; the return of Parallel.*).
/// Positions are source positions in the starter; where the end cannot be seen the run lasts to the end of the function.
/// Ends are generous (any wait on something that is not another entry point's handle ends the run) so that the rules
/// built on this stay silent rather than flag code that already waits.
/// </summary>
internal static class RunWindow
{
    /// <summary>The function (method body, lambda or local function) that contains the entry point.</summary>
    public static IOperation Starter(EntryPoint entry) => EnclosingFunction(entry.Operation) ?? Root(entry.Operation);

    /// <summary>The position where the bodies start running.</summary>
    public static int Start(EntryPoint entry)
    {
        if (entry.Kind == EntryPointKind.Thread && HandleOf(entry) is { } handle)
        {
            foreach (var operation in Starter(entry).Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "Start" or "UnsafeStart", Instance: ILocalReferenceOperation receiver } start
                    && SymbolEqualityComparer.Default.Equals(receiver.Local, handle)
                    && start.Syntax.SpanStart > entry.Operation.Syntax.SpanStart)
                {
                    return start.Syntax.SpanStart;
                }
            }
        }

        return entry.Operation.Syntax.SpanStart;
    }

    /// <summary>The position after which the bodies are known to have finished; <see cref="int.MaxValue"/> when never within the starter.</summary>
    public static int End(EntryPoint entry)
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
        var otherHandles = OtherHandles(entry);
        var start = Start(entry);
        var end = int.MaxValue;
        foreach (var operation in Starter(entry).Descendants())
        {
            if (operation.Syntax.SpanStart <= start || operation.Syntax.SpanStart >= end || IsInNestedFunction(operation, Starter(entry)))
            {
                continue;
            }

            if (EndOfRunPosition(operation, handle, otherHandles) is { } position && position < end)
            {
                end = position;
            }
        }

        return end;
    }

    /// <summary>Whether <paramref name="operation"/>, code of the starter itself, can run while the entry point's bodies run.</summary>
    public static bool MayStillRunAt(EntryPoint entry, IOperation operation)
    {
        var position = operation.Syntax.SpanStart;
        if (position > Start(entry) && position < End(entry))
        {
            return true;
        }

        // In a loop that does not wait within the iteration, the previous iteration's run overlaps all of the loop.
        return RepeatingLoop(entry) is { } loop && loop.Syntax.Span.Contains(operation.Syntax.Span);
    }

    /// <summary>The entry point is in a loop of its starter and the iteration does not wait for it: its bodies pile up.</summary>
    public static bool StartsRepeatedlyInLoop(EntryPoint entry) => RepeatingLoop(entry) is not null;

    /// <summary>Two entry points of the same starter whose runs can overlap in time.</summary>
    public static bool Overlap(EntryPoint a, EntryPoint b)
    {
        if (Starter(a) != Starter(b))
        {
            return false;
        }

        if (StartsRepeatedlyInLoop(a) || StartsRepeatedlyInLoop(b))
        {
            return true;
        }

        return Start(a) < End(b) && Start(b) < End(a);
    }

    /// <summary>The local that holds the task or thread, when the entry point's value is stored in one.</summary>
    public static ILocalSymbol? HandleOf(EntryPoint entry)
    {
        var current = entry.Operation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == current => local.Local,
            _ => null,
        };
    }

    private static ILoopOperation? RepeatingLoop(EntryPoint entry)
    {
        if (entry.IsSynchronous)
        {
            return null;
        }

        var starter = Starter(entry);
        for (var current = entry.Operation.Parent; current is not null && current != starter; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            if (current is ILoopOperation loop && !EndsWithinIteration(entry, loop))
            {
                return loop;
            }
        }

        return null;
    }

    private static bool EndsWithinIteration(EntryPoint entry, ILoopOperation loop)
    {
        var end = End(entry);
        return end != int.MaxValue && loop.Body.Syntax.Span.Contains(end - 1);
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
                var awaited = EntryPoints.Unwrap(awaitOperation.Operation);
                if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure)
                {
                    awaited = EntryPoints.Unwrap(configure.Instance);
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
        receiver = EntryPoints.Unwrap(receiver);
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
        foreach (var operation in Starter(entry).Descendants())
        {
            if (operation != entry.Operation && operation is IInvocationOperation or IObjectCreationOperation
                && (operation.Type?.Name is "Task" or "Thread" || (operation.Type is INamedTypeSymbol { IsGenericType: true } generic && generic.Name == "Task")))
            {
                var current = operation;
                while (current.Parent is IConversionOperation or IParenthesizedOperation)
                {
                    current = current.Parent;
                }

                var local = current.Parent switch
                {
                    IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                    _ => null,
                };
                if (local is not null && !SymbolEqualityComparer.Default.Equals(local, own))
                {
                    handles.Add(local);
                }
            }
        }

        return handles;
    }

    private static bool IsInNestedFunction(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    internal static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    internal static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }
}
