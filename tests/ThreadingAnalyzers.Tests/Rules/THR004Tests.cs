using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using static ThreadingAnalyzers.Tests.Rules.THR004Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR004CpuBoundDedicatedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR004CpuBoundDedicatedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR004 reports: dedicated threads for finite CPU-bound work, and the bodies that stay silent (I/O, blocking, endless loops, thread settings the pool cannot give).</summary>
public class THR004Tests
{
    public static TheoryData<string, string, string> FlaggedForms => new()
    {
        // A loop in the lambda itself.
        { "var t = {|#0:new Thread(() => { for (var i = 0; i < data.Length; i++) _sum += data[i]; })|}; t.Start(); t.Join();", "t", "Task.Run" },
        // The lambda calls a method with a loop.
        { "var worker = {|#0:new Thread(() => Sum(data))|}; worker.Start(); worker.Join();", "worker", "Task.Run" },
        // Recursion, no loop.
        { "var t = {|#0:new Thread(() => Fib(30))|}; t.Start(); t.Join();", "t", "Task.Run" },
        // A method group whose loop is two calls deep.
        { "var t = {|#0:new Thread(Run)|}; t.Start(); t.Join();", "t", "Task.Run" },
        // Explicit ThreadStart around a method group.
        { "var t = {|#0:new Thread(new ThreadStart(Run))|}; t.Start(); t.Join();", "t", "Task.Run" },
        // ParameterizedThreadStart with Start(arg).
        { "var t = {|#0:new Thread(Work)|}; t.Start(1000); t.Join();", "t", "Task.Run" },
        // IsBackground and Name do not silence: pool threads are background and the name is only for diagnostics.
        { "var t = {|#0:new Thread(Run) { IsBackground = true, Name = \"sum\" }|}; t.Start(); t.Join();", "t", "Task.Run" },
        { "var t = {|#0:new Thread(Run)|}; t.IsBackground = true; t.Name = \"sum\"; t.Start();", "t", "Task.Run" },
        // Started inline: nothing can join it, the message still names the pool.
        { "{|#0:new Thread(() => Sum(data))|}.Start();", "new Thread(...)", "Task.Run" },
        // A local reassigned to a thread.
        { "Thread t; t = {|#0:new Thread(Run)|}; t.Start(); t.Join();", "t", "Task.Run" },
        // A local function body.
        { "var t = {|#0:new Thread(Local)|}; t.Start(); t.Join(); void Local() { while (n > 0) n--; }", "t", "Task.Run" },
        // Look-alikes of blocking calls: string.Join, LINQ Take, Thread.SpinWait and a call through an interface.
        { "var t = {|#0:new Thread(() => { var parts = new List<string>(); for (var i = 0; i < n; i++) parts.Add(string.Join(\",\", data.Take(i))); })|}; t.Start(); t.Join();", "t", "Task.Run" },
        { "var t = {|#0:new Thread(() => { while (n-- > 0) Thread.SpinWait(10); })|}; t.Start(); t.Join();", "t", "Task.Run" },
        { "IComparer<int> comparer = Comparer<int>.Default; var t = {|#0:new Thread(() => { for (var i = 1; i < data.Length; i++) comparer.Compare(data[i - 1], data[i]); })|}; t.Start(); t.Join();", "t", "Task.Run" },
        // A finite loop whose condition reads a field that the loop writes.
        { "var t = {|#0:new Thread(() => { while (_sum < 1000) _sum++; })|}; t.Start(); t.Join();", "t", "Task.Run" },
        // Threads created in a for loop and joined later: partitioned work.
        { "var threads = new Thread[4]; for (var i = 0; i < 4; i++) { var p = i; threads[i] = {|#0:new Thread(() => SumRange(data, p * 10, p * 10 + 10))|}; threads[i].Start(); } foreach (var t in threads) t.Join();", "threads[i]", "Parallel.For" },
        // The same in a loop that does not match the fix exactly still calls for Parallel.For.
        { "var threads = new List<Thread>(); for (var i = 0; i < 4; i++) { var t = {|#0:new Thread(() => Sum(data))|}; threads.Add(t); t.Start(); Console.Write(i); } foreach (var t in threads) t.Join();", "t", "Parallel.For" },
        // Joined in the same iteration: one Task.Run at a time.
        { "for (var i = 0; i < 4; i++) { var t = {|#0:new Thread(() => Sum(data))|}; t.Start(); t.Join(); }", "t", "Task.Run" },
    };

    [Theory]
    [MemberData(nameof(FlaggedForms))]
    public Task FlagsFiniteCpuBoundBodies(string body, string name, string replacement) =>
        Verify.Diagnostic(InMethod(body), Verify.Expect("THR004").WithArguments(name, replacement));

    public static TheoryData<string> SilentForms => new()
    {
        // I/O in the body.
        "var t = new Thread(() => { foreach (var line in System.IO.File.ReadLines(\"a.txt\")) _sum += line.Length; }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) Console.WriteLine(i); }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) Log(i); }); t.Start(); t.Join();",
        "var t = new Thread(() => { using var client = new System.Net.Http.HttpClient(); for (var i = 0; i < n; i++) client.GetStringAsync(\"http://x\").Wait(); }); t.Start(); t.Join();",
        // Blocking and waiting calls, also in methods the body calls.
        "var t = new Thread(() => { for (var i = 0; i < n; i++) Thread.Sleep(10); }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) Pause(); }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) _ready.WaitOne(); }); t.Start(); t.Join();",
        "var t = new Thread(() => { lock (_ready) { while (n > 0) { Monitor.Wait(_ready); n--; } } }); t.Start(); t.Join();",
        "var t = new Thread(async () => { for (var i = 0; i < n; i++) await System.Threading.Tasks.Task.Yield(); }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) { var result = System.Threading.Tasks.Task.FromResult(i).Result; } }); t.Start(); t.Join();",
        // Endless worker loops: on a blocking queue, on a stop flag, while (true), for (;;).
        "var t = new Thread(() => { foreach (var item in _queue.GetConsumingEnumerable()) _sum += item; }); t.Start(); t.Join();",
        "var t = new Thread(() => { while (true) { var item = _queue.Take(); _sum += item; } }); t.Start(); t.Join();",
        "var t = new Thread(() => { while (!_stop) { _sum++; } }); t.Start(); t.Join();",
        "var t = new Thread(() => { while (!_token.IsCancellationRequested) { _sum++; } }); t.Start(); t.Join();",
        "var t = new Thread(() => { while (true) { if (++_sum > 1000) break; } }); t.Start(); t.Join();",
        "var t = new Thread(() => { for (;;) { _sum++; } }); t.Start(); t.Join();",
        // What the pool cannot give: priority, apartment state, a stack size; also when set by the body on its own thread.
        "var t = new Thread(() => Sum(data)); t.Priority = ThreadPriority.Highest; t.Start(); t.Join();",
        "var t = new Thread(() => Sum(data)) { Priority = ThreadPriority.BelowNormal }; t.Start(); t.Join();",
        "var t = new Thread(() => Sum(data)); t.SetApartmentState(ApartmentState.STA); t.Start(); t.Join();",
        "var t = new Thread(() => Sum(data)); t.TrySetApartmentState(ApartmentState.STA); t.Start(); t.Join();",
        "var t = new Thread(() => Sum(data), 16 * 1024 * 1024); t.Start(); t.Join();",
        "var t = new Thread(() => { Thread.CurrentThread.Priority = ThreadPriority.Lowest; Sum(data); }); t.Start(); t.Join();",
        "var threads = new Thread[2]; for (var i = 0; i < 2; i++) { threads[i] = new Thread(() => Sum(data)); } foreach (var t in threads) { t.Priority = ThreadPriority.Highest; t.Start(); }",
        "var threads = new List<Thread>(); threads.Add(new Thread(() => Sum(data))); threads.ForEach(t => t.Priority = ThreadPriority.Highest);",
        // The thread goes where it could be configured unseen.
        "var t = new Thread(() => Sum(data)); Configure(t); t.Start();",
        "_public = new Thread(() => Sum(data)); _public.Start();",
        "var threads = Existing(); threads.Add(new Thread(() => Sum(data)));",
        // No loop, no recursion: too little work to matter.
        "var t = new Thread(() => _sum += data[0]); t.Start(); t.Join();",
        "var t = new Thread(() => Console.Beep()); t.Start(); t.Join();",
        "var t = new Thread(() => { for (var i = 0; i < n; i++) SpinWait.SpinUntil(() => _stop); }); t.Start(); t.Join();",
        // A body whose code cannot be seen.
        "var t = new Thread(GC.Collect); t.Start(); t.Join();",
        "ThreadStart work = GetWork(); var t = new Thread(work); t.Start(); t.Join();",
        // Already on the pool.
        "System.Threading.Tasks.Task.Run(() => Sum(data)).Wait();",
        "System.Threading.Tasks.Parallel.For(0, n, i => Sum(data));",
    };

    private const string SilentMembers = """
            private readonly AutoResetEvent _ready = new AutoResetEvent(false);
            private readonly System.Collections.Concurrent.BlockingCollection<int> _queue = new();
            private readonly CancellationToken _token = default;
            public Thread? _public;
            static void Log(int i) => Console.Out.WriteLine(i);
            static void Pause() => Thread.Sleep(1);
            static void Configure(Thread t) => t.Priority = ThreadPriority.Highest;
            static List<Thread> Existing() => new();
            static ThreadStart GetWork() => Run;
        """;

    [Theory]
    [MemberData(nameof(SilentForms))]
    public Task StaysSilent(string body) => Verify.Diagnostic(InMethod(body, SilentMembers));

    [Fact]
    public Task UserTypeNamedThread() => Verify.Diagnostic("""
        class Thread
        {
            public Thread(System.Action body) { }
            public void Start() { }
        }
        class C
        {
            void M()
            {
                var t = new Thread(() => { for (var i = 0; i < 10; i++) { } });
                t.Start();
            }
        }
        """);

    [Fact]
    public Task ThreadsInNestedTypesAreReportedOnceEach() => Verify.Diagnostic("""
        using System.Threading;
        class Outer
        {
            private Thread _outerWorker;
            public void Start()
            {
                var t = {|#0:new Thread(Count)|};
                t.Start();
                t.Join();
            }
            static void Count() { var sum = 0L; for (var i = 0; i < 1000; i++) sum += i; }
            class Inner
            {
                private Thread _innerWorker;
                public void Start()
                {
                    _innerWorker = {|#1:new Thread(Count)|};
                    _innerWorker.Start();
                    var local = {|#2:new Thread(() => Count())|};
                    local.Start();
                    local.Join();
                }
                public void Stop() => _innerWorker.Join();
            }
        }
        """,
        Verify.Expect("THR004", 0).WithArguments("t", "Task.Run"),
        Verify.Expect("THR004", 1).WithArguments("_innerWorker", "Task.Run"),
        Verify.Expect("THR004", 2).WithArguments("local", "Task.Run"));

    [Fact]
    public Task PrivateFieldThread() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private Thread _worker;
            private Thread _configured;
            private readonly Thread _initialized = {|#1:new Thread(Count)|};
            public void Start()
            {
                _initialized.Start();
                _worker = {|#0:new Thread(Count)|};
                _worker.Start();
                _configured = new Thread(Count);
                _configured.Start();
            }
            public void Boost() => _configured.Priority = ThreadPriority.Highest;
            public void Stop() => _worker.Join();
            static void Count() { var sum = 0L; for (var i = 0; i < 1000; i++) sum += i; }
        }
        """, Verify.Expect("THR004", 0).WithArguments("_worker", "Task.Run"), Verify.Expect("THR004", 1).WithArguments("_initialized", "Task.Run"));

    [Fact]
    public Task CreationInAPartWhoseFileNeverNamesThread()
    {
        // Worker.Run.cs creates the thread with a target-typed new(: only the other part's file names Thread.
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    ("Worker.cs", """
                        using System.Threading;
                        partial class Worker
                        {
                            private Thread _thread;
                            public void Stop() => _thread.Join();
                        }
                        """),
                    ("Worker.Run.cs", """
                        partial class Worker
                        {
                            public void Start()
                            {
                                _thread = {|#0:new(Count)|};
                                _thread.Start();
                            }

                            static void Count() { var sum = 0L; for (var i = 0; i < 1000; i++) sum += i; }
                        }
                        """),
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR004", 0).WithArguments("_thread", "Task.Run"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task CreationThroughAGlobalAlias()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    ("Usings.cs", "global using Worker = System.Threading.Thread;"),
                    ("C.cs", """
                        class C
                        {
                            void M()
                            {
                                var t = {|#0:new Worker(Count)|};
                                t.Start();
                                t.Join();
                            }

                            static void Count() { var sum = 0L; for (var i = 0; i < 1000; i++) sum += i; }
                        }
                        """),
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR004", 0).WithArguments("t", "Task.Run"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task TopLevelStatementsSeeLaterConfiguration()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;
                var flagged = {|#0:new Thread(Count)|};
                flagged.Start();
                var boosted = new Thread(Count);
                boosted.Start();
                flagged.Join();
                boosted.Priority = ThreadPriority.Highest;
                boosted.Join();
                static void Count() { var s = 0; for (var i = 0; i < 1000; i++) s += i; }
                """,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Verify.Expect("THR004").WithArguments("flagged", "Task.Run"));
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("var t = new Thread(() => { for (var i = 0; i < n; i++) Sum(data) });")]
    [InlineData("var t = new Thread(() => { for (var i = 0; i < n; i++) Missing(i); }); t.Start();")]
    [InlineData("var t = new Thread(() => { for (var i = 0; i < n; i++) _sum += i; }")]
    [InlineData("var t = new Thread(; t.Start();")]
    [InlineData("var t = new Thread(Undefined); t.Start(); t.Join();")]
    [InlineData("var t = new Thread(() => { while (n > ) { } }); t.Start();")]
    public Task HalfTypedCode(string body) => Verify.NoDiagnosticInBrokenCode(InMethod(body));

    [Fact]
    public Task HalfTypedClass() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading;
        class C
        {
            Thread field = new Thread(;
            void M(Unknown u)
            {
                var t = new Thread(() => { for (var i = 0; i < 10; i++) u. });
                t.Start(
                field.IsBackground = ;
                new Thread(Missing).Start();
                var threads = new Thread[4];
                for (var i = 0; i < 4; i++) { threads[i] = new Thread(() => { while (i < ) { } }); threads[i].Start(); }
            }
        """);
}
