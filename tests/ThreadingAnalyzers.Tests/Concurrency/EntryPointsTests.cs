using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class EntryPointsTests
{
    internal static (Compilation Compilation, IOperation Root) Compile(string source, string method = "M") => ModelSource.Compile(source, method: method);

    [Theory]
    [InlineData("new Thread(() => { }).Start();", "new Thread", false)]
    [InlineData("new Thread(Work, 1024).Start();", "new Thread", false)]
    [InlineData("new Thread(o => { }).Start(1);", "new Thread", false)]
    [InlineData("Task.Run(() => 1);", "Task.Run", false)]
    [InlineData("Task.Factory.StartNew(Work);", "Task.Factory.StartNew", false)]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { });", "ThreadPool.QueueUserWorkItem", false)]
    [InlineData("ThreadPool.UnsafeQueueUserWorkItem(_ => { }, null);", "ThreadPool.UnsafeQueueUserWorkItem", false)]
    [InlineData("Parallel.For(0, 10, i => { });", "Parallel.For", true)]
    [InlineData("Parallel.ForEach(new[] { 1 }, i => { });", "Parallel.ForEach", true)]
    [InlineData("Parallel.Invoke(() => { }, Work);", "Parallel.Invoke", false)]
    [InlineData("new[] { 1 }.AsParallel().ForAll(i => { });", "PLINQ ForAll", true)]
    [InlineData("new Timer(_ => { }, null, 0, 1000);", "new Timer", true)]
    [InlineData("new Timer(_ => { }, null, 1000, Timeout.Infinite);", "new Timer", false)]
    [InlineData("for (var i = 0; i < 2; i++) Task.Run(Work);", "Task.Run", true)]
    [InlineData("for (var i = 0; i < 2; i++) Task.Run(Work).Wait();", "Task.Run", false)]
    [InlineData("new Thread(Work).Start(); new Thread(Work).Start();", "new Thread", true)]
    [InlineData("new Task(Work).Start();", "new Task", false)]
    public void RecognizesEntryPoint(string statement, string name, bool runsMoreThanOnce)
    {
        var (compilation, root) = Compile($$"""
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M() { {{statement}} await Task.Yield(); }
                void Work() { }
            }
            """);
        var entries = EntryPoints.In(root, ThreadingTypes.From(compilation));
        Assert.NotEmpty(entries);
        Assert.All(entries, e =>
        {
            Assert.Equal(name, e.Entry.DisplayName);
            Assert.NotEmpty(e.Entry.Bodies);
            Assert.Equal(runsMoreThanOnce, e.RunsMoreThanOnceAtATime);
        });
    }

    [Fact]
    public void IgnoresLookAlikes()
    {
        var (compilation, root) = Compile("""
            using System.Threading.Tasks;
            class Parallel { public static void For(int a, int b, System.Action<int> f) { } }
            class C
            {
                void M()
                {
                    Parallel.For(0, 1, i => { });
                    new Task(() => { }).RunSynchronously();
                    Task.Factory.StartNew(() => { }, default, TaskCreationOptions.None, TaskScheduler.FromCurrentSynchronizationContext());
                }
            }
            """);
        Assert.Empty(EntryPoints.In(root, ThreadingTypes.From(compilation)));
    }

    [Fact]
    public void FindsEveryEntryPointInSourceOrderOuterFirst()
    {
        var (compilation, root) = Compile("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                void M()
                {
                    var x = 0;
                    if (x > 0)
                    {
                        x++;
                    }

                    Task.Run(() => { Parallel.For(0, 2, i => { }); });
                    x--;
                    Thread t = new (() => { });
                    t.Start();
                }
            }
            """);
        var entries = EntryPoints.In(root, ThreadingTypes.From(compilation));
        Assert.Equal(new[] { "Task.Run", "Parallel.For", "new Thread" }, entries.Select(e => e.Entry.DisplayName));
        Assert.Equal(new[] { false, true, false }, entries.Select(e => e.RunsMoreThanOnceAtATime));

        // Find, which THR002 asks first, gives the same entry points in the same order.
        Assert.Equal(new[] { "Task.Run", "Parallel.For", "new Thread" }, EntryPoints.Find(root, ThreadingTypes.From(compilation)).Select(e => e.DisplayName));
    }

    /// <summary>
    /// Calls and creations that hold entry points only in their arguments (or are not written as calls) are walked
    /// through: the entry points inside are found, in the same order, and those outer calls are none.
    /// </summary>
    [Fact]
    public void FindsEntryPointsInsideOtherCallsArgumentsAndInitializers()
    {
        var (compilation, root) = Compile("""
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task M(List<Task> tasks)
                {
                    tasks.Add(Task.Run(() => 1));
                    await Task.WhenAll(Task.Run(() => { }), Task.Factory.StartNew(() => { }));
                    var more = new List<Task> { Task.Run(() => 2) };
                    await Task.Run(() => 3).ContinueWith(t => t.Result);
                    var threads = from i in Enumerable.Range(0, 2) select new Thread(() => { });
                    System.Console.WriteLine(new Timer(_ => { }, null, 0, 1000));
                }
            }
            """);
        var types = ThreadingTypes.From(compilation);
        var expected = new[] { "Task.Run", "Task.Run", "Task.Factory.StartNew", "Task.Run", "ContinueWith", "Task.Run", "new Thread", "new Timer" };
        Assert.Equal(expected, EntryPoints.Find(root, types).Select(e => e.DisplayName));
        Assert.Equal(expected, EntryPoints.In(root, types).Select(e => e.Entry.DisplayName));
    }

    [Fact]
    public void ReachFollowsCallsTransitivelyAndSurvivesCycles()
    {
        var (compilation, root) = Compile("""
            using System.Threading;
            class C
            {
                int _count;
                void M() { new Thread(() => First()).Start(); }
                void First() { Second(); }
                void Second() { _count++; First(); Helper.Static(); }
            }
            static class Helper { public static void Static() { } }
            """);
        var entry = EntryPoints.In(root, ThreadingTypes.From(compilation)).Single().Entry;
        var reached = Reach.For(compilation).MethodsCalledFrom(entry.Bodies[0].Function!);
        Assert.Equal(new[] { "First", "Second", "Static" }, reached.Select(r => r.Method.Name));
        Assert.Equal(new[] { 1, 2, 3 }, reached.Select(r => r.Depth));
        Assert.True(reached[1].ThisIsBodyThis);
    }
}
