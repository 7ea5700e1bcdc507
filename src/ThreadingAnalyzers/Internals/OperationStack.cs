using System;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// The stack of the operation walks (<see cref="OperationWalk.OperationsOf"/>, <see cref="OperationWalk.DescendantsOf"/>, the entry point search).
/// A Stack&lt;IOperation&gt; keeps its items in an IOperation[], and each push into an array of an interface type checks
/// that the item fits (arrays are covariant): a thirteenth of THR002's time in a build. The items here are kept in
/// slots of a struct type, which are stored without that check. Stacks are reused per thread (the walks run for every
/// concurrent body and every method it reaches).
/// </summary>
internal sealed class OperationStack
{
    [ThreadStatic]
    private static OperationStack?[]? s_free;

    private Slot[] _slots = new Slot[64];

    public int Count { get; private set; }

    public static OperationStack Rent()
    {
        var free = s_free;
        if (free is not null)
        {
            for (var index = 0; index < free.Length; index++)
            {
                if (free[index] is { } stack)
                {
                    free[index] = null;
                    return stack;
                }
            }
        }

        return new OperationStack();
    }

    /// <summary>Gives the stack back for the thread's next walk, emptied: a kept operation would keep its compilation alive.</summary>
    public static void Return(OperationStack stack)
    {
        Array.Clear(stack._slots, 0, stack.Count);
        stack.Count = 0;
        var free = s_free ??= new OperationStack?[8];
        for (var index = 0; index < free.Length; index++)
        {
            if (free[index] is null)
            {
                free[index] = stack;
                return;
            }
        }
    }

    public void Push(IOperation operation)
    {
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, Count * 2);
        }

        _slots[Count++].Operation = operation;
    }

    public IOperation Pop()
    {
        ref var slot = ref _slots[--Count];
        var operation = slot.Operation;
        slot.Operation = null!;
        return operation;
    }

    private struct Slot
    {
        public IOperation Operation;
    }
}
