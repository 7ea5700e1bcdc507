using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Internals;

public class BrokenCodeTests
{
    private static string InMethod(string body) => $$"""
        using System;
        class C
        {
            int _n;
            void M()
            {
                {{body}}
            }
        }
        """;

    [Fact]
    public void CodeThatCompilesIsNotBroken()
    {
        var (_, root) = ModelSource.Compile(InMethod("_n++; Action a = () => _n--;"));

        Assert.False(BrokenCode.In(root));
        Assert.False(BrokenCode.InText(root));
    }

    [Theory]
    [InlineData("_n++; _n.")]
    [InlineData("_n++; if (_n > 0 { }")]
    public void SyntaxErrorsAreBrokenEitherWay(string body)
    {
        var (_, root) = ModelSource.Compile(InMethod(body), broken: true);

        Assert.True(BrokenCode.In(root));
        Assert.True(BrokenCode.InText(root));
    }

    [Theory]
    [InlineData("_n++; Missing();")]
    [InlineData("_n++; Action a = () => Missing();")]
    [InlineData("_n++; void Local() => _n.Missing();")]
    public void AnUnboundNameIsBrokenOnlyWhenBindingIsLookedAt(string body)
    {
        var (_, root) = ModelSource.Compile(InMethod(body), broken: true);

        Assert.True(BrokenCode.In(root));
        Assert.False(BrokenCode.InText(root));
    }

    [Fact]
    public void OnlyTheCodeAskedAboutCounts()
    {
        var (_, root) = ModelSource.Compile(InMethod("_n++; Missing();"), broken: true);
        var increment = ModelSource.Find<IExpressionStatementOperation>(root, "_n++;");
        var invalid = ModelSource.Find<IExpressionStatementOperation>(root, "Missing();");

        Assert.False(BrokenCode.In(increment));
        Assert.True(BrokenCode.In(invalid));
        Assert.True(BrokenCode.In(invalid.Operation));
    }
}
