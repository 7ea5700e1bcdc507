using System.Threading;
using System.Threading.Tasks;
using static ThreadingAnalyzers.Tests.Rules.THR004Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR004CpuBoundDedicatedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR004CpuBoundDedicatedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR004 fixes to Task.Run, and the shapes that get no fix.</summary>
public class THR004FixTests
{
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
}
