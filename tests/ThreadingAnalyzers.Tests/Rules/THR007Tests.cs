using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR007BusyWaitOnThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR007BusyWaitOnThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR007Tests
{
    private const string Key = "THR007.Join";

    private static string InMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        class C
        {
            Thread _worker = new Thread(() => { });
            static Thread s_worker = new Thread(() => { });
            Queue<int> _queue = new Queue<int>();

            void M(Thread t, Thread u, Thread[] all)
            {
                {{body}}
            }

            void Handle() { }
        }
        """;

    [Theory]
    [InlineData("while ({|#0:t.IsAlive|}) { }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) ;", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) Thread.Sleep(10);", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Thread.Sleep(TimeSpan.FromMilliseconds(5)); }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Thread.Yield(); }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Thread.SpinWait(20); Thread.Sleep(0); }", "t.IsAlive")]
    [InlineData("var spinner = new SpinWait(); while ({|#0:t.IsAlive|}) { spinner.SpinOnce(); }", "t.IsAlive")]
    [InlineData("while ({|#0:t.ThreadState != ThreadState.Stopped|}) Thread.Sleep(1);", "t.ThreadState != ThreadState.Stopped")]
    [InlineData("while ({|#0:ThreadState.Stopped != t.ThreadState|}) { }", "ThreadState.Stopped != t.ThreadState")]
    [InlineData("while ({|#0:(t.ThreadState & ThreadState.Stopped) == 0|}) { }", "(t.ThreadState & ThreadState.Stopped) == 0")]
    [InlineData("while ({|#0:t.ThreadState == ThreadState.Running|}) { }", "t.ThreadState == ThreadState.Running")]
    [InlineData("while ({|#0:(t.ThreadState & ThreadState.Stopped) != ThreadState.Stopped|}) { }", "(t.ThreadState & ThreadState.Stopped) != ThreadState.Stopped")]
    [InlineData("while ({|#0:t.ThreadState == ThreadState.Running || t.ThreadState == ThreadState.WaitSleepJoin|}) Thread.Sleep(1);", "t.ThreadState == ThreadState.Running || t.ThreadState == ThreadState.WaitSleepJoin")]
    [InlineData("do { Thread.Sleep(10); } while ({|#0:t.IsAlive|});", "t.IsAlive")]
    [InlineData("while ({|#0:(t.IsAlive)|}) { }", "(t.IsAlive)")]
    [InlineData("while ({|#0:t.IsAlive || u.IsAlive|}) Thread.Sleep(10);", "t.IsAlive || u.IsAlive")]
    [InlineData("while ({|#0:_worker.IsAlive|}) { }", "_worker.IsAlive")]
    [InlineData("while ({|#0:all[0].IsAlive|}) { }", "all[0].IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Console.WriteLine(\"waiting\"); Thread.Sleep(100); }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Thread.Sleep(10); count++; }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { Console.Write($\"{count * 10}%\"); count += 10; Thread.Sleep(500); }", "t.IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { System.Diagnostics.Debug.WriteLine(\"still running\"); Thread.Sleep(500); }", "t.IsAlive")]
    [InlineData("do { Console.Write(\".\"); Thread.Sleep(500); } while ({|#0:t.IsAlive|});", "t.IsAlive")]
    [InlineData("while ({|#0:(t.ThreadState & (ThreadState.Stopped | ThreadState.Unstarted)) == 0|}) Thread.Sleep(1);", "(t.ThreadState & (ThreadState.Stopped | ThreadState.Unstarted)) == 0")]
    [InlineData("while ({|#0:all.Any(x => x.IsAlive)|}) Thread.Sleep(10);", "all.Any(x => x.IsAlive)")]
    [InlineData("while ({|#0:!all.All(x => !x.IsAlive)|}) { }", "!all.All(x => !x.IsAlive)")]
    [InlineData("while ({|#0:all.Any(x => x.ThreadState != ThreadState.Stopped)|}) { }", "all.Any(x => x.ThreadState != ThreadState.Stopped)")]
    public Task PollingLoopsAreFlagged(string statement, string condition) =>
        Verify.Diagnostic(InMethod("var count = 0; " + statement), Verify.Expect("THR007").WithArguments(condition));

    [Theory]
    [InlineData("while (t.IsAlive) { if (_queue.Count > 0) _queue.Dequeue(); }")]
    [InlineData("while (!t.IsAlive) { Thread.Sleep(1); }")]
    [InlineData("while (t.ThreadState == ThreadState.Unstarted) { }")]
    [InlineData("while (t.ThreadState != ThreadState.Running) { }")]
    [InlineData("while ((t.ThreadState & ThreadState.Stopped) == ThreadState.Stopped) { }")]
    [InlineData("while (t.ThreadState == ThreadState.Stopped) { }")]
    [InlineData("while (t.IsAlive && count < 10) { Thread.Sleep(1); }")]
    [InlineData("while (t.IsAlive && u.IsAlive) { }")]
    [InlineData("while (t.IsBackground) { }")]
    [InlineData("for (; t.IsAlive; ) { }")]
    [InlineData("while (t.IsAlive) { var n = 1; }")]
    [InlineData("while (Thread.CurrentThread.IsAlive) { Thread.Sleep(10); }")]
    [InlineData("if (t.IsAlive) { Thread.Sleep(10); }")]
    [InlineData("while (t.IsAlive) { t.Join(10); }")]
    [InlineData("while (t.IsAlive) { Console.WriteLine(_queue.Dequeue()); Thread.Sleep(10); }")]
    [InlineData("while (t.IsAlive) { Console.Write(\".\"); if (count++ > 10) break; Thread.Sleep(10); }")]
    [InlineData("while (t.IsAlive) { Handle(); Thread.Sleep(10); }")]
    [InlineData("while (t.IsAlive) { _worker.Interrupt(); }")]
    [InlineData("while (all.Any(x => x.IsAlive && x.IsBackground)) { }")]
    [InlineData("while (all.All(x => x.IsAlive)) { }")]
    [InlineData("while (all.Any(x => !x.IsAlive)) { }")]
    [InlineData("while (all.Any(x => t.IsAlive)) { }")]
    public Task LoopsThatDoMoreThanWaitAreNotFlagged(string statement) =>
        Verify.Diagnostic(InMethod("var count = 0; " + statement));

    [Fact]
    public Task UserTypeWithIsAliveIsNotFlagged() => Verify.Diagnostic("""
        class Worker
        {
            public bool IsAlive { get; set; }
            public int ThreadState { get; set; }
        }

        class Thread
        {
            public bool IsAlive => false;
        }

        class C
        {
            void M(Worker w, Thread t)
            {
                while (w.IsAlive) { System.Threading.Thread.Sleep(10); }
                while (w.ThreadState != 16) { }
                while (t.IsAlive) { }
            }
        }
        """);

    [Fact]
    public Task AsyncPollingIsNotFlagged() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M(Thread t)
            {
                while (t.IsAlive)
                {
                    await Task.Delay(10);
                }
            }
        }
        """);

    [Fact]
    public Task FixReplacesTheLoopWithJoin() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.Start();
                // wait for the worker
                while ({|#0:worker.IsAlive|})
                {
                    Thread.Sleep(10);
                }
                System.Console.WriteLine("done");
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.Start();
                // wait for the worker
                worker.Join();
                System.Console.WriteLine("done");
            }
        }
        """, Key, Verify.Expect("THR007").WithArguments("worker.IsAlive"));

    [Fact]
    public Task FixReplacesDoWhileAndThreadStateLoops() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private Thread _worker;
            private static Thread s_other;

            void M(Thread t)
            {
                do
                {
                    Thread.Yield();
                }
                while ({|#0:this._worker.IsAlive|});
                while ({|#1:s_other.ThreadState != ThreadState.Stopped|}) Thread.Sleep(5);
                while ({|#2:(t.ThreadState & ThreadState.Stopped) == 0|}) { }
                while ({|#3:(t.ThreadState & ThreadState.Stopped) != ThreadState.Stopped|}) { }
                while ({|#4:t.ThreadState != System.Threading.ThreadState.Stopped|}) { }
            }
        }
        """, """
        using System.Threading;
        class C
        {
            private Thread _worker;
            private static Thread s_other;

            void M(Thread t)
            {
                this._worker.Join();
                s_other.Join();
                t.Join();
                t.Join();
                t.Join();
            }
        }
        """, Key,
        Verify.Expect("THR007", 0).WithArguments("this._worker.IsAlive"),
        Verify.Expect("THR007", 1).WithArguments("s_other.ThreadState != ThreadState.Stopped"),
        Verify.Expect("THR007", 2).WithArguments("(t.ThreadState & ThreadState.Stopped) == 0"),
        Verify.Expect("THR007", 3).WithArguments("(t.ThreadState & ThreadState.Stopped) != ThreadState.Stopped"),
        Verify.Expect("THR007", 4).WithArguments("t.ThreadState != System.Threading.ThreadState.Stopped"));

    [Fact]
    public Task FixJoinsEveryPolledThread() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M(Thread a, Thread b, bool wait)
            {
                while ({|#0:a.IsAlive || b.IsAlive || a.IsAlive|})
                {
                    Thread.Sleep(10);
                }

                if (wait)
                    while ({|#1:a.IsAlive || b.IsAlive|}) ;
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M(Thread a, Thread b, bool wait)
            {
                a.Join();
                b.Join();

                if (wait)
                {
                    a.Join();
                    b.Join();
                }
            }
        }
        """, Key,
        Verify.Expect("THR007", 0).WithArguments("a.IsAlive || b.IsAlive || a.IsAlive"),
        Verify.Expect("THR007", 1).WithArguments("a.IsAlive || b.IsAlive"));

    [Fact]
    public Task FixInTopLevelStatements() => Verify.Fix("""
        using System.Threading;

        var a = new Thread(() => { });
        var b = new Thread(() => { });
        a.Start();
        b.Start();
        while ({|#0:a.IsAlive || b.IsAlive|}) Thread.Sleep(1);
        System.Console.WriteLine("done");
        """, """
        using System.Threading;

        var a = new Thread(() => { });
        var b = new Thread(() => { });
        a.Start();
        b.Start();
        a.Join();
        b.Join();
        System.Console.WriteLine("done");
        """, Key, Verify.Expect("THR007").WithArguments("a.IsAlive || b.IsAlive"));

    [Fact]
    public Task FixJoinsWithTheIntervalAndKeepsTheProgress() => Verify.Fix("""
        using System;
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                // wait and show it
                while ({|#0:t.IsAlive|}) { Console.Write("."); Thread.Sleep(500); }
                while ({|#1:t.IsAlive|})
                {
                    Console.Write("-");
                    Console.Write("+");
                    Thread.Sleep(TimeSpan.FromSeconds(1));
                }
            }
        }
        """, """
        using System;
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                // wait and show it
                while (!t.Join(500))
                    Console.Write(".");
                while (!t.Join(TimeSpan.FromSeconds(1)))
                {
                    Console.Write("-");
                    Console.Write("+");
                }
            }
        }
        """, Key,
        Verify.Expect("THR007", 0).WithArguments("t.IsAlive"),
        Verify.Expect("THR007", 1).WithArguments("t.IsAlive"));

    [Fact]
    public Task FixJoinsEachThreadOfACollection() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        class C
        {
            void M(List<Thread> workers)
            {
                while ({|#0:workers.Any(w => w.IsAlive)|}) Thread.Sleep(10);
                do { } while ({|#1:!workers.All(w => !w.IsAlive)|});
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        class C
        {
            void M(List<Thread> workers)
            {
                foreach (var w in workers)
                    w.Join();
                foreach (var w in workers)
                    w.Join();
            }
        }
        """, Key,
        Verify.Expect("THR007", 0).WithArguments("workers.Any(w => w.IsAlive)"),
        Verify.Expect("THR007", 1).WithArguments("!workers.All(w => !w.IsAlive)"));

    [Theory]
    [InlineData("while ({|#0:all[0].IsAlive|}) { }", "all[0].IsAlive")]
    [InlineData("while ({|#0:Get().IsAlive|}) Thread.Sleep(1);", "Get().IsAlive")]
    [InlineData("while ({|#0:t.ThreadState == ThreadState.Running|}) { }", "t.ThreadState == ThreadState.Running")]
    [InlineData("while ({|#0:t.IsAlive || Get().IsAlive|}) { }", "t.IsAlive || Get().IsAlive")]
    [InlineData("while ({|#0:t.ThreadState == ThreadState.WaitSleepJoin|}) { }", "t.ThreadState == ThreadState.WaitSleepJoin")]
    [InlineData("while ({|#0:(t.ThreadState & (ThreadState.Stopped | ThreadState.Unstarted)) == 0|}) { }", "(t.ThreadState & (ThreadState.Stopped | ThreadState.Unstarted)) == 0")]
    [InlineData("while ({|#0:t.IsAlive || all[0].IsAlive|}) { System.Console.Write(1); Thread.Sleep(1); }", "t.IsAlive || all[0].IsAlive")]
    [InlineData("while ({|#0:t.IsAlive|}) { System.Console.Write(1); Thread.Sleep(1); Thread.Sleep(2); }", "t.IsAlive")]
    [InlineData("var x = 0; while ({|#0:System.Linq.Enumerable.Any(all, x => x.IsAlive)|}) { }", "System.Linq.Enumerable.Any(all, x => x.IsAlive)")]
    public Task NoFixWhereJoinWouldChangeTheMeaning(string statement, string condition) => Verify.NoFix($$"""
        using System.Threading;
        class C
        {
            Thread Get() => new Thread(() => { });

            void M(Thread t, Thread[] all)
            {
                {{statement}}
            }
        }
        """, Key, Verify.Expect("THR007").WithArguments(condition));

    [Theory]
    [InlineData("while (t.IsAlive) { Thread.Sleep(; }")]
    [InlineData("while (t.IsAlive")]
    [InlineData("while (unknown.IsAlive) { }")]
    [InlineData("while (t.IsAlive) { Thread.Sleep(missing); }")]
    [InlineData("while (t.ThreadState != ThreadState.Missing) { }")]
    public Task SilentOnBrokenCode(string statement) => Verify.NoDiagnosticInBrokenCode($$"""
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
