using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR020SyncLockAcrossAwaitAnalyzer, ThreadingAnalyzers.CodeFixes.THR020SyncLockAcrossAwaitCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR020Tests
{
    private const string Key = "THR020.UseWaitAsync";

    // The body is on line 23 of InMethod's class.
    private const string BodyLine = "23";

    private const string MonitorThrows = "the Monitor.Exit after the await can run on another thread, where it throws SynchronizationLockException and the lock stays held; use a SemaphoreSlim with await WaitAsync()";
    private const string SemaphoreBlocks = "Wait blocks a thread in async code while it waits; use await WaitAsync()";
    private const string ExitThrows = "the Exit after the await can run on another thread, where it throws SynchronizationLockException and the lock stays held; use a SemaphoreSlim with await WaitAsync()";
    private const string MutexThrows = "the ReleaseMutex after the await can run on another thread, where it throws and the mutex stays held; use a SemaphoreSlim with await WaitAsync()";
    private const string SpinLockSpins = "other threads spin for the whole await, and the Exit after it can run on another thread, where it throws; use a SemaphoreSlim with await WaitAsync()";

    private static string InMethod(string body, string parameters = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private readonly SemaphoreSlim _sem = new SemaphoreSlim(1);
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly Mutex _mutex = new Mutex();
            private readonly Semaphore _semaphore = new Semaphore(1, 1);
            private readonly List<int> _items = new List<int>();
            private SpinLock _spin = new SpinLock();
            private int _count;

            void Work() { }

            async IAsyncEnumerable<int> Items() { await Task.Yield(); yield return 1; }

            async Task M({{parameters}})
            {
                await Task.Yield();
                {{body}}
            }
        }
        """;

    // The await is the additional location: TheAwaitIsAnAdditionalLocation checks it, the others check the arguments that name it.
    private static DiagnosticResult Expect(string acquire, string awaited, string consequence, string line = BodyLine, int markup = 0) =>
        Verify.Expect("THR020", markup).WithArguments(acquire, awaited, line, consequence).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    [Theory]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; await Task.Delay(1); Monitor.Exit(_gate);", "Monitor.Enter(_gate)", "await Task.Delay(1)")]
    [InlineData("bool taken = false; try { {|#0:Monitor.Enter(_gate, ref taken)|}; await Task.Yield(); } finally { if (taken) Monitor.Exit(_gate); }", "Monitor.Enter(_gate)", "await Task.Yield()")]
    [InlineData("if (!{|#0:Monitor.TryEnter(_gate)|}) return; try { Work(); await Task.Yield(); } finally { Monitor.Exit(_gate); }", "Monitor.TryEnter(_gate)", "await Task.Yield()")]
    [InlineData("if ({|#0:Monitor.TryEnter(_gate, 10)|}) { await Task.Yield(); Monitor.Exit(_gate); }", "Monitor.TryEnter(_gate)", "await Task.Yield()")]
    [InlineData("{ {|#0:Monitor.Enter(_gate)|}; Work(); } await Task.Yield(); Monitor.Exit(_gate);", "Monitor.Enter(_gate)", "await Task.Yield()")]
    public Task MonitorHeldAcrossAwaitIsFlagged(string statements, string acquire, string awaited) =>
        Verify.Diagnostic(InMethod(statements), Expect(acquire, awaited, MonitorThrows));

    [Theory]
    [InlineData("{|#0:_rw.EnterWriteLock()|}; try { await Task.Yield(); } finally { _rw.ExitWriteLock(); }", "_rw.EnterWriteLock()", "await Task.Yield()")]
    [InlineData("{|#0:_rw.EnterReadLock()|}; await foreach (var x in Items()) { } _rw.ExitReadLock();", "_rw.EnterReadLock()", "await foreach")]
    [InlineData("if ({|#0:_rw.TryEnterUpgradeableReadLock(10)|}) { await Task.Yield(); _rw.ExitUpgradeableReadLock(); }", "_rw.TryEnterUpgradeableReadLock(...)", "await Task.Yield()")]
    public Task ReaderWriterLockHeldAcrossAwaitIsFlagged(string statements, string acquire, string awaited) =>
        Verify.Diagnostic(InMethod(statements), Expect(acquire, awaited, ExitThrows));

    [Fact]
    public Task MutexHeldAcrossAwaitIsFlagged() =>
        Verify.Diagnostic(InMethod("{|#0:_mutex.WaitOne()|}; await Task.Yield(); _mutex.ReleaseMutex();"), Expect("_mutex.WaitOne()", "await Task.Yield()", MutexThrows));

    [Fact]
    public Task SpinLockHeldAcrossAwaitIsFlagged() =>
        Verify.Diagnostic(
            InMethod("bool taken = false; {|#0:_spin.Enter(ref taken)|}; await Task.Yield(); _spin.Exit();"),
            Expect("_spin.Enter(...)", "await Task.Yield()", SpinLockSpins));

    [Theory]
    [InlineData("{|#0:_sem.Wait()|}; try { await Task.Yield(); } finally { _sem.Release(); }", "_sem.Wait()", "await Task.Yield()")]
    [InlineData("if ({|#0:_sem.Wait(100)|}) { await Task.Delay(5).ConfigureAwait(false); _sem.Release(); }", "_sem.Wait(...)", "await Task.Delay(5).ConfigureAwait(false)")]
    [InlineData("{|#0:_sem.Wait()|}; await using (var s = new System.IO.MemoryStream()) { } _sem.Release();", "_sem.Wait()", "await using")]
    [InlineData("{|#0:_sem.Wait()|}; await Task.WhenAll(Task.Delay(100000000), Task.Delay(200000000), Task.Delay(300000000)); _sem.Release();", "_sem.Wait()", "await Task.WhenAll(Task.Delay(100000000), Task.Delay(2000000...")]
    public Task SemaphoreSlimWaitHeldAcrossAwaitIsFlagged(string statements, string acquire, string awaited) =>
        Verify.Diagnostic(InMethod(statements), Expect(acquire, awaited, SemaphoreBlocks));

    [Fact]
    public Task AsyncLambdaIsAnAsyncFunction() => Verify.Diagnostic(
        InMethod("Func<Task> f = async () => { {|#0:Monitor.Enter(_gate)|}; await Task.Yield(); Monitor.Exit(_gate); }; await f();"),
        Expect("Monitor.Enter(_gate)", "await Task.Yield()", MonitorThrows));

    [Fact]
    public Task TheAwaitIsAnAdditionalLocation() => Verify.Diagnostic(
        InMethod("""
            {|#0:Monitor.Enter(_gate)|};
                    Work();
                    {|#1:await Task.Yield()|};
                    await Task.Yield();
                    Monitor.Exit(_gate);
            """),
        Verify.Expect("THR020").WithLocation(1).WithArguments("Monitor.Enter(_gate)", "await Task.Yield()", "25", MonitorThrows));

    [Theory]
    [InlineData("await _sem.WaitAsync(); try { await Task.Yield(); } finally { _sem.Release(); }")]
    [InlineData("Monitor.Enter(_gate); try { Work(); } finally { Monitor.Exit(_gate); } await Task.Yield();")]
    [InlineData("_sem.Wait(); _count++; _sem.Release(); await Task.Yield();")]
    [InlineData("lock (_gate) { Work(); } await Task.Yield();")]
    [InlineData("Monitor.Enter(_gate); Func<Task> f = async () => await Task.Yield(); Monitor.Exit(_gate); await f();")]
    [InlineData("Monitor.Enter(_gate); _items.ForEach(async x => await Task.Yield()); Monitor.Exit(_gate);")]
    [InlineData("Monitor.Enter(_gate); await Task.Yield();")]
    [InlineData("var ok = _sem.Wait(10); await Task.Yield(); if (ok) _sem.Release();")]
    [InlineData("_sem.Wait(10); await Task.Yield(); _sem.Release();")]
    [InlineData("if (!_sem.Wait(0)) { await Task.Yield(); return; } _sem.Release();")]
    [InlineData("if (_count > 0) { Monitor.Enter(_gate); Monitor.Exit(_gate); } else { await Task.Yield(); } Monitor.Exit(_gate);")]
    [InlineData("_semaphore.WaitOne(); await Task.Yield(); _semaphore.Release();")]
    [InlineData("var other = new C(); Monitor.Enter(other._gate); await Task.Yield(); Monitor.Exit(other._gate);")]
    [InlineData("_rw.EnterReadLock(); await Task.Yield(); _rw.ExitWriteLock();")]
    public Task ReleasedOrNotHeldIsNotFlagged(string statements) => Verify.Diagnostic(InMethod(statements));

    [Fact]
    public Task SynchronousMethodIsNotFlagged() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();

            void M()
            {
                Monitor.Enter(_gate);
                Task.Delay(1).Wait();
                Monitor.Exit(_gate);
            }
        }
        """);

    [Fact]
    public Task FixAwaitsWaitAsyncWithTheToken() => Verify.Fix(
        InMethod("{|#0:_sem.Wait()|}; try { await Task.Yield(); } finally { _sem.Release(); }", "CancellationToken ct"),
        InMethod("await _sem.WaitAsync(ct); try { await Task.Yield(); } finally { _sem.Release(); }", "CancellationToken ct"),
        Key,
        Expect("_sem.Wait()", "await Task.Yield()", SemaphoreBlocks));

    [Theory]
    [InlineData("if ({|#0:_sem.Wait(100)|}) { await Task.Yield(); _sem.Release(); }", "", "if (await _sem.WaitAsync(100)) { await Task.Yield(); _sem.Release(); }")]
    [InlineData("if (!{|#0:_sem.Wait(100)|}) return; await Task.Yield(); _sem.Release();", "", "if (!await _sem.WaitAsync(100)) return; await Task.Yield(); _sem.Release();")]
    [InlineData("if ({|#0:_sem.Wait(millisecondsTimeout: 100)|}) { await Task.Yield(); _sem.Release(); }", "CancellationToken ct", "if (await _sem.WaitAsync(millisecondsTimeout: 100, cancellationToken: ct)) { await Task.Yield(); _sem.Release(); }")]
    [InlineData("if ({|#0:_sem.Wait(TimeSpan.FromSeconds(1), ct)|}) { await Task.Yield(); _sem.Release(); }", "CancellationToken ct", "if (await _sem.WaitAsync(TimeSpan.FromSeconds(1), ct)) { await Task.Yield(); _sem.Release(); }")]
    [InlineData("{|#0:_sem.Wait(ct)|}; await Task.Yield(); _sem.Release();", "CancellationToken ct", "await _sem.WaitAsync(ct); await Task.Yield(); _sem.Release();")]
    [InlineData("{|#0:_sem.Wait()|}; await Task.Yield(); _sem.Release();", "CancellationToken a, CancellationToken b", "await _sem.WaitAsync(); await Task.Yield(); _sem.Release();")]
    [InlineData("{|#0:this._sem.Wait()|}; await Task.Yield(); _sem.Release();", "CancellationToken @event", "await this._sem.WaitAsync(@event); await Task.Yield(); _sem.Release();")]
    public Task FixKeepsTheArguments(string statements, string parameters, string fixedStatements)
    {
        var acquire = statements.Substring(statements.IndexOf("{|#0:", System.StringComparison.Ordinal) + 5);
        acquire = acquire.Substring(0, acquire.IndexOf("|}", System.StringComparison.Ordinal));
        var described = acquire.Substring(0, acquire.IndexOf('(', System.StringComparison.Ordinal)) + (acquire.EndsWith("()", System.StringComparison.Ordinal) ? "()" : "(...)");
        return Verify.Fix(InMethod(statements, parameters), InMethod(fixedStatements, parameters), Key, Expect(described, "await Task.Yield()", SemaphoreBlocks));
    }

    [Fact]
    public Task FixAllRewritesEveryWait() => Verify.Fix(
        InMethod("{|#0:_sem.Wait()|}; await Task.Yield(); _sem.Release(); {|#1:_sem.Wait()|}; await Task.Delay(1); _sem.Release();"),
        InMethod("await _sem.WaitAsync(); await Task.Yield(); _sem.Release(); await _sem.WaitAsync(); await Task.Delay(1); _sem.Release();"),
        Key,
        Expect("_sem.Wait()", "await Task.Yield()", SemaphoreBlocks),
        Expect("_sem.Wait()", "await Task.Delay(1)", SemaphoreBlocks, markup: 1));

    [Theory]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; await Task.Yield(); Monitor.Exit(_gate);", "Monitor.Enter(_gate)", MonitorThrows)]
    [InlineData("unsafe { {|#0:_sem.Wait()|}; } await Task.Yield(); _sem.Release();", "_sem.Wait()", SemaphoreBlocks)]
    public Task NoFixWhereWaitAsyncDoesNotFit(string statements, string acquire, string consequence) =>
        Verify.NoFix(InMethod(statements), Key, Expect(acquire, "await Task.Yield()", consequence));

    [Theory]
    [InlineData("Monitor.Enter(_gate; await Task.Yield(); Monitor.Exit(_gate);")]
    [InlineData("_sem.Wait(); await Task.Yield(; _sem.Release();")]
    [InlineData("_sem.Wait(); await Missing(); _sem.Release();")]
    [InlineData("_rw.EnterReadLock(); await Task.Yield(); _rw.ExitReadLock(")]
    public Task SilentOnBrokenCode(string statements) => Verify.NoDiagnosticInBrokenCode(InMethod(statements));
}
