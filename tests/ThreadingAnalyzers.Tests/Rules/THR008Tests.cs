using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR008IgnoredJoinResultAnalyzer>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR008Tests
{
    private static string InMethod(string body) => $$"""
        using System;
        using System.Threading;
        class C
        {
            Thread _worker = new Thread(() => { });
            Thread[] _workers = { new Thread(() => { }) };

            Thread Worker => _worker;

            void M(Thread t, TimeSpan timeout, int milliseconds)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("{|#0:t.Join(100)|};", "t")]
    [InlineData("{|#0:t.Join(milliseconds)|};", "t")]
    [InlineData("{|#0:t.Join(timeout)|};", "t")]
    [InlineData("{|#0:t.Join(TimeSpan.FromSeconds(5))|};", "t")]
    [InlineData("{|#0:t.Join(millisecondsTimeout: 250)|};", "t")]
    [InlineData("{|#0:t.Join(0)|};", "t")]
    [InlineData("{|#0:_worker.Join(100)|};", "_worker")]
    [InlineData("{|#0:this._worker.Join(100)|};", "this._worker")]
    [InlineData("{|#0:Worker.Join(100)|};", "Worker")]
    [InlineData("{|#0:_workers[0].Join(100)|};", "_workers[0]")]
    [InlineData("{|#0:Thread.CurrentThread.Join(100)|};", "Thread.CurrentThread")]
    [InlineData("t?{|#0:.Join(100)|};", "t")]
    [InlineData("this?._worker?{|#0:.Join(100)|};", "this?._worker")]
    [InlineData("this?{|#0:._worker.Join(100)|};", "this?._worker")]
    [InlineData("var local = new Thread(() => { }); local.Start(); {|#0:local.Join(100)|};", "local")]
    [InlineData("foreach (var w in _workers) {|#0:w.Join(100)|};", "w")]
    [InlineData("Action wait = () => {|#0:t.Join(100)|};", "t")]
    [InlineData("Action wait = () => { {|#0:t.Join(100)|}; };", "t")]
    [InlineData("for (var i = 0; i < 3; {|#0:t.Join(10)|}) { i++; }", "t")]
    public Task IgnoredTimedJoinIsFlagged(string statement, string thread) =>
        Verify.Diagnostic(InMethod(statement), Verify.Expect("THR008").WithArguments(thread));

    [Fact]
    public Task FlaggedInEveryKindOfMember() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            readonly Thread _worker = new Thread(() => { });

            C() => {|#0:_worker.Join(10)|};

            void Stop() => {|#1:_worker.Join(TimeSpan.FromSeconds(1))|};

            async Task StopAsync()
            {
                await Task.Yield();
                {|#2:_worker.Join(10)|};
                void Local() => {|#3:_worker.Join(10)|};
                Local();
            }

            int Count
            {
                set { {|#4:_worker.Join(value)|}; }
            }
        }
        """,
        Verify.Expect("THR008", 0).WithArguments("_worker"),
        Verify.Expect("THR008", 1).WithArguments("_worker"),
        Verify.Expect("THR008", 2).WithArguments("_worker"),
        Verify.Expect("THR008", 3).WithArguments("_worker"),
        Verify.Expect("THR008", 4).WithArguments("_worker"));

    [Fact]
    public Task FlaggedInTopLevelStatements()
    {
        var test = new Verifier<ThreadingAnalyzers.Rules.THR008IgnoredJoinResultAnalyzer, EmptyCodeFixProvider>.Test
        {
            TestCode = """
                using System.Threading;

                var worker = new Thread(() => Thread.Sleep(50));
                worker.Start();
                {|#0:worker.Join(1000)|};
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR008").WithArguments("worker"));
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("if (!t.Join(100)) { Console.WriteLine(\"still running\"); }")]
    [InlineData("var finished = t.Join(100);")]
    [InlineData("bool finished; finished = t.Join(timeout);")]
    [InlineData("_ = t.Join(100);")]
    [InlineData("Console.WriteLine(t.Join(100));")]
    [InlineData("while (!t.Join(100)) { }")]
    [InlineData("var both = t.Join(100) && _worker.Join(100);")]
    [InlineData("var maybe = t?.Join(100);")]
    [InlineData("Func<bool> wait = () => t.Join(100);")]
    [InlineData("Func<int, bool> wait = t.Join;")]
    [InlineData("Action<int> wait = ms => _ = t.Join(ms);")]
    [InlineData("t.Join();")]
    [InlineData("_worker.Join();")]
    [InlineData("t?.Join();")]
    [InlineData("t.Join(Timeout.Infinite);")]
    [InlineData("t.Join(-1);")]
    [InlineData("t.Join(System.Threading.Timeout.Infinite);")]
    [InlineData("t.Join(Timeout.InfiniteTimeSpan);")]
    [InlineData("System.Threading.Tasks.Task.Delay(10).Wait(100);")]
    [InlineData("new ManualResetEventSlim().Wait(100);")]
    [InlineData("new Barrier(1).SignalAndWait(100);")]
    [InlineData("string.Join(\",\", new[] { \"a\" });")]
    [InlineData("var text = nameof(t.Join);")]
    public Task SilentWhenTheResultIsUsedOrThereIsNone(string statement) =>
        Verify.Diagnostic(InMethod(statement));

    [Fact]
    public Task ReturnedResultIsUsed() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            bool Stop(Thread t) => t.Join(100);

            bool StopAll(Thread a, Thread b)
            {
                return a.Join(100) & b.Join(100);
            }
        }
        """);

    [Fact]
    public Task SilentOnUserTypeNamedThread() => Verify.Diagnostic("""
        namespace Mine
        {
            class Thread
            {
                public bool Join(int milliseconds) => true;
            }

            class C
            {
                void M(Thread t) => t.Join(100);
            }
        }
        """);

    [Fact]
    public Task SilentOnJoinExtensionAndOtherJoins() => Verify.Diagnostic("""
        using System.Threading;
        static class ThreadExtensions
        {
            public static bool Join(this Thread thread, string reason) => thread.Join(100);
        }

        class Worker
        {
            public bool Join(int milliseconds) => true;
        }

        class C
        {
            void M(Thread t, Worker w)
            {
                t.Join("stopping");
                w.Join(100);
            }
        }
        """);

    [Theory]
    [InlineData("t.Join(100)")]
    [InlineData("t.Join(100")]
    [InlineData("t.Join(unknown);")]
    [InlineData("t.Join(100, 200);")]
    [InlineData("t.Join(\"100\");")]
    [InlineData("missing.Join(100);")]
    [InlineData("t.Join(100); t.")]
    public Task SilentInBrokenCode(string statement) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                {{statement}}
            }
        }
        """);
}
