using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using ThreadingAnalyzers.CodeFixes;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR004CpuBoundDedicatedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR004CpuBoundDedicatedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR004Tests
{
    private const string TaskRun = THR004CpuBoundDedicatedThreadCodeFix.UseTaskRunKey;
    private const string ParallelFor = THR004CpuBoundDedicatedThreadCodeFix.UseParallelForKey;

    /// <summary>A class whose method M holds <paramref name="body"/>, with CPU-bound and blocking helpers to call.</summary>
    private static string InMethod(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        class C
        {
            private long _sum;
            private volatile bool _stop;
        {{members}}
            void M(int[] data, int n)
            {
        {{body}}
            }
            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
            static long SumRange(int[] data, int from, int to) { long s = 0; for (var i = from; i < to; i++) s += data[i]; return s; }
            static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
            static void Run() => Step();
            static void Step() { var s = 0.0; for (var i = 0; i < 1000; i++) s += Math.Sqrt(i); }
            static void Work(object? state) { var n = (int)state!; var s = 0; for (var i = 0; i < n; i++) s += i; }
        }
        """;

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

    [Fact]
    public Task FixStartedAndJoinedThreadWithTaskRun() => Verify.Fix("""
        using System.Threading;

        class C
        {
            void M(int[] data)
            {
                // Sum on another thread while preparing the rest.
                var t = {|#0:new Thread(() => Sum(data))|};
                t.Start();
                Prepare();
                t.Join();
            }

            void Prepare() { }

            static long Sum(int[] data)
            {
                long s = 0;
                foreach (var x in data) s += x;
                return s;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data)
            {
                // Sum on another thread while preparing the rest.
                var task = Task.Run(() => Sum(data));
                Prepare();
                task.Wait();
            }

            void Prepare() { }

            static long Sum(int[] data)
            {
                long s = 0;
                foreach (var x in data) s += x;
                return s;
            }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("t", "Task.Run"));

    [Fact]
    public Task FixInAsyncMethodAwaitsTheTask() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int[] data)
            {
                var computeThread = {|#0:new Thread(() =>
                {
                    for (var i = 1; i < data.Length; i++)
                    {
                        data[i] += data[i - 1];
                    }
                })|};
                computeThread.Start();
                await Task.Delay(10);
                computeThread.Join();
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int[] data)
            {
                var computeTask = Task.Run(() =>
                {
                    for (var i = 1; i < data.Length; i++)
                    {
                        data[i] += data[i - 1];
                    }
                });
                await Task.Delay(10);
                await computeTask;
            }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("computeThread", "Task.Run"));

    [Fact]
    public Task FixMethodGroupDropsNameAndBackground() => Verify.Fix("""
        using System.Threading;

        class C
        {
            private long _sum;

            void M()
            {
                var worker = {|#0:new Thread(Count) { Name = "counter" }|};
                worker.IsBackground = true;
                worker.Start();
                worker.Join();
            }

            void Count() { for (var i = 0; i < 1000; i++) _sum += i; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private long _sum;

            void M()
            {
                var worker = Task.Run(Count);
                worker.Wait();
            }

            void Count() { for (var i = 0; i < 1000; i++) _sum += i; }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("worker", "Task.Run"));

    [Fact]
    public Task FixParameterizedStartPassesTheArgument() => Verify.Fix("""
        using System.Threading;

        class C
        {
            void M()
            {
                const int limit = 1000;
                var t = {|#0:new Thread(Count)|};
                t.Start(limit);
                t.Join();
            }

            static void Count(object? state) { var s = 0; for (var i = 0; i < (int)state!; i++) s += i; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                const int limit = 1000;
                var task = Task.Run(() => Count(limit));
                task.Wait();
            }

            static void Count(object? state) { var s = 0; for (var i = 0; i < (int)state!; i++) s += i; }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("t", "Task.Run"));

    [Fact]
    public Task FixAllPicksDistinctNames() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] left, int[] right)
            {
                var task = 0;
                var t = {|#0:new Thread(() => Sum(left))|};
                var th = {|#1:new Thread(() => Sum(right))|};
                t.Start();
                th.Start();
                t.Join();
                th.Join();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] left, int[] right)
            {
                var task = 0;
                var task2 = Task.Run(() => Sum(left));
                var task3 = Task.Run(() => Sum(right));
                task2.Wait();
                task3.Wait();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, TaskRun, Verify.Expect("THR004", 0).WithArguments("t", "Task.Run"), Verify.Expect("THR004", 1).WithArguments("th", "Task.Run"));

    [Fact]
    public Task FixThreadsInLoopWithParallelFor() => Verify.Fix("""
        using System.Threading;

        class C
        {
            void M(int[] data, long[] sums)
            {
                var threads = new Thread[4];
                for (int i = 0; i < threads.Length; i++)
                {
                    int index = i;
                    threads[i] = {|#0:new Thread(() => sums[index] = Sum(data, index))|};
                    threads[i].Start();
                }
                foreach (var t in threads)
                {
                    t.Join();
                }
            }

            static long Sum(int[] data, int part) { long s = 0; for (var i = part; i < data.Length; i += 4) s += data[i]; return s; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data, long[] sums)
            {
                Parallel.For(0, 4, index => sums[index] = Sum(data, index));
            }

            static long Sum(int[] data, int part) { long s = 0; for (var i = part; i < data.Length; i += 4) s += data[i]; return s; }
        }
        """, ParallelFor, Verify.Expect("THR004").WithArguments("threads[i]", "Parallel.For"));

    [Fact]
    public Task FixPartitionedListWithParallelFor() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(int[] data, long[] sums, int workers)
            {
                var chunk = data.Length / workers;
                var threads = new List<Thread>();
                for (var p = 0; p < workers; p++)
                {
                    var start = p * chunk;
                    var end = p == workers - 1 ? data.Length : start + chunk;
                    var t = {|#0:new Thread(() =>
                    {
                        long s = 0;
                        for (var i = start; i < end; i++) s += data[i];
                        sums[p] = s;
                    })|};
                    t.IsBackground = true;
                    threads.Add(t);
                    t.Start();
                }

                threads.ForEach(t => t.Join());
                System.Console.WriteLine(sums[0]);
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data, long[] sums, int workers)
            {
                var chunk = data.Length / workers;
                Parallel.For(0, workers, p =>
                {
                    var start = p * chunk;
                    var end = p == workers - 1 ? data.Length : start + chunk;
                    long s = 0;
                    for (var i = start; i < end; i++) s += data[i];
                    sums[p] = s;
                });
                System.Console.WriteLine(sums[0]);
            }
        }
        """, ParallelFor, Verify.Expect("THR004").WithArguments("t", "Parallel.For"));

    [Fact]
    public Task FixJoinLoopOverIndicesWithMethodGroup() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int n)
            {
                Thread[] workers = new Thread[n];
                for (int i = 0; i < n; i++)
                {
                    workers[i] = {|#0:new Thread(Count)|};
                    workers[i].Start(i);
                }
                for (int i = 0; i < n; i++)
                    workers[i].Join();
            }

            static void Count(object? state) { var s = 0; for (var i = 0; i < (int)state! * 1000; i++) s += i; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int n)
            {
                Parallel.For(0, n, i => Count(i));
            }

            static void Count(object? state) { var s = 0; for (var i = 0; i < (int)state! * 1000; i++) s += i; }
        }
        """, ParallelFor, Verify.Expect("THR004").WithArguments("workers[i]", "Parallel.For"));

    [Fact]
    public Task FixStartedLaterTakesStartsPlace() => Verify.Fix("""
        using System.Threading;

        class C
        {
            void M(int[] data)
            {
                var thread = {|#0:new Thread(() => Sum(data))|};
                data[0] = 1;
                thread.Start();
                thread.Join();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data)
            {
                data[0] = 1;
                var task = Task.Run(() => Sum(data));
                task.Wait();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("thread", "Task.Run"));

    [Fact]
    public Task FixWaitsInsideLockAndAwaitsInAsyncLambda() => Verify.Fix("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new object();

            async Task M(int[] data)
            {
                var t = {|#0:new Thread(() => Sum(data))|};
                t.Start();
                lock (_gate)
                {
                    t.Join();
                }

                Func<Task> later = async () =>
                {
                    var t2 = {|#1:new Thread(() => Sum(data))|};
                    t2.Start();
                    await Task.Yield();
                    t2.Join();
                };
                await later();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new object();

            async Task M(int[] data)
            {
                var task = Task.Run(() => Sum(data));
                lock (_gate)
                {
                    task.Wait();
                }

                Func<Task> later = async () =>
                {
                    var task2 = Task.Run(() => Sum(data));
                    await Task.Yield();
                    await task2;
                };
                await later();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, TaskRun, Verify.Expect("THR004", 0).WithArguments("t", "Task.Run"), Verify.Expect("THR004", 1).WithArguments("t2", "Task.Run"));

    [Fact]
    public Task FixWaitsInAnUnsafeBlockOfAnAsyncMethod()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task M(int[] data)
                    {
                        await Task.Yield();
                        unsafe
                        {
                            var t = {|#0:new Thread(() => Sum(data))|};
                            t.Start();
                            t.Join();
                        }
                    }

                    static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
                }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                class C
                {
                    async Task M(int[] data)
                    {
                        await Task.Yield();
                        unsafe
                        {
                            var task = Task.Run(() => Sum(data));
                            task.Wait();
                        }
                    }

                    static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
                }
                """,
            CodeActionEquivalenceKey = TaskRun,
        };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR004").WithArguments("t", "Task.Run"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task FixKeepsTheFullNameWhereTaskIsAnotherType() => Verify.Fix("""
        using System.Threading;

        class Task { }

        class C
        {
            void M(int[] data)
            {
                var t = {|#0:new Thread(() => Sum(data))|};
                t.Start();
                t.Join();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, """
        using System.Threading;

        class Task { }

        class C
        {
            void M(int[] data)
            {
                var task = System.Threading.Tasks.Task.Run(() => Sum(data));
                task.Wait();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, TaskRun, Verify.Expect("THR004").WithArguments("t", "Task.Run"));

    [Fact]
    public Task FixAllRewritesEveryLoop() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data, long[] sums)
            {
                var threads = new Thread[2];
                for (var i = 0; i < 2; i++)
                {
                    var part = i;
                    threads[i] = {|#0:new Thread(() => sums[part] = Sum(data))|};
                    threads[i].Start();
                }
                foreach (var t in threads) t.Join();
            }

            void N(int[] data, long[] sums)
            {
                var threads = new Thread[3];
                for (var i = 0; i < 3; i++)
                {
                    var part = i;
                    threads[i] = {|#1:new Thread(() => sums[part] = Sum(data))|};
                    threads[i].Start();
                }
                foreach (var t in threads) t.Join();
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] data, long[] sums)
            {
                Parallel.For(0, 2, part => sums[part] = Sum(data));
            }

            void N(int[] data, long[] sums)
            {
                Parallel.For(0, 3, part => sums[part] = Sum(data));
            }

            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
        }
        """, ParallelFor, Verify.Expect("THR004", 0).WithArguments("threads[i]", "Parallel.For"), Verify.Expect("THR004", 1).WithArguments("threads[i]", "Parallel.For"));

    [Fact]
    public Task FixTopLevelStatements()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;

                var data = new int[100];
                var sums = new long[4];
                var threads = new Thread[4];
                for (var i = 0; i < 4; i++)
                {
                    var part = i;
                    threads[i] = {|#0:new Thread(() => sums[part] = Sum(data, part))|};
                    threads[i].Start();
                }
                foreach (var thread in threads)
                {
                    thread.Join();
                }
                System.Console.WriteLine(sums[0]);

                static long Sum(int[] data, int part) { long s = 0; for (var i = part; i < data.Length; i += 4) s += data[i]; return s; }
                """,
            FixedCode = """
                using System.Threading;
                using System.Threading.Tasks;

                var data = new int[100];
                var sums = new long[4];
                Parallel.For(0, 4, part => sums[part] = Sum(data, part));
                System.Console.WriteLine(sums[0]);

                static long Sum(int[] data, int part) { long s = 0; for (var i = part; i < data.Length; i += 4) s += data[i]; return s; }
                """,
            CodeActionEquivalenceKey = ParallelFor,
        };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.FixedState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Verify.Expect("THR004").WithArguments("threads[i]", "Parallel.For"));
        return test.RunAsync(CancellationToken.None);
    }

    public static TheoryData<string, string, string> NoFixForms => new()
    {
        // Another use of the thread (IsAlive) than Start, Join, Name and IsBackground.
        { "var t = {|#0:new Thread(Run)|}; t.Start(); while (t.IsAlive) { } t.Join();", "t", "Task.Run" },
        // A timed join: its result is not a plain wait.
        { "var t = {|#0:new Thread(Run)|}; t.Start(); t.Join(1000);", "t", "Task.Run" },
        // Never joined.
        { "var t = {|#0:new Thread(Run)|}; t.Start();", "t", "Task.Run" },
        // Started in a nested block only.
        { "var t = {|#0:new Thread(Run)|}; if (n > 0) { t.Start(); } t.Join();", "t", "Task.Run" },
        // A ParameterizedThreadStart lambda.
        { "var t = {|#0:new Thread(o => Work(o))|}; t.Start(n); t.Join();", "t", "Task.Run" },
        // A Start argument that changes before the task would read it.
        { "var t = {|#0:new Thread(Work)|}; t.Start(n); n = 0; t.Join();", "t", "Task.Run" },
        // The loop does more than start threads.
        { "var threads = new Thread[4]; for (var i = 0; i < 4; i++) { threads[i] = {|#0:new Thread(Run)|}; threads[i].Start(); Console.Write(i); } foreach (var t in threads) t.Join();", "threads[i]", "Parallel.For" },
        // Something runs between the loops while the threads work.
        { "var threads = new Thread[4]; for (var i = 0; i < 4; i++) { threads[i] = {|#0:new Thread(Run)|}; threads[i].Start(); } Console.Write(n); foreach (var t in threads) t.Join();", "threads[i]", "Parallel.For" },
        // The collection is used after the join loop.
        { "var threads = new Thread[4]; for (var i = 0; i < 4; i++) { threads[i] = {|#0:new Thread(Run)|}; threads[i].Start(); } foreach (var t in threads) t.Join(); Console.Write(threads.Length);", "threads[i]", "Parallel.For" },
        // A loop that is not over 0..n by one.
        { "var threads = new Thread[8]; for (var i = 0; i < 8; i += 2) { threads[i] = {|#0:new Thread(Run)|}; threads[i].Start(); } foreach (var t in threads) t?.Join();", "threads[i]", "Parallel.For" },
    };

    [Theory]
    [MemberData(nameof(NoFixForms))]
    public async Task NoFixWhereTheShapeDoesNotMatch(string body, string name, string replacement)
    {
        await Verify.NoFix(InMethod(body), TaskRun, Verify.Expect("THR004").WithArguments(name, replacement));
        await Verify.NoFix(InMethod(body), ParallelFor, Verify.Expect("THR004").WithArguments(name, replacement));
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
