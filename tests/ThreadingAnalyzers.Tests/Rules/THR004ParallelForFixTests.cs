using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using static ThreadingAnalyzers.Tests.Rules.THR004Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR004CpuBoundDedicatedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR004CpuBoundDedicatedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR004 fixes to Parallel.For for threads started in a loop and joined in another.</summary>
public class THR004ParallelForFixTests
{
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
}
