using System.Threading.Tasks;
using Thr002 = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;
using Thr009 = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR009MonitorEnterWithoutFinallyAnalyzer, ThreadingAnalyzers.CodeFixes.THR009MonitorEnterWithoutFinallyCodeFix>;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The threading_analyzers.* options (docs/configuration.md) as each rule sees them: a configured entry point, thread-safe
/// type or lock pair changes what the shared model answers, and so what the rules report; without the option, the
/// same code gets the framework-only answer.
/// </summary>
public class ConfigurationTests
{
    private const string SpinGateConfig = "threading_analyzers.lock_methods = M:Shop.SpinGate.Enter|M:Shop.SpinGate.Exit";

    private const string SpinGate = """
        namespace Shop
        {
            public sealed class SpinGate
            {
                private int _held;
                public void Enter() { while (System.Threading.Interlocked.Exchange(ref _held, 1) == 1) { } }
                public void Exit() => System.Threading.Volatile.Write(ref _held, 0);
            }
        }
        """;

    private const string GateWithoutFinally = SpinGate + """

        class C
        {
            private readonly Shop.SpinGate _gate = new Shop.SpinGate();
            private int _count;

            void M()
            {
                {|#0:_gate.Enter()|};
                _count++;
                _gate.Exit();
            }
        }
        """;

    [Fact]
    public Task ConfiguredLockWhoseReleaseIsNotInAFinallyIsReported() => Thr009.DiagnosticWithConfig(
        GateWithoutFinally,
        SpinGateConfig,
        global: false,
        Thr009.Expect("THR009", 0).WithArguments("_gate.Enter()", "_gate.Exit()", "release it in a finally"));

    [Fact]
    public Task WithoutTheOptionTheSameCallsAreNoLock() => Thr009.Diagnostic(GateWithoutFinally.Replace("{|#0:", "").Replace("|}", ""));

    [Fact]
    public Task ConfiguredLockReleasedInAFinallyIsSilent() => Thr009.DiagnosticWithConfig(
        SpinGate + """

        class C
        {
            private readonly Shop.SpinGate _gate = new Shop.SpinGate();
            private int _count;

            void M()
            {
                _gate.Enter();
                try { _count++; }
                finally { _gate.Exit(); }
            }
        }
        """,
        SpinGateConfig,
        global: true);

    /// <summary>A lock type whose method names the analysis would not guess: only the option makes it one.</summary>
    private const string Latch = """
        namespace Shop
        {
            public sealed class Latch
            {
                private int _held;
                public void Hold() { while (System.Threading.Interlocked.Exchange(ref _held, 1) == 1) { } }
                public void Drop() => System.Threading.Volatile.Write(ref _held, 0);
            }
        }
        """;

    private const string CountUnderTheLatch = Latch + """

        class C
        {
            private readonly Shop.Latch _latch = new Shop.Latch();
            private int _count;

            void M()
            {
                System.Threading.Tasks.Parallel.For(0, 10, i =>
                {
                    _latch.Hold();
                    try { {|#0:_count++|}; }
                    finally { _latch.Drop(); }
                });
            }
        }
        """;

    [Fact]
    public Task WriteBetweenAConfiguredAcquireAndReleaseIsProtected() => Thr002.DiagnosticWithConfig(
        CountUnderTheLatch.Replace("{|#0:", "").Replace("|}", ""),
        "threading_analyzers.lock_methods = M:Shop.Latch.Hold|M:Shop.Latch.Drop",
        global: false);

    [Fact]
    public Task WithoutTheOptionTheSameWriteIsARace() =>
        Thr002.Diagnostic(CountUnderTheLatch, Thr002.Expect("THR002", 0).WithArguments("_count", "incremented", "Parallel.For"));
}
