using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Internals;

/// <summary>Walks of an operation tree that allocate no iterator: the model walks every concurrent body and every method it reaches.</summary>
internal static class OperationWalk
{
    /// <summary>
    /// The operations that run as part of <paramref name="function"/> on its thread: nested lambdas are skipped unless they
    /// are passed to a method that runs them synchronously (List&lt;T&gt;.ForEach, Array.ForEach, LINQ to Objects), and local
    /// function declarations are skipped (they run where they are called). A struct enumerable over a pooled stack: the
    /// walks run for every concurrent body and every method it reaches, and an iterator would be allocated for each.
    /// The nested functions it skips are added to <paramref name="skipped"/> when given.
    /// </summary>
    public static FunctionOperations OperationsOf(IOperation function, List<IOperation>? skipped = null) => new(function, skipped, intoNestedFunctions: false);

    /// <summary>
    /// Every operation below <paramref name="operation"/>, nested lambdas and local functions included, over the same pooled
    /// stack (<c>Descendants()</c> allocates an iterator and a stack per call).
    /// </summary>
    public static FunctionOperations DescendantsOf(IOperation operation) => new(operation, skipped: null, intoNestedFunctions: true);

    /// <summary>What <see cref="OperationsOf"/> and <see cref="DescendantsOf"/> return; use it in a <c>foreach</c>.</summary>
    public readonly struct FunctionOperations
    {
        private readonly IOperation _function;
        private readonly List<IOperation>? _skipped;
        private readonly bool _intoNestedFunctions;

        public FunctionOperations(IOperation function, List<IOperation>? skipped, bool intoNestedFunctions)
        {
            _function = function;
            _skipped = skipped;
            _intoNestedFunctions = intoNestedFunctions;
        }

        public Enumerator GetEnumerator() => new(_function, _skipped, _intoNestedFunctions);

        /// <summary>The same walk, each operation with its kind, which the walk has already asked for (an interface call per operation).</summary>
        public WithKindsEnumerable WithKinds() => new(this);

        /// <summary>What <see cref="WithKinds"/> returns; use it in a <c>foreach</c>.</summary>
        public readonly struct WithKindsEnumerable
        {
            private readonly FunctionOperations _operations;

            public WithKindsEnumerable(FunctionOperations operations) => _operations = operations;

            public WithKindsEnumerator GetEnumerator() => new(_operations.GetEnumerator());
        }

        public struct WithKindsEnumerator : IDisposable
        {
            private Enumerator _walk;

            public WithKindsEnumerator(Enumerator walk) => _walk = walk;

            public (IOperation Operation, OperationKind Kind) Current => (_walk.Current, _walk.CurrentKind);

            public bool MoveNext() => _walk.MoveNext();

            public void Dispose() => _walk.Dispose();
        }

        public struct Enumerator : IDisposable
        {
            private readonly List<IOperation>? _skipped;
            private readonly bool _intoNestedFunctions;
            private OperationStack? _stack;

            public Enumerator(IOperation function, List<IOperation>? skipped, bool intoNestedFunctions)
            {
                _skipped = skipped;
                _intoNestedFunctions = intoNestedFunctions;
                _stack = OperationStack.Rent();
                Current = null!;
                foreach (var child in function.ChildOperations)
                {
                    _stack.Push(child);
                }
            }

            public IOperation Current { get; private set; }

            /// <summary>The kind of <see cref="Current"/> (see <see cref="WithKinds"/>).</summary>
            public OperationKind CurrentKind { get; private set; }

            public bool MoveNext()
            {
                var stack = _stack;
                while (stack is { Count: > 0 })
                {
                    // Kind tests, not interface type tests: this loop runs for every operation of every function walked.
                    var operation = stack.Pop();
                    var kind = operation.Kind;
                    if (!_intoNestedFunctions && (kind == OperationKind.LocalFunction || (kind == OperationKind.AnonymousFunction && !RunsSynchronously(operation))))
                    {
                        _skipped?.Add(operation);
                        continue;
                    }

                    foreach (var child in operation.ChildOperations)
                    {
                        stack.Push(child);
                    }

                    Current = operation;
                    CurrentKind = kind;
                    return true;
                }

                return false;
            }

            public void Dispose()
            {
                if (_stack is { } stack)
                {
                    _stack = null;
                    OperationStack.Return(stack);
                }
            }
        }
    }

    /// <summary>
    /// A lambda passed to List&lt;T&gt;.ForEach, Array.ForEach or a System.Linq.Enumerable method runs on the caller's thread;
    /// an async one only up to its first await (<c>items.Select(async x => ...)</c> starts a task per item), so it does not.
    /// </summary>
    public static bool RunsSynchronously(IOperation lambda)
    {
        if (lambda is IAnonymousFunctionOperation { Symbol.IsAsync: true })
        {
            return false;
        }

        var current = lambda.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current is IArgumentOperation { Parent: IInvocationOperation invocation })
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            return (method.Name == "ForEach" && type?.Name is "List" or "Array" && (Symbols.IsNamespace(type.ContainingNamespace, Symbols.SystemNamespace) || Symbols.IsNamespace(type.ContainingNamespace, Symbols.GenericCollectionsNamespace)))
                || Symbols.IsLinqEnumerable(type);
        }

        return false;
    }
}
