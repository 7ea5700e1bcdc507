using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class CpuBoundClassifierTests
{
    [Theory]
    [InlineData("() => { for (var i = 0; i < n; i++) _sum += i; }", nameof(BodyWork.FiniteCpuBound))]
    [InlineData("() => Fib(n)", nameof(BodyWork.FiniteCpuBound))]
    [InlineData("Outer", nameof(BodyWork.FiniteCpuBound))]
    [InlineData("() => { while (_sum < n) _sum++; }", nameof(BodyWork.FiniteCpuBound))]
    [InlineData("() => { while (!_stop) Step(); }", nameof(BodyWork.FiniteCpuBound))]
    [InlineData("() => _sum++", nameof(BodyWork.NoLoop))]
    [InlineData("() => { for (var i = 0; i < n; i++) Thread.Sleep(1); }", nameof(BodyWork.BlocksOrWaits))]
    [InlineData("() => { for (var i = 0; i < n; i++) Console.Write(i); }", nameof(BodyWork.BlocksOrWaits))]
    [InlineData("() => { for (var i = 0; i < n; i++) Deep(); }", nameof(BodyWork.BlocksOrWaits))]
    [InlineData("() => { for (var i = 0; i < n; i++) _queue.TryTake(out _); }", nameof(BodyWork.BlocksOrWaits))]
    [InlineData("() => { for (var i = 0; i < n; i++) new System.IO.MemoryStream(); }", nameof(BodyWork.BlocksOrWaits))]
    [InlineData("() => { while (!_stop) _sum++; }", nameof(BodyWork.EndlessWorkerLoop))]
    [InlineData("() => { while (!_token.IsCancellationRequested) _sum++; }", nameof(BodyWork.EndlessWorkerLoop))]
    [InlineData("() => { while (!Volatile.Read(ref _flag)) _sum++; }", nameof(BodyWork.EndlessWorkerLoop))]
    [InlineData("() => { do { _sum++; } while (true); }", nameof(BodyWork.EndlessWorkerLoop))]
    [InlineData("() => { for (var i = 0; i < n; i++) Thread.CurrentThread.Priority = ThreadPriority.Lowest; }", nameof(BodyWork.ConfiguresItsThread))]
    [InlineData("Console.Beep", nameof(BodyWork.Unknown))]
    public void Classifies(string body, string expected)
    {
        var (compilation, root) = EntryPointsTests.Compile($$"""
            using System;
            using System.Threading;
            class C
            {
                private long _sum;
                private bool _stop;
                private bool _flag;
                private CancellationToken _token;
                private System.Collections.Concurrent.BlockingCollection<int> _queue = new();
                void M(int n) { new Thread({{body}}).Start(); }
                static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
                void Outer() => Middle();
                void Middle() { for (var i = 0; i < 10; i++) _sum += i; }
                void Step() { if (++_sum > 100) _stop = true; }
                void Deep() => Deeper();
                void Deeper() => Thread.Sleep(0);
            }
            """);
        var types = ThreadingTypes.From(compilation);
        var creation = root.Descendants().OfType<IObjectCreationOperation>().Single(c => types.IsThread(c.Type));
        var entry = EntryPoints.TryGet(creation, types)!;

        Assert.Equal(expected, CpuBoundClassifier.Classify(entry.Bodies.Single(), creation, types, CancellationToken.None).ToString());
    }
}
