using System.Threading.Tasks;
using static ThreadingAnalyzers.Tests.Rules.THR002Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 reports: shared state written from code that runs concurrently, with no synchronization.</summary>
public class THR002Tests
{
    [Fact]
    public Task StaticCounterIncrementedFromTwoThreads() => Verify.Diagnostic("""
        using System.Threading;
        class Program
        {
            static int counter;
            static void Main()
            {
                var t1 = new Thread(Work);
                var t2 = new Thread(Work);
                t1.Start();
                t2.Start();
                t1.Join();
                t2.Join();
            }
            static void Work()
            {
                for (var i = 0; i < 1000; i++)
                {
                    {|#0:counter++|};
                }
            }
        }
        """, ExpectWrite(0).WithArguments("counter", "incremented", "new Thread", "7", "that code runs more than once at a time"));

    [Fact]
    public Task TwoLambdasIncrementTheSameStaticField() => Verify.Diagnostic("""
        using System.Threading;
        class Program
        {
            static int counter;
            static void Main()
            {
                var t1 = {|#2:new Thread(() => { {|#0:counter++|}; })|};
                var t2 = {|#3:new Thread(() => { {|#1:counter += 2|}; })|};
                t1.Start();
                t2.Start();
                t1.Join();
                t2.Join();
            }
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithLocation(1)
            .WithArguments("counter", "incremented", "new Thread", "7", "code started with new Thread (line 8) also writes it at line 8"),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0)
            .WithArguments("counter", "incremented", "new Thread", "8", "code started with new Thread (line 7) also writes it at line 7"));

    [Fact]
    public Task ListAddInParallelForEach() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            List<int> Squares(int[] input)
            {
                var results = new List<int>();
                {|#1:Parallel.ForEach(input, x => {|#0:results.Add(x * x)|})|};
                return results;
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithArguments("results", "modified by List<int>.Add", "Parallel.ForEach", "8", "that code runs more than once at a time"));

    [Fact]
    public Task DictionaryIndexerSetFromTaskRunInLoop() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Cache
        {
            private readonly Dictionary<string, int> _lengths = new();
            async Task Fill(string[] words)
            {
                var tasks = new List<Task>();
                foreach (var word in words)
                {
                    tasks.Add(Task.Run(() => { {|#0:_lengths[word] = word.Length|}; }));
                }
                await Task.WhenAll(tasks);
            }
        }
        """, ExpectWrite(0).WithArguments("_lengths", "modified by the Dictionary<string, int> indexer", "Task.Run", "11", "that code runs more than once at a time"));

    [Fact]
    public Task FieldMutatedTwoCallsDeepFromThreadStart() => Verify.Diagnostic("""
        using System.Threading;
        class Worker
        {
            private int _processed;
            public void Run()
            {
                var threads = new Thread[4];
                for (var i = 0; i < threads.Length; i++)
                {
                    threads[i] = new Thread(new ThreadStart(Process));
                    threads[i].Start();
                }
                foreach (var thread in threads)
                {
                    thread.Join();
                }
            }
            private void Process() => Step();
            private void Step() => Record();
            private void Record() { {|#0:_processed++|}; }
        }
        """, ExpectWrite(0).WithArguments("_processed", "incremented", "new Thread", "10", "that code runs more than once at a time"));

    [Fact]
    public Task CapturedLocalSummedInParallelFor() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            long Sum(int[] values)
            {
                long sum = 0;
                Parallel.For(0, values.Length, i => { {|#0:sum += values[i]|}; });
                return sum;
            }
        }
        """, ExpectWrite(0).WithArguments("sum", "incremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task TimerCallbackIncrementsField() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class Heartbeat
        {
            private int _ticks;
            private Timer? _timer;
            public void Start() => _timer = new Timer(_ => {|#0:_ticks++|}, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
        }
        """, ExpectWrite(0).WithArguments("_ticks", "incremented", "new Timer", "7", "that code runs more than once at a time"));

    [Fact]
    public Task TimerInFieldInitializerAndGenericParallelForEach() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Poller
        {
            private static int polls;
            private static readonly Timer Ticker = new(_ => {|#0:polls++|}, null, 0, 100);
            private int _seen;
            void M(int[] items) => Parallel.ForEach<int>(items, i => {|#1:_seen += i|});
        }
        """,
        ExpectWrite(0).WithArguments("polls", "incremented", "new Timer", "6", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_seen", "incremented", "Parallel.ForEach", "8", "that code runs more than once at a time"));

    [Fact]
    public Task ReadModifyWriteAssignmentInPlinqForAll() => Verify.Diagnostic("""
        using System;
        using System.Linq;
        class C
        {
            static int max;
            static void M(int[] values) => values.AsParallel().ForAll(v => {|#0:max = Math.Max(max, v)|});
        }
        """, ExpectWrite(0).WithArguments("max", "assigned", "PLINQ ForAll", "6", "that code runs more than once at a time"));

    [Fact]
    public Task StarterWritesWhileThreadRuns() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            int _count;
            void M()
            {
                var t = {|#1:new Thread(() => { for (var i = 0; i < 100; i++) {|#0:_count++|}; })|};
                t.Start();
                for (var i = 0; i < 100; i++) {|#2:_count++|};
                t.Join();
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("_count", "incremented", "new Thread", "7", "the starting code writes it at line 9 while that code may still run"));

    [Fact]
    public Task CollectionReadByStarterWhileTaskAdds() => Verify.Diagnostic("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static readonly Queue<int> Pending = new();
            static async Task M()
            {
                var task = {|#1:Task.Run(() => {|#0:Pending.Enqueue(1)|})|};
                Console.WriteLine({|#2:Pending|}.Count);
                await task;
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("Pending", "modified by Queue<int>.Enqueue", "Task.Run", "9", "the starting code reads it at line 10 while that code may still run"));

    [Fact]
    public Task ParallelInvokeActionsTouchingTheSameField() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            int _total;
            void M() => Parallel.Invoke(() => {|#0:_total += 1|}, () => {|#1:_total += 2|});
        }
        """,
        ExpectWrite(0).WithArguments("_total", "incremented", "Parallel.Invoke", "5", "another delegate it runs at the same time writes it at line 5"),
        ExpectWrite(1).WithArguments("_total", "incremented", "Parallel.Invoke", "5", "another delegate it runs at the same time writes it at line 5"));

    [Fact]
    public Task AutoPropertyIncrementedByThreadPoolItemsInLoop() => Verify.Diagnostic("""
        using System.Threading;
        class Stats
        {
            public int Hits { get; set; }
            public void Record(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    ThreadPool.QueueUserWorkItem(_ => {|#0:Hits++|});
                }
            }
        }
        """, ExpectWrite(0).WithArguments("Hits", "incremented", "ThreadPool.QueueUserWorkItem", "9", "that code runs more than once at a time"));

    [Fact]
    public Task SameWriteReachedFromTwoEntryPointsIsReportedOnce() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            static int hits;
            static void A() => Parallel.For(0, 10, i => Hit());
            static void B() => Parallel.For(0, 10, i => Hit());
            static void Hit() { {|#0:hits++|}; }
        }
        """, ExpectWrite(0).WithArguments("hits", "incremented", "Parallel.For", "5", "that code runs more than once at a time"));

    [Fact]
    public Task LocalFunctionStartedInLoopWritesCapturedLocal() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static async Task<int> M()
            {
                var done = 0;
                var tasks = new List<Task>();
                for (var i = 0; i < 4; i++) tasks.Add(Task.Run(Work));
                await Task.WhenAll(tasks);
                return done;
                void Work() { {|#0:done++|}; }
            }
        }
        """, ExpectWrite(0).WithArguments("done", "incremented", "Task.Run", "9", "that code runs more than once at a time"));

    [Fact]
    public Task RefPassToAHelperThatWritesPlainly() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            static int total;
            static void M() => Parallel.For(0, 10, i => {|#0:Bump(ref total)|});
            static void Bump(ref int value) => value++;
        }
        """, ExpectWrite(0).WithArguments("total", "passed by ref to Bump", "Parallel.For", "5", "that code runs more than once at a time"));

    [Fact]
    public Task TasksCreatedAndStartedInALoop() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Account { public int Balance; }
        class C
        {
            static void M()
            {
                var account = new Account();
                var tasks = new List<Task>();
                for (var i = 0; i < 10; i++)
                {
                    tasks.Add(new Task(() => { for (var j = 0; j < 1000; j++) {|#0:account.Balance++|}; }));
                }
                foreach (var task in tasks) task.Start();
                Task.WaitAll(tasks.ToArray());
            }
        }
        """, ExpectWrite(0).WithArguments("Balance", "incremented", "new Task", "12", "that code runs more than once at a time"));

    [Fact]
    public Task MethodCalledOnACapturedObject() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class Counter
        {
            private int _value;
            public void Increment() => {|#0:_value++|};
        }
        class C
        {
            static void M()
            {
                var counter = new Counter();
                Parallel.For(0, 10, i => counter.Increment());
                Parallel.For(0, 10, i => new Counter().Increment());
            }
        }
        """, ExpectWrite(0).WithArguments("_value", "incremented", "Parallel.For", "12", "that code runs more than once at a time"));

    [Fact]
    public Task WriteFiveCallsDeepIsReachedAndSixIsNot() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            int _hits;
            int _misses;
            void Run() => Parallel.For(0, 10, i => { A(); A2(); });
            void A() => B();
            void B() => D();
            void D() => E();
            void E() => F();
            void F() { {|#0:_hits++|}; }
            void A2() => B2();
            void B2() => D2();
            void D2() => E2();
            void E2() => F2();
            void F2() => G2();
            void G2() { _misses++; }
        }
        """, ExpectWrite(0).WithArguments("_hits", "incremented", "Parallel.For", "6", "that code runs more than once at a time"));

    [Fact]
    public Task AMethodFirstLookedThroughFromFartherIsLookedThroughAgainFromNearer() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            int _hits;
            void Far() => Parallel.For(0, 10, i => Y());
            void Near() => Parallel.For(0, 10, i => A());
            void Y() => A();
            void A() => B();
            void B() => D();
            void D() => E();
            void E() => F();
            void F() { {|#0:_hits++|}; }
        }
        """, ExpectWrite(0).WithArguments("_hits", "incremented", "Parallel.For", "6", "that code runs more than once at a time"));

    [Fact]
    public Task HelpersWithLockedAndUnlockedWrites() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            readonly object _gate = new object();
            int _locked;
            int _unlocked;
            int _calls;
            void Run() => Parallel.For(0, 10, i => { Locked(); Unlocked(); Mixed(i); });
            void Locked() { lock (_gate) { _locked++; } }
            void Unlocked() => Count();
            void Count() { {|#0:_unlocked++|}; }
            void Mixed(int value)
            {
                lock (_gate) { _locked += value; }
                {|#1:_calls++|};
            }
        }
        """,
        ExpectWrite(0).WithArguments("_unlocked", "incremented", "Parallel.For", "8", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_calls", "incremented", "Parallel.For", "8", "that code runs more than once at a time"));

    [Fact]
    public Task UsingDeclarationLockScopeProtectsOnlyWhatFollowsIt() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            readonly Lock _gate = new();
            int _count;
            void M() => Parallel.For(0, 10, i =>
            {
                {|#0:_count++|};
                using var scope = _gate.EnterScope();
                _count++;
            });
        }
        """, net10: true, ExpectWrite(0).WithArguments("_count", "incremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task HelperCalledOnceUnderTheBodysLockAndOnceWithout() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            readonly object _gate = new object();
            int _count;
            void Run() => Parallel.For(0, 10, i => { lock (_gate) { Bump(); } Bump(); });
            void Bump() { {|#0:_count++|}; }
        }
        """, ExpectWrite(0).WithArguments("_count", "incremented", "Parallel.For", "6", "that code runs more than once at a time"));
}
