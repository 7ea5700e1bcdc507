using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;
using ThreadingAnalyzers.Tests.Concurrency;

namespace ThreadingAnalyzers.Tests.Internals;

public class OperationStackTests
{
    [Fact]
    public void PopsInReverseOrderPastItsFirstCapacity()
    {
        var (_, root) = EntryPointsTests.Compile(WideMethod(100));
        var statements = ((IBlockOperation)((IMethodBodyOperation)root).BlockBody!).Operations;
        var stack = OperationStack.Rent();
        foreach (var statement in statements)
        {
            stack.Push(statement);
        }

        Assert.Equal(100, stack.Count);
        var popped = Enumerable.Range(0, 100).Select(_ => stack.Pop()).ToList();
        Assert.Equal(statements.Reverse(), popped);
        Assert.Equal(0, stack.Count);
        OperationStack.Return(stack);
    }

    [Fact]
    public void ReturnedStackIsRentedEmpty()
    {
        var (_, root) = EntryPointsTests.Compile(WideMethod(3));
        var stack = OperationStack.Rent();
        stack.Push(root);
        stack.Push(root);
        OperationStack.Return(stack);

        var again = OperationStack.Rent();
        Assert.Same(stack, again);
        Assert.Equal(0, again.Count);
        OperationStack.Return(again);
    }

    [Fact]
    public void WalksOfMethodsWiderThanTheStackFindEveryOperation()
    {
        var (compilation, root) = EntryPointsTests.Compile(WideMethod(150));

        var entries = EntryPoints.Find(root, ThreadingTypes.From(compilation));
        Assert.Equal(150, entries.Count);
        Assert.Equal(
            entries.Select(entry => entry.Operation.Syntax.SpanStart).OrderBy(start => start),
            entries.Select(entry => entry.Operation.Syntax.SpanStart));

        var walked = 0;
        foreach (var operation in OperationWalk.OperationsOf(root))
        {
            walked += operation.Kind == OperationKind.Invocation ? 1 : 0;
        }

        Assert.Equal(root.Descendants().Count(operation => operation.Kind == OperationKind.Invocation), walked);
        Assert.Equal(150, walked);
    }

    private static string WideMethod(int statements) => $$"""
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                {{string.Join("\n", Enumerable.Range(0, statements).Select(i => $"Task.Run(() => {i});"))}}
            }
        }
        """;
}
