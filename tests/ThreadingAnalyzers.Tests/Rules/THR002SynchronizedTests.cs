using System.Threading.Tasks;
using static ThreadingAnalyzers.Tests.Rules.THR002Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 stays silent where the writes are synchronized (locks, Monitor, Interlocked, semaphores, concurrent collections) or not shared (thread-static, locals of the body).</summary>
public class THR002SynchronizedTests
{
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
}
