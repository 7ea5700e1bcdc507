using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Internals;

public class OperationWalkTests
{
    /// <summary>The increments (<c>_a++</c>, <c>_b++</c>, ...) a walk of the method meets, by field name, in source order; and the nested functions it skipped.</summary>
    private static (string Met, int Skipped) Walk(string body, bool descendants = false, bool broken = false)
    {
        var (_, root) = ModelSource.Compile($$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                int _a, _b, _c;
                void M(List<int> list, int[] array)
                {
                    {{body}}
                }
            }
            """, broken);
        var skipped = new List<IOperation>();
        var met = new List<IOperation>();
        foreach (var operation in descendants ? OperationWalk.DescendantsOf(root) : OperationWalk.OperationsOf(root, skipped))
        {
            met.Add(operation);
        }

        var names = met.OfType<IIncrementOrDecrementOperation>()
            .OrderBy(o => o.Syntax.SpanStart)
            .Select(o => o.Target is IFieldReferenceOperation field ? field.Field.Name : "?");
        return (string.Join(" ", names), skipped.Count);
    }

    [Fact]
    public void OwnCodeIsWalked() => Assert.Equal(("_a _b", 0), Walk("_a++; if (_a > 0) { _b++; }"));

    [Theory]
    [InlineData("_a++; Task.Run(() => _b++);")]
    [InlineData("_a++; Action later = () => _b++;")]
    [InlineData("_a++; void Local() => _b++;")]
    [InlineData("_a++; list.Sort((x, y) => _b++);")]
    public void NestedFunctionsThatRunElsewhereAreSkipped(string body) => Assert.Equal(("_a", 1), Walk(body));

    [Theory]
    [InlineData("_a++; list.ForEach(x => _b++);")]
    [InlineData("_a++; Array.ForEach(array, x => _b++);")]
    [InlineData("_a++; var n = list.Count(x => _b++ > 0);")]
    public void LambdasRunInPlaceAreWalked(string body) => Assert.Equal(("_a _b", 0), Walk(body));

    [Fact]
    public void DescendantsGoIntoEveryNestedFunction() =>
        Assert.Equal(("_a _b _c", 0), Walk("_a++; Task.Run(() => _b++); void Local() => _c++;", descendants: true));

    [Fact]
    public void RunsSynchronouslyOnlyForTheFrameworkMethods()
    {
        var (_, root) = ModelSource.Compile("""
            using System;
            class List { public void ForEach(Action<int> f) { } }
            class C
            {
                void M(List mine, System.Collections.Generic.List<int> theirs)
                {
                    mine.ForEach(x => { });
                    theirs.ForEach(x => { });
                }
            }
            """);
        var lambdas = root.Descendants().OfType<IAnonymousFunctionOperation>().ToList();

        Assert.False(OperationWalk.RunsSynchronously(lambdas[0]));
        Assert.True(OperationWalk.RunsSynchronously(lambdas[1]));
    }

    [Fact]
    public void AnAsyncLambdaPassedToLinqDoesNotRunInPlace()
    {
        // It runs on the caller only up to its first await: items.Select(async x => ...) starts a task per item.
        var (_, root) = ModelSource.Compile("""
            using System.Linq;
            using System.Threading.Tasks;
            class C
            {
                void M(int[] items)
                {
                    items.Select(x => x + 1).ToList();
                    items.Select(async x => { await Task.Yield(); return x; }).ToList();
                }
            }
            """);
        var lambdas = root.Descendants().OfType<IAnonymousFunctionOperation>().ToList();

        Assert.True(OperationWalk.RunsSynchronously(lambdas[0]));
        Assert.False(OperationWalk.RunsSynchronously(lambdas[1]));
    }

    [Fact]
    public void BrokenCodeIsWalkedWithoutThrowing() =>
        Assert.Equal(("_a", 1), Walk("_a++; Task.Run(() => _b++; Missing(", broken: true));
}
