using System.Linq;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Internals;

public class SymbolsTests
{
    private const string Source = """
        namespace Mine.System.Threading { class Monitor { public static void Enter(object o) { } } }
        class C
        {
            void M(object gate)
            {
                System.Threading.Monitor.Enter(gate);
                Mine.System.Threading.Monitor.Enter(gate);
            }
        }
        """;

    [Fact]
    public void IsNamespaceComparesTheWholeName()
    {
        var (_, root) = ModelSource.Compile(Source);
        var calls = root.Descendants().OfType<IInvocationOperation>().Select(call => call.TargetMethod.ContainingNamespace).ToList();

        Assert.True(Symbols.IsNamespace(calls[0], Symbols.ThreadingNamespace));
        Assert.False(Symbols.IsNamespace(calls[1], Symbols.ThreadingNamespace));
        Assert.False(Symbols.IsNamespace(calls[0], Symbols.SystemNamespace));
        Assert.False(Symbols.IsNamespace(null, Symbols.SystemNamespace));
    }

    [Fact]
    public void IsTypeOnlyForTheSameType()
    {
        var (compilation, root) = ModelSource.Compile(Source);
        var monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        var calls = root.Descendants().OfType<IInvocationOperation>().Select(call => call.TargetMethod.ContainingType).ToList();

        Assert.True(Symbols.IsType(calls[0], monitor));
        Assert.False(Symbols.IsType(calls[1], monitor));
        Assert.False(Symbols.IsType(null, monitor));
        Assert.False(Symbols.IsType(calls[0], null));
    }

    [Fact]
    public void BrokenCodeDoesNotThrow()
    {
        var (compilation, root) = ModelSource.Compile("class C { void M(object gate) { Missing.Monitor.Enter(gate); } }", broken: true);
        var invalid = root.Descendants().OfType<IInvalidOperation>().First();

        Assert.False(Symbols.IsType(invalid.Type, compilation.GetTypeByMetadataName("System.Threading.Monitor")));
        Assert.False(Symbols.IsNamespace(invalid.Type?.ContainingNamespace, Symbols.ThreadingNamespace));
    }
}
