using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class RunWindowTests
{
    private static List<EntryPoint> Entries(string body, bool broken = false)
    {
        var (compilation, root) = ModelSource.Compile($$"""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M()
                {
                    {{body}}
                }
                static void Work() { }
                static void Here() { }
            }
            """, broken);
        return EntryPoints.Find(root, ThreadingTypes.From(compilation)).OrderBy(e => e.Operation.Syntax.SpanStart).ToList();
    }

    /// <summary>For each <c>Here()</c> of <paramref name="body"/> in order, whether the entry point's bodies may still run there.</summary>
    private static string Running(string body, int entry = 0, bool broken = false)
    {
        var entries = Entries(body, broken);
        var window = RunWindow.Of(entries[entry]);
        return string.Join(" ", OperationTree.Root(entries[entry].Operation).Descendants().OfType<IInvocationOperation>()
            .Where(call => call.TargetMethod.Name == "Here")
            .OrderBy(call => call.Syntax.SpanStart)
            .Select(call => window.MayStillRunAt(call) ? "yes" : "no"));
    }

    [Theory]
    [InlineData("Here(); var t = new Thread(Work); Here(); t.Start(); Here(); t.Join(); Here();", "no no yes no")]
    [InlineData("var task = Task.Run(Work); Here(); task.Wait(); Here();", "yes no")]
    [InlineData("var task = Task.Run(Work); Here(); await task; Here();", "yes no")]
    [InlineData("var task = Task.Run(Work); Here(); var r = task.ConfigureAwait(false); Here();", "yes yes")]
    [InlineData("await Task.Run(Work); Here();", "no")]
    [InlineData("Task.Run(Work).Wait(); Here();", "no")]
    [InlineData("Parallel.For(0, 3, i => Work()); Here();", "no")]
    [InlineData("var t = new Thread(Work); t.Start(); t.Join(100); Here();", "yes")]
    [InlineData("var t = new Thread(Work); t.Start(); while (!t.Join(100)) { Here(); } Here();", "yes no")]
    [InlineData("var a = Task.Run(Work); var b = Task.Run(Work); b.Wait(); Here(); a.Wait(); Here();", "yes no")]
    [InlineData("var a = Task.Run(Work); var b = Task.Run(Work); await Task.WhenAll(a, b); Here();", "no")]
    public void RunsFromTheStartToTheFirstWaitForIt(string body, string expected) => Assert.Equal(expected, Running(body));

    [Theory]
    [InlineData("for (int i = 0; i < 3; i++) { Here(); Task.Run(Work); } Here();", "yes yes", true)]
    [InlineData("for (int i = 0; i < 3; i++) { Here(); Task.Run(Work).Wait(); } Here();", "no no", false)]
    [InlineData("for (int i = 0; i < 3; i++) { Here(); Parallel.Invoke(Work); } Here();", "no no", false)]
    public void ALoopThatDoesNotWaitRunsItAgainAndAgain(string body, string expected, bool repeats)
    {
        Assert.Equal(expected, Running(body));
        Assert.Equal(repeats, RunWindow.StartsRepeatedlyInLoop(Entries(body)[0]));
    }

    [Theory]
    [InlineData("Task.Run(Work); Task.Run(Work);", true)]
    [InlineData("var a = Task.Run(Work); var b = Task.Run(Work); a.Wait(); b.Wait();", true)]
    [InlineData("var a = Task.Run(Work); a.Wait(); Task.Run(Work);", false)]
    [InlineData("Task.Run(Work).ContinueWith(_ => Work());", false)]
    [InlineData("var a = Task.Run(Work); a.ContinueWith(_ => Work());", false)]
    [InlineData("Parallel.Invoke(Work); Task.Run(Work);", false)]
    public void OverlapOfTwoEntryPoints(string body, bool expected)
    {
        var entries = Entries(body);

        Assert.Equal(2, entries.Count);
        Assert.Equal(expected, RunWindow.Overlap(entries[0], entries[1]));
        Assert.Equal(expected, RunWindow.Overlap(entries[1], entries[0]));
    }

    [Theory]
    [InlineData("var t = new Thread(Work); t.Start();", "t")]
    [InlineData("Thread t; t = new Thread(Work); t.Start();", "t")]
    [InlineData("Task task = Task.Run(Work); await task;", "task")]
    [InlineData("await Task.Run(Work);", null)]
    [InlineData("new Thread(Work).Start();", null)]
    public void HandleOfIsTheLocalThatHoldsIt(string body, string? expected) => Assert.Equal(expected, RunWindow.HandleOf(Entries(body)[0])?.Name);

    [Fact]
    public void StarterIsTheFunctionAroundTheEntryPoint()
    {
        var entries = Entries("System.Action a = () => Task.Run(Work); Task.Run(Work);");

        Assert.IsAssignableFrom<IAnonymousFunctionOperation>(RunWindow.Starter(entries[0]));
        Assert.IsAssignableFrom<IMethodBodyOperation>(RunWindow.Starter(entries[1]));
        Assert.False(RunWindow.Overlap(entries[0], entries[1]));
    }

    [Fact]
    public void HalfTypedWaitDoesNotThrow() =>
        Assert.Equal("yes no", Running("var t = new Thread(Work); t.Start(); Here(); t.Join(; Here();", broken: true));
}
