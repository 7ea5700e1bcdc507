using System.Threading.Tasks;
using static ThreadingAnalyzers.Tests.Rules.THR002Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 stays silent where the accesses are ordered or distinct, on look-alikes and in broken code.</summary>
public class THR002SilentTests
{
    [Fact]
    public Task FieldWrittenBeforeStartAndOnlyReadInThread() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class C
        {
            private int _limit;
            void M()
            {
                _limit = 10;
                var t = new Thread(() => { for (var i = 0; i < _limit; i++) Console.WriteLine(i); });
                t.Start();
                t.Join();
            }
        }
        """);

    [Fact]
    public Task SingleThreadWritesStarterReadsAfterJoin() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class C
        {
            private int _result;
            private readonly System.Collections.Generic.List<int> _log = new();
            void M()
            {
                var t = new Thread(() => { for (var i = 0; i < 10; i++) { _result += i; _log.Add(i); } });
                t.Start();
                t.Join();
                Console.WriteLine(_result + _log.Count);
                _result = 0;
            }
        }
        """);

    [Fact]
    public Task AwaitedTaskInLoopRunsOneAtATime() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            async Task M()
            {
                for (var i = 0; i < 10; i++)
                {
                    await Task.Run(() => _count++);
                    var t = Task.Run(() => _count++);
                    t.Wait();
                }
            }
        }
        """);

    [Fact]
    public Task ArrayElementWrites() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            static int[] Squares(int n)
            {
                var results = new int[n];
                Parallel.For(0, n, i => { results[i] = i * i; results[i]++; });
                return results;
            }
        }
        """);

    [Fact]
    public Task ParallelInvokeActionsTouchingDifferentFields() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            int _left, _right;
            void M() => Parallel.Invoke(() => _left++, () => _right++);
        }
        """);

    [Fact]
    public Task ThreadsOnDistinctObjects() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading;
        class Worker
        {
            private int _done;
            public void Run() { for (var i = 0; i < 100; i++) _done++; }
            static void Main()
            {
                var a = new Worker();
                var b = new Worker();
                var t1 = new Thread(a.Run);
                var t2 = new Thread(b.Run);
                t1.Start(); t2.Start();
                t1.Join(); t2.Join();
                var threads = new List<Thread>();
                for (var i = 0; i < 4; i++)
                {
                    var worker = new Worker();
                    var t = new Thread(worker.Run);
                    threads.Add(t);
                    t.Start();
                }
                foreach (var t in threads) t.Join();
            }
        }
        """);

    [Fact]
    public Task ParallelForEachItemsAreDistinct() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Order { public int Total; public List<int> Lines = new(); }
        class C
        {
            void M(List<Order> orders) => Parallel.ForEach(orders, order => { order.Total++; order.Lines.Add(1); });
        }
        """);

    [Fact]
    public Task ConstantFlagSetByParallelSearch() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            static volatile int last;
            static bool Contains(int[] values, int wanted)
            {
                var found = false;
                Parallel.For(0, values.Length, i => { if (values[i] == wanted) found = true; last = i; });
                return found;
            }
        }
        """);

    [Fact]
    public Task SingleRunBodyWithStarterOnlyReadingScalar() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class C
        {
            private int _progress;
            void M()
            {
                var t = new Thread(() => { for (var i = 0; i < 100; i++) _progress++; });
                t.Start();
                while (!t.Join(100)) Console.WriteLine(_progress);
            }
        }
        """);

    [Fact]
    public Task UserTypesNamedLikeTheBcl() => Verify.Diagnostic("""
        class Parallel { public static void For(int from, int to, System.Action<int> body) { } }
        class C
        {
            int _count;
            void M() => Parallel.For(0, 10, i => _count++);
        }
        """);

    [Fact]
    public Task LambdaNotRunConcurrently() => Verify.Diagnostic("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            int _count;
            void M()
            {
                Action a = () => _count++;
                a();
                Parallel.For(0, 10, i => { Action later = () => _count++; });
            }
        }
        """);

    [Fact]
    public Task CodeThatDoesNotCompileYet() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading.Tasks;
        class C
        {
            int _count;
            void M()
            {
                Parallel.For(0, 10, i => { _count++ });
                Parallel.For(0, 10, i => { _count++; Undefined(); });
                Parallel.For(0, 10, i => { _missing++; });
                Task.Run(
            }
        }
        """);

    [Fact]
    public Task BodiesWithSemanticErrorsStaySilentBesideOnesThatCompile()
    {
        // A lambda with an error passed straight to the API makes the call itself invalid; one held in a local does not.
        // A method group's errors, in its own code or in a function nested in it, keep its body out too.
        return Verify.Diagnostic("""
            using System;
            using System.Threading;
            class C
            {
                int _count;
                void Direct()
                {
                    WaitCallback work = _ => { _count++; {|CS0103:Undefined|}(); };
                    for (var i = 0; i < 3; i++) ThreadPool.QueueUserWorkItem(work);
                }
                void Nested()
                {
                    WaitCallback work = _ => { _count++; Action later = () => {|CS0103:Undefined|}(); };
                    for (var i = 0; i < 3; i++) ThreadPool.QueueUserWorkItem(work);
                }
                void Local()
                {
                    WaitCallback work = _ => { _count++; void Later() => {|CS0103:Undefined|}(); };
                    for (var i = 0; i < 3; i++) ThreadPool.QueueUserWorkItem(work);
                }
                void Fine()
                {
                    WaitCallback work = _ => { {|#0:_count++|}; };
                    for (var i = 0; i < 3; i++) ThreadPool.QueueUserWorkItem(work);
                }
                void Methods()
                {
                    for (var i = 0; i < 3; i++)
                    {
                        ThreadPool.QueueUserWorkItem(BrokenDirectly);
                        ThreadPool.QueueUserWorkItem(BrokenInALambda);
                        ThreadPool.QueueUserWorkItem(BrokenInALocalFunction);
                        ThreadPool.QueueUserWorkItem(Compiles);
                    }
                }
                void BrokenDirectly(object state) { _count++; {|CS0103:Undefined|}(); }
                void BrokenInALambda(object state) { _count++; Action later = () => {|CS0103:Undefined|}(); }
                void BrokenInALocalFunction(object state) { _count++; void Later() => {|CS0103:Undefined|}(); }
                void Compiles(object state) { {|#1:_count++|}; }
            }
            """,
            ExpectWrite(0).WithArguments("_count", "incremented", "ThreadPool.QueueUserWorkItem", "24", "that code runs more than once at a time"),
            ExpectWrite(1).WithArguments("_count", "incremented", "ThreadPool.QueueUserWorkItem", "33", "that code runs more than once at a time"));
    }

    [Fact]
    public Task ABodyStartedOnceFromAShortStarterThatTouchesNothingIsSilent() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            int _count;
            void Bump() => _count++;
            Task Alone() => Task.Run(() => Bump());
            Task AloneGroup() => Task.Run(Bump);
        }
        """);

    [Fact]
    public Task EntryPointWordsInCommentsStringsAndOtherCallsStartNothing() => Verify.Diagnostic("""
        using System.Diagnostics;
        using System.Threading;
        class C
        {
            int _count;
            string _log = "";
            void Loop()
            {
                // Task.Run(() => _count++) was here; Parallel.For too.
                _log = "new Thread(Work).Start(); Task.Run(() => _count++)";
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < 10; i++) { _count++; }
                System.Threading.Thread.Sleep(1);
            }
        }
        """);

    [Fact]
    public Task ABodyStartedOnceFromAShortStarterThatWritesTooIsReported()
    {
        // The short starters are decided before their bodies' calls are followed; the answer is the same.
        return Verify.Diagnostic("""
            using System.Threading.Tasks;
            class C
            {
                int _count;
                int _other;
                void Bump() => {|#0:_count++|};
                void BumpOther() => {|#1:_other++|};
                void Racing() { var t = Task.Run(() => Bump()); _count = 5; t.Wait(); }
                void RacingGroup() { var t = Task.Run(BumpOther); _other = 7; t.Wait(); }
            }
            """,
            ExpectWrite(0).WithArguments("_count", "incremented", "Task.Run", "8", "the starting code writes it at line 8 while that code may still run"),
            ExpectWrite(1).WithArguments("_other", "incremented", "Task.Run", "9", "the starting code writes it at line 9 while that code may still run"));
    }

    [Fact]
    public Task HelpersThatOnlyWriteUnderALockOrTheirOwnLocals() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            readonly object _gate = new object();
            int _total;
            void Run() => Parallel.For(0, 10, i => Add(Square(i)));
            static int Square(int value) { var result = value; result *= value; return result; }
            void Add(int value) { lock (_gate) { _total += value; } }
        }
        """);
}
