using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR002Tests
{
    /// <summary>A THR002 report at markup <paramref name="key"/>, its related locations (start site, other access) not checked.</summary>
    private static DiagnosticResult ExpectWrite(int key) => Verify.Expect("THR002", key).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    // ---- Positives ----

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

    // ---- Negatives ----

    [Fact]
    public Task RefPassToACompareExchangeHelper()
    {
        // Found in ParallelPro (SyncViaTls): localFinally adds through a CompareExchange loop.
        return Verify.Diagnostic("""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                static double M()
                {
                    double total = 0;
                    Parallel.For<double>(0, 100, () => 0, (j, loop, subtotal) => subtotal + j, x => Add(ref total, x));
                    return total;
                }
                static double Add(ref double location, double value)
                {
                    var seen = location;
                    while (true)
                    {
                        var current = seen;
                        seen = Interlocked.CompareExchange(ref location, current + value, current);
                        if (seen.Equals(current)) return current + value;
                    }
                }
            }
            """);
    }

    [Fact]
    public Task TaskRunSynchronouslyIsNotConcurrent() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            static int count;
            static void M()
            {
                for (var i = 0; i < 10; i++)
                {
                    var task = new Task(() => count++);
                    task.RunSynchronously();
                }
                var unstarted = new Task(() => count++);
            }
        }
        """);

    [Fact]
    public Task UnderLock() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private int _count;
            void M() => Parallel.For(0, 10, i => { lock (_gate) { _count++; } });
        }
        """);

    [Fact]
    public Task HelperCalledOnlyUnderLock() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private int _count;
            void M() => Parallel.For(0, 10, i => { lock (_gate) { Add(); } });
            private void Add() => _count++;
        }
        """);

    [Fact]
    public Task MonitorEnterExitInTryFinally() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private int _count;
            void M() => Parallel.For(0, 10, i =>
            {
                var taken = false;
                try
                {
                    Monitor.Enter(_gate, ref taken);
                    _count++;
                }
                finally
                {
                    if (taken) Monitor.Exit(_gate);
                }
            });
        }
        """);

    [Fact]
    public Task WriteAfterMonitorExitIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private int _count;
            void M() => Parallel.For(0, 10, i =>
            {
                Monitor.Enter(_gate);
                try { _count++; } finally { Monitor.Exit(_gate); }
                {|#0:_count--|};
            });
        }
        """, ExpectWrite(0).WithArguments("_count", "decremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task Interlocked() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            private long _total;
            void M() => Parallel.For(0, 10, i => { Interlocked.Increment(ref _count); Interlocked.Add(ref _total, i); Volatile.Write(ref _count, 0); });
        }
        """);

    [Fact]
    public Task SemaphoreSlimWaitRelease() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly SemaphoreSlim _semaphore = new SemaphoreSlim(1, 1);
            private readonly List<int> _items = new();
            async Task M()
            {
                var tasks = new List<Task>();
                for (var i = 0; i < 4; i++)
                {
                    var n = i;
                    tasks.Add(Task.Run(async () =>
                    {
                        await _semaphore.WaitAsync();
                        try { _items.Add(n); }
                        finally { _semaphore.Release(); }
                    }));
                }
                await Task.WhenAll(tasks);
            }
        }
        """);

    [Fact]
    public Task MutexesTakenTogetherWithWaitAll()
    {
        // Found in ParallelPro (MultipleLocksMutexWaitAll).
        return Verify.Diagnostic("""
            using System.Threading;
            using System.Threading.Tasks;
            class Account { public int Balance; }
            class C
            {
                static void M(Account a, Account b)
                {
                    var first = new Mutex();
                    var second = new Mutex();
                    Parallel.For(0, 10, i =>
                    {
                        var taken = WaitHandle.WaitAll(new WaitHandle[] { first, second });
                        try { a.Balance++; b.Balance--; }
                        finally { if (taken) { first.ReleaseMutex(); second.ReleaseMutex(); } }
                    });
                }
            }
            """);
    }

    [Fact]
    public Task TimerThatPausesItselfAndInterlockedTryLock() => Verify.Diagnostic("""
        using System.Threading;
        class Poller
        {
            private readonly Timer _timer;
            private readonly Timer _guarded;
            private int _polls;
            private int _busy;
            private int _guardedPolls;
            public Poller()
            {
                _timer = new Timer(Poll, null, 0, 100);
                _guarded = new Timer(_ =>
                {
                    if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return;
                    try { _guardedPolls++; }
                    finally { Volatile.Write(ref _busy, 0); }
                }, null, 0, 100);
            }
            private void Poll(object? state)
            {
                _timer.Change(Timeout.Infinite, Timeout.Infinite);
                try { _polls++; }
                finally { _timer.Change(100, Timeout.Infinite); }
            }
        }
        """);

    [Fact]
    public Task SynchronizedMethod() => Verify.Diagnostic("""
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            void M() => Parallel.For(0, 10, i => Add());
            [MethodImpl(MethodImplOptions.Synchronized)]
            private void Add() => _count++;
        }
        """);

    [Fact]
    public Task ConcurrentCollections() => Verify.Diagnostic("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;
        class C
        {
            private readonly ConcurrentDictionary<int, int> _map = new();
            void M()
            {
                var bag = new ConcurrentBag<int>();
                Parallel.For(0, 10, i => { bag.Add(i); _map[i] = i; _map.TryAdd(i, i); });
            }
        }
        """);

    [Fact]
    public Task ThreadStaticAndThreadLocal() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            [ThreadStatic] private static int t_count;
            private readonly ThreadLocal<int> _local = new(() => 0);
            void M() => Parallel.For(0, 10, i => { t_count++; _local.Value++; });
        }
        """);

    [Fact]
    public Task ThreadStaticOnAnInstanceFieldGivesNoThreadItsOwnCopy() => Verify.Diagnostic("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            // The runtime ignores [ThreadStatic] on an instance field: every thread writes the same one.
            [ThreadStatic] private int _count;
            void M() => Parallel.For(0, 10, i => { {|#0:_count++|}; });
        }
        """, ExpectWrite(0).WithArguments("_count", "incremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task ObjectsReachedThroughThreadStaticOrComputedProperties()
    {
        // Found in SmartThreadPool: each worker thread writes the entry that a [ThreadStatic] field holds for it.
        return Verify.Diagnostic("""
            using System;
            using System.Threading;
            class Entry { public object? Current { get; set; } public int Count; }
            class Pool
            {
                [ThreadStatic] private static Entry? t_entry;
                private static Entry CurrentEntry => t_entry ??= new Entry();
                private readonly ThreadLocal<Entry> _local = new(() => new Entry());
                public void Start()
                {
                    for (var i = 0; i < 4; i++) new Thread(Work).Start();
                }
                private void Work()
                {
                    CurrentEntry.Current = this;
                    t_entry!.Count++;
                    _local.Value!.Count++;
                }
            }
            """);
    }

    [Fact]
    public Task LocalsDeclaredInsideTheBody() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            void M() => Parallel.For(0, 10, i =>
            {
                var sum = 0;
                var list = new List<int>();
                for (var j = 0; j < i; j++) { sum += j; list.Add(j); }
                list.ForEach(x => sum += x);
            });
        }
        """);

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

    // ---- Fixes ----

    private const string UseInterlocked = "THR002.UseInterlocked";
    private const string ProtectWithLock = "THR002.ProtectWithLock";

    [Fact]
    public Task InterlockedFixOnInstanceFieldAddsUsing() => Verify.Fix("""
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_count++|};
                    {|#1:--_count|};
                });
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    Interlocked.Increment(ref _count);
                    Interlocked.Decrement(ref _count);
                });
            }
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("_count", "incremented", "Parallel.For", "7", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_count", "decremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task InterlockedFixOnStaticFieldAndCapturedLocal() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static long total;
            static long M(int[] values)
            {
                long sum = 0;
                Parallel.For(0, values.Length, i =>
                {
                    {|#0:total -= values[i] + 1|};
                    var now = {|#1:sum += values[i]|};
                });
                return sum + total;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static long total;
            static long M(int[] values)
            {
                long sum = 0;
                Parallel.For(0, values.Length, i =>
                {
                    Interlocked.Add(ref total, -(values[i] + 1));
                    var now = Interlocked.Add(ref sum, values[i]);
                });
                return sum + total;
            }
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("total", "decremented", "Parallel.For", "9", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("sum", "incremented", "Parallel.For", "9", "that code runs more than once at a time"));

    [Fact]
    public Task NoInterlockedFixWhenTheOldValueIsUsed() => Verify.NoFix("""
        using System.Threading.Tasks;
        class C
        {
            private int _next;
            private double _weight;
            void M(int[] slots) => Parallel.For(0, 10, i =>
            {
                slots[{|#0:_next++|}] = i;
                {|#1:_weight += 0.5|};
            });
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("_next", "incremented", "Parallel.For", "6", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_weight", "incremented", "Parallel.For", "6", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixInInstanceContextAddsGate() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _items = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_items.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _items = new();
            private readonly object _sync = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    lock (_sync)
                    {
                        _items.Add(i);
                    }
                });
            }
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("_items", "modified by List<int>.Add", "Parallel.For", "9", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixInStaticContextAddsStaticGate() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static Dictionary<int, int> squares = new();

            static void M() => Parallel.For(0, 10, i => {|#0:squares[i] = i * i|});
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static Dictionary<int, int> squares = new();
            private static readonly object _sync = new object();

            static void M() => Parallel.For(0, 10, i => { lock (_sync) { squares[i] = i * i; } });
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("squares", "modified by the Dictionary<int, int> indexer", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixReusesTheTypesGate() => Verify.Fix("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            private string _last = "";

            void M(string[] names) => Parallel.ForEach(names, name =>
            {
                {|#0:_last = _last + name|};
                lock (_gate) { }
            });
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            private string _last = "";

            void M(string[] names) => Parallel.ForEach(names, name =>
            {
                lock (_gate)
                {
                    _last = _last + name;
                }
                lock (_gate) { }
            });
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("_last", "assigned", "Parallel.ForEach", "7", "that code runs more than once at a time"));

    [Fact]
    public Task FixAllAddsOneGatePerType() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _evens = new();
            private readonly List<int> _odds = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    if (i % 2 == 0)
                        {|#0:_evens.Add(i)|};
                    else
                        {|#1:_odds.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _evens = new();
            private readonly List<int> _odds = new();
            private readonly object _sync = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    if (i % 2 == 0)
                        lock (_sync)
                        {
                            _evens.Add(i);
                        }
                    else
                        lock (_sync)
                        {
                            _odds.Add(i);
                        }
                });
            }
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("_evens", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_odds", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixUsesLockTypeWhereItExists() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly HashSet<int> _seen = new();

            void M() => Parallel.For(0, 10, i => { {|#0:_seen.Add(i)|}; });
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly HashSet<int> _seen = new();
            private readonly Lock _sync = new();

            void M() => Parallel.For(0, 10, i => { lock (_sync) { _seen.Add(i); } });
        }
        """, ProtectWithLock, net10: true, ExpectWrite(0).WithArguments("_seen", "modified by HashSet<int>.Add", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task FixAllAddsAnInstanceAndAStaticGateWhenBothAreNeeded() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private static readonly List<int> All = new();
            private readonly List<int> _mine = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_mine.Add(i)|};
                    {|#1:All.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private static readonly List<int> All = new();
            private readonly List<int> _mine = new();
            private readonly object _sync = new object();
            private static readonly object _sync2 = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    lock (_sync)
                    {
                        _mine.Add(i);
                    }
                    lock (_sync2)
                    {
                        All.Add(i);
                    }
                });
            }
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("_mine", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("All", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"));

    [Fact]
    public Task NoLockFixOutsideAStatementOrInAStruct() => Verify.NoFix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        struct S
        {
            private static int count;
            void M() => Parallel.For(0, 10, i => { {|#0:count += 2|}; });
        }
        class C
        {
            private static int count;
            void M() => Parallel.For(0, 10, i => { var seen = {|#1:count += 2|}; });
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("count", "incremented", "Parallel.For", "6", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("count", "incremented", "Parallel.For", "11", "that code runs more than once at a time"));

    // ---- Writes in generated code, reached from hand-written code ----

    private const string StartsTheCounter = """
        using System.Threading.Tasks;
        class Work
        {
            void M() => Parallel.For(0, 10, i => Counter.Bump());
        }
        """;

    /// <summary>The write a hand-written body reaches is reported where it is: unless that code is generated (the next tests).</summary>
    [Fact]
    public Task WriteReachedInHandWrittenCodeIsReportedWhereItIs() => Files(
        new[] { ("/0/Work.cs", StartsTheCounter), ("/0/Counter.cs", "static class Counter { private static int _n; public static void Bump() => {|#0:_n++|}; }") },
        ExpectWrite(0).WithArguments("_n", "incremented", "Parallel.For", "4 of Work.cs", "that code runs more than once at a time"));

    [Theory]
    [InlineData("Counter.g.cs", "", "", "")]
    [InlineData("Counter.Designer.cs", "", "", "")]
    [InlineData("Counter.cs", "// <auto-generated/>\n", "", "")]
    [InlineData("Counter.cs", "/* <autogenerated> */\n", "", "")]
    [InlineData("Counter.cs", "", "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")] ", "")]
    [InlineData("Counter.cs", "", "", "[System.CodeDom.Compiler.GeneratedCode(\"tool\", \"1.0\")] ")]
    public Task WriteReachedInGeneratedCodeIsNotReported(string fileName, string header, string onClass, string onMethod) => Files(new[]
    {
        ("/0/Work.cs", StartsTheCounter),
        ("/0/" + fileName, header + onClass + "static class Counter { private static int _n; " + onMethod + "public static void Bump() => _n++; }"),
    });

    /// <summary>A generated partial part of a hand-written class: its writes are not the user's to fix either.</summary>
    [Fact]
    public Task WriteInGeneratedPartOfAPartialClassIsNotReported() => Files(new[]
    {
        ("/0/Work.cs", """
            using System.Threading.Tasks;
            partial class Work
            {
                private int _total;
                void M() => Parallel.For(0, 10, i => Add(i));
            }
            """),
        ("/0/Work.g.cs", "partial class Work { private void Add(int i) => _total += i; }"),
    });

    [Fact]
    public Task WriteReachedInAFileMarkedGeneratedInEditorConfigIsNotReported() => Files(
        new[] { ("/0/Work.cs", StartsTheCounter), ("/0/Counter.cs", "static class Counter { private static int _n; public static void Bump() => _n++; }") },
        editorConfig: "root = true\n\n[/0/Counter.cs]\ngenerated_code = true\n");

    private static Task Files((string Name, string Text)[] sources, params DiagnosticResult[] expected) => Files(sources, editorConfig: null, expected);

    private static Task Files((string Name, string Text)[] sources, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Verify.Test();
        test.TestState.Sources.AddRange(sources.Select(source => (source.Name, SourceText.From(source.Text))));
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}
