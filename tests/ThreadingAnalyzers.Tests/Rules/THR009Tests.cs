using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR009MonitorEnterWithoutFinallyAnalyzer, ThreadingAnalyzers.CodeFixes.THR009MonitorEnterWithoutFinallyCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR009Tests
{
    private const string Key = "THR009.UseLock";

    private static string InMethod(string body) => $$"""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new object();
            private static readonly object s_gate = new object();
            private int _count;

            void Work() { }

            void M(object p)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; _count++; Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(s_gate)|}; Work(); Monitor.Exit(s_gate);", "s_gate")]
    [InlineData("{|#0:Monitor.Enter(this)|}; Work(); Monitor.Exit(this);", "this")]
    [InlineData("{|#0:Monitor.Enter(typeof(C))|}; Work(); Monitor.Exit(typeof(C));", "typeof(C)")]
    [InlineData("{|#0:Monitor.Enter(p)|}; if (_count > 0) return; Monitor.Exit(p);", "p")]
    [InlineData("var local = new object(); {|#0:Monitor.Enter(local)|}; Work(); Monitor.Exit(local);", "local")]
    [InlineData("{|#0:Monitor.Enter(this._gate)|}; Work(); Monitor.Exit(_gate);", "this._gate")]
    [InlineData("{|#0:System.Threading.Monitor.Enter(_gate)|}; Work(); System.Threading.Monitor.Exit(_gate);", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; Work(); try { Work(); } finally { Monitor.Exit(_gate); }", "_gate")]
    [InlineData("{|#0:Monitor.Enter(_gate)|}; try { Work(); } catch { Monitor.Exit(_gate); throw; } Monitor.Exit(_gate);", "_gate")]
    [InlineData("bool taken = false; {|#0:Monitor.Enter(_gate, ref taken)|}; Work(); if (taken) Monitor.Exit(_gate);", "_gate")]
    [InlineData("Action a = () => { {|#0:Monitor.Enter(_gate)|}; Work(); Monitor.Exit(_gate); };", "_gate")]
    public Task EnterWithoutFinallyIsFlagged(string statements, string lockObject) =>
        Verify.Diagnostic(InMethod(statements), Verify.Expect("THR009").WithArguments(lockObject));

    [Theory]
    [InlineData("Monitor.Enter(_gate); try { Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("bool taken = false; try { Monitor.Enter(_gate, ref taken); Work(); } finally { if (taken) Monitor.Exit(_gate); }")]
    [InlineData("var taken = false; Monitor.Enter(_gate, ref taken); try { Work(); } finally { if (taken) { Monitor.Exit(_gate); } }")]
    [InlineData("try { Monitor.Enter(_gate); Work(); } finally { Monitor.Exit(_gate); }")]
    [InlineData("if (Monitor.TryEnter(_gate)) { Work(); Monitor.Exit(_gate); }")]
    [InlineData("lock (_gate) { Work(); }")]
    [InlineData("Monitor.Enter(_gate); Work();")]
    [InlineData("Monitor.Enter(_gate); Work(); Monitor.Exit(s_gate);")]
    [InlineData("var other = new C(); Monitor.Enter(other._gate); Work(); Monitor.Exit(other._gate);")]
    [InlineData("Monitor.Enter(Get()); Work(); Monitor.Exit(Get());")]
    [InlineData("Monitor.Enter(_gate); try { try { Work(); } finally { Work(); } } finally { Monitor.Exit(_gate); }")]
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
        """, Key, Verify.Expect("THR009").WithArguments("_gate"));

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
        Verify.Expect("THR009", 0).WithArguments("_a"),
        Verify.Expect("THR009", 1).WithArguments("_b"));

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
        Verify.NoFix(InMethod(statements), Key, Verify.Expect("THR009").WithArguments(lockObject));

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
        """, Key, Verify.Expect("THR009").WithArguments("_gate"));

    [Theory]
    [InlineData("Monitor.Enter(_gate; Work(); Monitor.Exit(_gate);")]
    [InlineData("Monitor.Enter(missing); Work(); Monitor.Exit(missing);")]
    [InlineData("Monitor.Enter(_gate); Missing(); Monitor.Exit(_gate);")]
    [InlineData("Monitor.Enter(); Monitor.Exit(_gate);")]
    public Task SilentOnBrokenCode(string statements) => Verify.NoDiagnosticInBrokenCode(InMethod(statements));
}
