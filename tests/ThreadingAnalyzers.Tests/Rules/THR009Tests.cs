using Microsoft.CodeAnalysis.Testing;
using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR009MonitorEnterWithoutFinallyAnalyzer, ThreadingAnalyzers.CodeFixes.THR009MonitorEnterWithoutFinallyCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR009Tests
{
    private const string Key = "THR009.UseLock";
    private const string TryKey = "THR009.UseTryFinally";
    private const string UseLock = "use a lock statement";
    private const string UseFinally = "release it in a finally";

    private static string InMethod(string body, string modifiers = "void") => $$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private static readonly object s_gate = new object();
            private readonly SemaphoreSlim _sem = new SemaphoreSlim(1);
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly ReaderWriterLock _legacy = new ReaderWriterLock();
            private readonly Mutex _mutex = new Mutex();
            private readonly Semaphore _semaphore = new Semaphore(1, 1);
            private readonly AutoResetEvent _event = new AutoResetEvent(false);
            private SpinLock _spin = new SpinLock();
            private int _count;

            void Work() { }

            {{modifiers}} M(object p)
            {
                {{body}}
            }
        }
        """;

    private static DiagnosticResult Monitor(string lockObject, string enter = "Enter", string exitObject = "") =>
        Verify.Expect("THR009").WithArguments($"Monitor.{enter}({lockObject})", $"Monitor.Exit({(exitObject.Length == 0 ? lockObject : exitObject)})", UseLock);

    private static DiagnosticResult Other(string acquire, string release, int markup = 0) =>
        Verify.Expect("THR009", markup).WithArguments(acquire, release, UseFinally);

    [Theory]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; _count++; Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(s_gate)|}; Work(); Monitor.Exit(s_gate);", "s_gate")]
    [InlineData("{|#0:Monitor.Enter(this)|}; Work(); Monitor.Exit(this);", "this")]
    [InlineData("{|#0:Monitor.Enter(typeof(C))|}; Work(); Monitor.Exit(typeof(C));", "typeof(C)")]
    [InlineData("{|#0:Monitor.Enter(p)|}; if (_count > 0) return; Monitor.Exit(p);", "p")]
    [InlineData("var local = new object(); {|#0:Monitor.Enter(local)|}; Work(); Monitor.Exit(local);", "local")]
    [InlineData("{|#0:Monitor.Enter(this._gate)|}; Work(); Monitor.Exit(_gate);", "this._gate", "_gate")]
    [InlineData("{|#0:System.Threading.Monitor.Enter(_gate)|}; Work(); System.Threading.Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; Work(); try { Work(); } finally { Monitor.Exit(_gate); }", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; try { Work(); } catch { Monitor.Exit(_gate); throw; } Monitor.Exit(_gate);", "_gate")]
    [InlineData("bool taken = false; {|#0:Monitor.Enter(_gate, ref taken)|}; Work(); if (taken) Monitor.Exit(_gate);", "_gate")]
    [InlineData("Action a = () => { {|#0:Monitor.Enter(_gate)|}; Work(); Monitor.Exit(_gate); };", "_gate")]
    [InlineData("bool taken = false; {|#0:Monitor.Enter(lockTaken: ref taken, obj: _gate)|}; Work(); Monitor.Exit(_gate);", "_gate")]
    public Task EnterWithoutFinallyIsFlagged(string statements, string lockObject, string exitObject = "") =>
        Verify.Diagnostic(InMethod(statements), Monitor(lockObject, exitObject: exitObject));

    // Before the rule covered every primitive, a tested TryEnter was left alone; its Exit is skipped by an exception all the same.
    [Theory]
    [InlineData("if ({|#0:Monitor.TryEnter(_gate)|}) { Work(); Monitor.Exit(_gate); }")]
    [InlineData("if (!{|#0:Monitor.TryEnter(_gate, 100)|}) return; Work(); Monitor.Exit(_gate);")]
    [InlineData("bool taken = false; {|#0:Monitor.TryEnter(_gate, ref taken)|}; if (taken) { Work(); Monitor.Exit(_gate); }")]
    public Task TryEnterWithoutFinallyIsFlagged(string statements) =>
        Verify.Diagnostic(InMethod(statements), Monitor("_gate", "TryEnter"));

    [Theory]
    [InlineData("{|#0:_sem.Wait()|}; Work(); _sem.Release();", "_sem.Wait()", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait()|}; var copy = _count.ToString(); try { Work(); } finally { _sem.Release(); }", "_sem.Wait()", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait()|}; var copy = new C(); try { Work(); } finally { _sem.Release(); }", "_sem.Wait()", "_sem.Release()")]
    [InlineData("if ({|#0:_sem.Wait(10)|}) { Work(); _sem.Release(); }", "_sem.Wait(...)", "_sem.Release()")]
    [InlineData("if (!{|#0:_sem.Wait(0)|}) return; Work(); try { Work(); } finally { _sem.Release(); }", "_sem.Wait(...)", "_sem.Release()")]
    [InlineData("{|#0:_rw.EnterReadLock()|}; Work(); _rw.ExitReadLock();", "_rw.EnterReadLock()", "_rw.ExitReadLock()")]
    [InlineData("{|#0:_rw.EnterWriteLock()|}; Work(); _rw.ExitWriteLock();", "_rw.EnterWriteLock()", "_rw.ExitWriteLock()")]
    [InlineData("{|#0:_rw.EnterUpgradeableReadLock()|}; Work(); _rw.ExitUpgradeableReadLock();", "_rw.EnterUpgradeableReadLock()", "_rw.ExitUpgradeableReadLock()")]
    [InlineData("if ({|#0:_rw.TryEnterWriteLock(10)|}) { Work(); _rw.ExitWriteLock(); }", "_rw.TryEnterWriteLock(...)", "_rw.ExitWriteLock()")]
    [InlineData("bool taken = false; {|#0:_spin.Enter(ref taken)|}; Work(); _spin.Exit();", "_spin.Enter(...)", "_spin.Exit()")]
    [InlineData("bool taken = false; {|#0:_spin.TryEnter(ref taken)|}; if (taken) { Work(); _spin.Exit(false); }", "_spin.TryEnter(...)", "_spin.Exit(...)")]
    [InlineData("{|#0:_mutex.WaitOne()|}; Work(); _mutex.ReleaseMutex();", "_mutex.WaitOne()", "_mutex.ReleaseMutex()")]
    [InlineData("{|#0:_semaphore.WaitOne()|}; Work(); _semaphore.Release();", "_semaphore.WaitOne()", "_semaphore.Release()")]
    [InlineData("{|#0:_legacy.AcquireWriterLock(1000)|}; Work(); _legacy.ReleaseWriterLock();", "_legacy.AcquireWriterLock(...)", "_legacy.ReleaseWriterLock()")]
    [InlineData("{|#0:_legacy.AcquireReaderLock(1000)|}; Work(); _legacy.ReleaseLock();", "_legacy.AcquireReaderLock(...)", "_legacy.ReleaseLock()")]
    [InlineData("{|#0:this._sem.Wait()|}; Work(); _sem.Release();", "this._sem.Wait()", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait()|}; try { Work(); } catch { _sem.Release(); throw; } _sem.Release();", "_sem.Wait()", "_sem.Release()")]
    public Task OtherPrimitivesWithoutFinallyAreFlagged(string statements, string acquire, string release) =>
        Verify.Diagnostic(InMethod(statements), Other(acquire, release));

    [Fact]
    public Task WaitAsyncWithoutFinallyIsFlagged() =>
        Verify.Diagnostic(
            InMethod("await {|#0:_sem.WaitAsync()|}.ConfigureAwait(false); Work(); _sem.Release();", "async Task"),
            Other("_sem.WaitAsync()", "_sem.Release()"));

    [Theory]
    [InlineData("if (!_sem.Wait(0)) return; try { Work(); } finally { _sem.Release(); }")]
    [InlineData("if (!_sem.Wait(0)) { Console.WriteLine(); return; } try { Work(); } finally { _sem.Release(); }")]
    [InlineData("var acquired = _sem.Wait(10); if (!acquired) return; try { Work(); } finally { _sem.Release(); }")]
    [InlineData("if (_sem.Wait(10)) { try { Work(); } finally { _sem.Release(); } }")]
    [InlineData("if (_sem.Wait(10)) try { Work(); } finally { _sem.Release(); } else Work();")]
    [InlineData("_rw.EnterReadLock(); try { Work(); } finally { _rw.ExitReadLock(); }")]
    [InlineData("_rw.EnterReadLock(); bool found = false; string name; object copy = null; var limit = 10; p = null; var copy2 = new System.Collections.Generic.List<int>(); try { found = _count > limit; } finally { _rw.ExitReadLock(); }")]
    [InlineData("_rw.EnterWriteLock(); try { Work(); } finally { if (_rw.IsWriteLockHeld) _rw.ExitWriteLock(); }")]
    [InlineData("if (Monitor.TryEnter(_gate)) { try { Work(); } finally { Monitor.Exit(_gate); } }")]
    [InlineData("if (!Monitor.TryEnter(_gate, 100)) { throw new TimeoutException(); } try { Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("while (!Monitor.TryEnter(_gate)) Thread.Yield(); try { Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("bool taken = false; try { _spin.Enter(ref taken); Work(); } finally { if (taken) _spin.Exit(); }")]
    [InlineData("bool taken = false; try { Monitor.TryEnter(_gate, 10, ref taken); if (taken) Work(); } finally { if (taken) Monitor.Exit(_gate); }")]
    [InlineData("var handedOver = false; Monitor.Enter(_gate); try { handedOver = _count > 0; } finally { if (!handedOver) Monitor.Exit(_gate); }")]
    [InlineData("_mutex.WaitOne(); try { Work(); } finally { _mutex.ReleaseMutex(); }")]
    [InlineData("_legacy.AcquireReaderLock(100); try { Work(); } finally { _legacy.ReleaseReaderLock(); }")]
    [InlineData("switch (_count) { case 1: _sem.Wait(); try { Work(); } finally { _sem.Release(); } break; }")]
    [InlineData("_rw.EnterReadLock(); Work(); _rw.ExitWriteLock();")]
    [InlineData("_sem.Release(); Work(); _sem.Wait();")]
    [InlineData("_event.WaitOne(); Work(); _event.Set();")]
    [InlineData("_sem.Wait(); Action release = () => _sem.Release(); release();")]
    [InlineData("_sem.Wait(); Work(); Release(); void Release() => _sem.Release();")]
    [InlineData("var other = new C(); other._sem.Wait(); Work(); other._sem.Release();")]
    public Task ReleasedInFinallyOrElsewhereIsNotFlagged(string statements) => Verify.Diagnostic(InMethod(statements));

    [Theory]
    [InlineData("await _sem.WaitAsync(); try { Work(); } finally { _sem.Release(); }")]
    [InlineData("await _sem.WaitAsync().ConfigureAwait(false); try { await Task.Yield(); } finally { _sem.Release(); }")]
    [InlineData("if (!await _sem.WaitAsync(100)) return; try { Work(); } finally { _sem.Release(); }")]
    public Task AwaitedWaitReleasedInFinallyIsNotFlagged(string statements) => Verify.Diagnostic(InMethod(statements, "async Task"));

    [Fact]
    public Task LockHandedToAReturnedDisposableIsNotFlagged() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        sealed class Releaser : IDisposable
        {
            private readonly Action _release;
            public Releaser(Action release) => _release = release;
            public void Dispose() => _release();
        }

        class Cache
        {
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly SemaphoreSlim _sem = new SemaphoreSlim(1);

            public IDisposable Read()
            {
                _rw.EnterReadLock();
                return new Releaser(() => _rw.ExitReadLock());
            }

            public IDisposable Take()
            {
                _sem.Wait();
                return new Releaser(() => _sem.Release());
            }

            public void Enter() => _sem.Wait();

            public void Leave() => _sem.Release();
        }
        """);

    [Theory]
    [InlineData("Monitor.Enter(_gate); try { Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("bool taken = false; try { Monitor.Enter(_gate, ref taken); Work(); } finally { if (taken) Monitor.Exit(_gate); }")]
    [InlineData("var taken = false; Monitor.Enter(_gate, ref taken); try { Work(); } finally { if (taken) { Monitor.Exit(_gate); } }")]
    [InlineData("try { Monitor.Enter(_gate); Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("lock (_gate) { Work(); }")]
    [InlineData("Monitor.Enter(_gate); Work();")]
    [InlineData("Monitor.Enter(_gate); Work(); Monitor.Exit(s_gate);")]
    [InlineData("var other = new C(); Monitor.Enter(other._gate); Work(); Monitor.Exit(other._gate);")]
    [InlineData("Monitor.Enter(Get()); Work(); Monitor.Exit(Get());")]
    [InlineData("Monitor.Enter(_gate); try { try { Work(); } finally { Work(); } } finally { Monitor.Exit(_gate); }")]
    [InlineData("bool taken = false; Monitor.Enter(lockTaken: ref taken, obj: _gate); try { Work(); } finally { if (taken) Monitor.Exit(_gate); }")]
    public Task ProtectedOrUnseenEnterIsNotFlagged(string statements) =>
        Verify.Diagnostic(InMethod(statements).Replace("void Work() { }", "void Work() { } object Get() => _gate;"));

    [Fact]
    public Task AcquireAndReleaseMethodsAreNotFlagged() => Verify.Diagnostic("""
        using System.Threading;
        class Latch
        {
            private readonly object _gate = new object();

            public void Acquire() => Monitor.Enter(_gate);

            public void Release() { Monitor.Exit(_gate); }
        }
        """);

    [Fact]
    public Task UserMonitorIsNotFlagged() => Verify.Diagnostic("""
        class Monitor
        {
            public static void Enter(object o) { }
            public static void Exit(object o) { }
        }

        class C
        {
            void M(object gate)
            {
                Monitor.Enter(gate);
                Monitor.Exit(gate);
            }
        }
        """);

    [Fact]
    public Task FixWrapsTheStatementsInALock() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private readonly object _gate = new object();
            private int _count;

            void M()
            {
                // take the gate
                {|#0:Monitor.Enter(_gate)|};
                _count++;
                if (_count > 10)
                {
                    return;
                }
                Monitor.Exit(_gate); // released
                _count--;
            }
        }
        """, """
        using System.Threading;
        class C
        {
            private readonly object _gate = new object();
            private int _count;

            void M()
            {
                // take the gate
                lock (_gate)
                {
                    _count++;
                    if (_count > 10)
                    {
                        return;
                    }
                } // released
                _count--;
            }
        }
        """, Key, Monitor("_gate"));

    [Fact]
    public Task FixAllRewritesNestedPairs() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private readonly object _a = new object();
            private readonly object _b = new object();

            void M()
            {
                {|#0:Monitor.Enter(_a)|};
                {|#1:Monitor.Enter(_b)|};
                System.Console.WriteLine();
                Monitor.Exit(_b);
                Monitor.Exit(_a);
            }
        }
        """, """
        using System.Threading;
        class C
        {
            private readonly object _a = new object();
            private readonly object _b = new object();

            void M()
            {
                lock (_a)
                {
                    lock (_b)
                    {
                        System.Console.WriteLine();
                    }
                }
            }
        }
        """, Key,
        Verify.Expect("THR009", 0).WithArguments("Monitor.Enter(_a)", "Monitor.Exit(_a)", UseLock),
        Verify.Expect("THR009", 1).WithArguments("Monitor.Enter(_b)", "Monitor.Exit(_b)", UseLock));

    [Theory]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; var n = _count; Monitor.Exit(_gate); Console.WriteLine(n);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; Work(); if (_count > 0) Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; if (_count > 0) { Monitor.Exit(_gate); return; } Work(); Monitor.Exit(_gate);", "_gate")]
    [InlineData("bool taken = false; {|#0:Monitor.Enter(_gate, ref taken)|}; Work(); Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_count)|}; Work(); Monitor.Exit(_count);", "_count")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; Work(); Local(); void Local() { } Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; Work(); try { Work(); } finally { Monitor.Exit(_gate); }", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; using var d = new System.IO.MemoryStream(); Monitor.Exit(_gate);", "_gate")]
    public Task NoFixWhereALockWouldNotFit(string statements, string lockObject) =>
        Verify.NoFix(InMethod(statements), Key, Monitor(lockObject));

    [Fact]
    public Task NoFixAcrossAnAwait() => Verify.NoFix("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();

            async Task M()
            {
                {|#0:Monitor.Enter(_gate)|};
                await Task.Delay(1);
                Monitor.Exit(_gate);
            }
        }
        """, Key, Monitor("_gate"));

    [Fact]
    public Task FixMovesTheReleaseIntoAFinally() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly SemaphoreSlim _sem = new SemaphoreSlim(1);
            private int _count;

            async Task M()
            {
                await {|#0:_sem.WaitAsync()|};
                _count++;
                await Task.Yield();
                // give it back
                _sem.Release(); // released
                _count--;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly SemaphoreSlim _sem = new SemaphoreSlim(1);
            private int _count;

            async Task M()
            {
                await _sem.WaitAsync();
                try
                {
                    _count++;
                    await Task.Yield();
                }
                finally
                {
                    // give it back
                    _sem.Release();
                } // released
                _count--;
            }
        }
        """, TryKey, Other("_sem.WaitAsync()", "_sem.Release()"));

    [Fact]
    public Task FixAllWrapsNestedPrimitives() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly Mutex _mutex = new Mutex();

            void M()
            {
                {|#0:_mutex.WaitOne()|};
                {|#1:_rw.EnterWriteLock()|};
                System.Console.WriteLine();
                _rw.ExitWriteLock();
                _mutex.ReleaseMutex();
            }
        }
        """, """
        using System.Threading;
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly Mutex _mutex = new Mutex();

            void M()
            {
                _mutex.WaitOne();
                try
                {
                    _rw.EnterWriteLock();
                    try
                    {
                        System.Console.WriteLine();
                    }
                    finally
                    {
                        _rw.ExitWriteLock();
                    }
                }
                finally
                {
                    _mutex.ReleaseMutex();
                }
            }
        }
        """, TryKey,
        Other("_mutex.WaitOne()", "_mutex.ReleaseMutex()", 0),
        Other("_rw.EnterWriteLock()", "_rw.ExitWriteLock()", 1));

    [Theory]
    [InlineData("{|#0:_sem.Wait()|}; var n = _count; _sem.Release(); Console.WriteLine(n);", "_sem.Wait()", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait()|}; if (_count > 0) { _sem.Release(); return; } Work(); _sem.Release();", "_sem.Wait()", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait()|}; Work(); if (_count > 0) _sem.Release();", "_sem.Wait()", "_sem.Release()")]
    [InlineData("if ({|#0:_sem.Wait(10)|}) { Work(); _sem.Release(); }", "_sem.Wait(...)", "_sem.Release()")]
    [InlineData("{|#0:_sem.Wait(10)|}; Work(); _sem.Release();", "_sem.Wait(...)", "_sem.Release()")]
    [InlineData("{|#0:_rw.EnterReadLock()|}; Work(); Local(); void Local() { } _rw.ExitReadLock();", "_rw.EnterReadLock()", "_rw.ExitReadLock()")]
    public Task NoTryFinallyFixWhereItWouldNotFit(string statements, string acquire, string release) =>
        Verify.NoFix(InMethod(statements), TryKey, Other(acquire, release));

    [Theory]
    [InlineData("Monitor.Enter(_gate; Work(); Monitor.Exit(_gate);")]
    [InlineData("_sem.Wait(; Work(); _sem.Release();")]
    [InlineData("_sem.Wait(); Missing(); _sem.Release();")]
    [InlineData("_rw.EnterReadLock(); Work(); _rw.ExitReadLock(")]
    [InlineData("Monitor.Enter(missing); Work(); Monitor.Exit(missing);")]
    [InlineData("Monitor.Enter(_gate); Missing(); Monitor.Exit(_gate);")]
    [InlineData("Monitor.Enter(); Monitor.Exit(_gate);")]
    public Task SilentOnBrokenCode(string statements) => Verify.NoDiagnosticInBrokenCode(InMethod(statements));
}
