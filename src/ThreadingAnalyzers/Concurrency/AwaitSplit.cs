using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;
using Microsoft.CodeAnalysis.Text;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Where an async function stops running on its caller: an async function started and not awaited at once runs on the
/// caller's thread up to its first <c>await</c>, then returns its task; what follows the <c>await</c> runs on the pool,
/// at the same time as the caller and as the other items' functions. An operation is after the first await when it
/// starts after the end of an <c>await</c> of the function's own code, or when it is in a loop that awaits (its next
/// iteration follows one). The first <c>await</c> of an <c>await foreach</c> comes before its body; that of an
/// <c>await using</c> at its end.
/// </summary>
internal sealed class AwaitSplit
{
    private readonly int _firstAwaitEnd;
    private readonly List<TextSpan>? _awaitingLoops;

    private AwaitSplit(int firstAwaitEnd, List<TextSpan>? awaitingLoops)
    {
        _firstAwaitEnd = firstAwaitEnd;
        _awaitingLoops = awaitingLoops;
    }

    /// <summary>The split of <paramref name="function"/> (a lambda, local function or method body), from its own code.</summary>
    public static AwaitSplit Of(IOperation function)
    {
        var firstEnd = int.MaxValue;
        List<TextSpan>? loops = null;
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function).WithKinds())
        {
            int end;
            switch (kind)
            {
                case OperationKind.Await:
                    end = operation.Syntax.Span.End;
                    break;
                case OperationKind.Loop when operation is IForEachLoopOperation { IsAsynchronous: true } asyncLoop:
                    end = asyncLoop.Body.Syntax.SpanStart;
                    break;
                case OperationKind.Using when operation is IUsingOperation { IsAsynchronous: true }:
                    end = operation.Syntax.Span.End;
                    break;
                case OperationKind.UsingDeclaration when operation is IUsingDeclarationOperation { IsAsynchronous: true }:
                    // Disposed at the end of the enclosing block.
                    end = operation.Parent?.Syntax.Span.End ?? operation.Syntax.Span.End;
                    break;
                default:
                    continue;
            }

            if (end < firstEnd)
            {
                firstEnd = end;
            }

            for (var parent = operation.Parent; parent is not null && parent != function; parent = parent.Parent)
            {
                if (parent is ILoopOperation loop)
                {
                    (loops ??= new List<TextSpan>()).Add(loop.Syntax.Span);
                }
            }

            if (operation is IForEachLoopOperation { IsAsynchronous: true } awaitingLoop)
            {
                (loops ??= new List<TextSpan>()).Add(awaitingLoop.Syntax.Span);
            }
        }

        return new AwaitSplit(firstEnd, loops);
    }

    /// <summary>Whether the function awaits at all: one that does not runs to its end on the caller.</summary>
    public bool Awaits => _firstAwaitEnd != int.MaxValue;

    /// <summary>Whether <paramref name="operation"/>, code of the function, can run after its first <c>await</c>.</summary>
    public bool IsAfterFirstAwait(IOperation operation)
    {
        var span = operation.Syntax.Span;
        if (span.Start >= _firstAwaitEnd)
        {
            return true;
        }

        if (_awaitingLoops is not null)
        {
            foreach (var loop in _awaitingLoops)
            {
                if (loop.Contains(span))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
