using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class EnclosingFunctionTests
{
    /// <summary>The function around the call <c>Site()</c> in <paramref name="body"/>, a body of the async method M.</summary>
    private static (EnclosingFunction Function, Compilation Compilation) At(string body, string parameters = "", bool broken = false)
    {
        var (compilation, root) = ModelSource.Compile($$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new object();
                async Task M({{parameters}})
                {
                    {{body}}
                    await Task.Yield();
                }
                static void Site() { }
            }
            """, broken);
        var site = root.Descendants().OfType<IInvocationOperation>().First(call => call.TargetMethod.Name == "Site");
        return (EnclosingFunction.Of(site), compilation);
    }

    [Fact]
    public void TheMethodItself()
    {
        var (function, _) = At("Site();");

        Assert.Equal("M", function.Symbol?.Name);
        Assert.Null(function.Function);
        Assert.True(function.IsAsync);
        Assert.True(function.AwaitCompiles());
    }

    [Fact]
    public void TheInnermostLambda()
    {
        var (function, _) = At("Func<Task> outer = async () => { Action inner = () => Site(); await Task.Yield(); };");

        Assert.IsAssignableFrom<IAnonymousFunctionOperation>(function.Function);
        Assert.Equal(MethodKind.AnonymousFunction, function.Symbol?.MethodKind);
        Assert.False(function.IsAsync);
        Assert.False(function.AwaitCompiles());
    }

    [Fact]
    public void ALocalFunction()
    {
        var (function, _) = At("async Task Local() { Site(); await Task.Yield(); }");

        Assert.IsAssignableFrom<ILocalFunctionOperation>(function.Function);
        Assert.Equal("Local", function.Symbol?.Name);
        Assert.True(function.AwaitCompiles());
    }

    [Theory]
    [InlineData("Site();", true)]
    [InlineData("try { Site(); } catch { }", true)]
    [InlineData("try { } catch { Site(); }", true)]
    [InlineData("try { } finally { Site(); }", true)]
    [InlineData("lock (_gate) { Site(); }", false)]
    [InlineData("lock (_gate) { Action a = () => Site(); }", false)]
    public void AwaitCompilesWhereTheCompilerAllowsIt(string body, bool expected) => Assert.Equal(expected, At(body).Function.AwaitCompiles());

    [Fact]
    public void NotInAMethodThatIsNotAsync()
    {
        var (compilation, root) = ModelSource.Compile("""
            class C
            {
                void M() { Site(); }
                static void Site() { }
            }
            """);
        var function = EnclosingFunction.Of(root.Descendants().OfType<IInvocationOperation>().Single());

        Assert.Equal("M", function.Symbol?.Name);
        Assert.False(function.IsAsync);
        Assert.False(function.AwaitCompiles());
        Assert.Null(function.CancellationTokenParameter(ThreadingTypes.From(compilation)));
    }

    [Theory]
    [InlineData("CancellationToken token", "token")]
    [InlineData("int count, CancellationToken cancellationToken", "cancellationToken")]
    [InlineData("CancellationToken @event", "@event")]
    [InlineData("CancellationToken first, CancellationToken second", null)]
    [InlineData("int count", null)]
    public void CancellationTokenParameterOnlyWhenThereIsOne(string parameters, string? expected)
    {
        var (function, compilation) = At("Site();", parameters);

        Assert.Equal(expected, function.CancellationTokenParameter(ThreadingTypes.From(compilation)));
    }

    [Fact]
    public void HalfTypedCode()
    {
        var (function, _) = At("Site(); var x = Missing(", broken: true);

        Assert.Equal("M", function.Symbol?.Name);
        Assert.True(function.AwaitCompiles());
    }
}
