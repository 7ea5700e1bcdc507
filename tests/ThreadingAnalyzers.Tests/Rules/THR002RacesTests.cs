using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 on the races real projects fixed: each report with its start site and the other access as related locations.</summary>
public class THR002RacesTests
{
    private const string StarterReads = "the starting code reads it at line {0} while that code may still run";

    // ---- The starting thread's own reads ----

    [Fact]
    public Task StarterPrintsACounterTheTaskIncrements() => Verify.Diagnostic("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            static async Task M()
            {
                var n = 0;
                var task = {|#1:Task.Run(() => {|#0:n++|})|};
                Console.WriteLine({|#2:n|});
                await task;
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("n", "incremented", "Task.Run", "8", string.Format(StarterReads, 9)));

    [Fact]
    public Task StarterUsesAFieldTheThreadFillsBeforeJoiningIt() => Verify.Diagnostic("""
        using System.Threading;
        class Loader
        {
            string _data;
            void M()
            {
                var thread = {|#1:new Thread(() => {|#0:_data = Load()|})|};
                thread.Start();
                Use({|#2:_data|});
                thread.Join();
            }
            static string Load() => "x";
            static void Use(string s) { }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("_data", "assigned", "new Thread", "7", string.Format(StarterReads, 9)));

    [Fact]
    public Task StarterReadsBeforeTheStartOrAfterTheWaitAreSilent() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            string _data;
            async Task AfterAwait()
            {
                var n = 0;
                var task = Task.Run(() => n++);
                await task;
                Console.WriteLine(n);
            }
            void BeforeStartAfterJoin()
            {
                var thread = new Thread(() => _data = Load());
                Use(_data);
                thread.Start();
                thread.Join();
                Use(_data);
            }
            void AfterWait()
            {
                var total = 0;
                var task = Task.Run(() => { total += 2; });
                task.Wait();
                Console.WriteLine(total);
            }
            static string Load() => "x";
            static void Use(string s) { }
        }
        """);

    [Fact]
    public Task StarterPollingForTheValueInALoopIsLeftToTheBusyWaitRule() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static void M()
            {
                var ready = 0;
                var task = Task.Run(() => { ready = Compute(); });
                while (ready == 0)
                {
                    Thread.Sleep(1);
                }

                task.Wait();
            }
            static int Compute() => 1;
        }
        """);

    // ---- Two different bodies, one target ----

    [Fact]
    public Task AThreadAndATaskOfOneMethodBothWriteACapturedLocal() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static int M()
            {
                var last = 0;
                var thread = {|#2:new Thread(() => { {|#0:last += 1|}; })|};
                thread.Start();
                var task = {|#3:Task.Run(() => { {|#1:last += 2|}; })|};
                task.Wait();
                thread.Join();
                return last;
            }
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithLocation(1)
            .WithArguments("last", "incremented", "new Thread", "8", "code started with Task.Run (line 10) also writes it at line 10"),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0)
            .WithArguments("last", "incremented", "Task.Run", "10", "code started with new Thread (line 8) also writes it at line 8"));

    [Fact]
    public Task ATimerCallbackAndAPoolItemOfOneInstanceBothWriteAField() => Verify.Diagnostic("""
        using System.Threading;
        class Poller
        {
            private readonly Timer _timer;
            private int _checks;
            public Poller() => _timer = {|#2:new Timer(_ => { {|#0:_checks++|}; }, null, 1000, Timeout.Infinite)|};
            public void CheckNow() => {|#3:ThreadPool.QueueUserWorkItem(_ => { {|#1:_checks++|}; })|};
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithLocation(1)
            .WithArguments("_checks", "incremented", "new Timer", "6", "code started with ThreadPool.QueueUserWorkItem (line 7) also writes it at line 7"),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0)
            .WithArguments("_checks", "incremented", "ThreadPool.QueueUserWorkItem", "7", "code started with new Timer (line 6) also writes it at line 6"));

    [Fact]
    public Task BodiesOfTwoMembersThatAreWaitedForOrLockedOrTouchOtherFieldsAreSilent() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Worker
        {
            private readonly object _gate = new object();
            private int _a;
            private int _b;
            private int _c;
            public void First() => ThreadPool.QueueUserWorkItem(_ => { _a++; lock (_gate) { _c++; } });
            public void Second() => ThreadPool.QueueUserWorkItem(_ => { _b++; lock (_gate) { _c++; } });
            public void Waited() => Task.Run(() => { _a = 3; }).Wait();
            public static void Elsewhere(Worker other) => ThreadPool.QueueUserWorkItem(_ => { other._b = 1; });
        }
        """);
}
