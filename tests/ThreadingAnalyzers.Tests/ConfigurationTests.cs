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
    public Task WithoutTheOptionTheSameCallsAreNoLock() => Thr009.Diagnostic(WithoutMarkup(GateWithoutFinally));

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
                {|#1:System.Threading.Tasks.Parallel.For(0, 10, i =>
                {
                    _latch.Hold();
                    try { {|#0:_count++|}; }
                    finally { _latch.Drop(); }
                })|};
            }
        }
        """;

    [Fact]
    public Task WriteBetweenAConfiguredAcquireAndReleaseIsProtected() => Thr002.DiagnosticWithConfig(
        WithoutMarkup(CountUnderTheLatch),
        "threading_analyzers.lock_methods = M:Shop.Latch.Hold|M:Shop.Latch.Drop",
        global: false);

    [Fact]
    public Task WithoutTheOptionTheSameWriteIsARace() =>
        Thr002.Diagnostic(
            CountUnderTheLatch,
            Thr002.Expect("THR002", 0).WithLocation(1).WithArguments("_count", "incremented", "Parallel.For", "17", "that code runs more than once at a time"));

    private static string WithoutMarkup(string source) => source.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "");

    private const string Scheduler = """
        namespace Shop
        {
            public sealed class Scheduler
            {
                public void Post(System.Action work) => System.Threading.ThreadPool.UnsafeQueueUserWorkItem(_ => work(), null);
            }
        }

        class Counter
        {
            private int _count;

            public void Start(Shop.Scheduler scheduler)
            {
                {|#1:scheduler.Post(() => {|#0:_count++|})|};
            }
        }
        """;

    [Fact]
    public Task ConfiguredEntryPointThatRunsRepeatedlyFindsTheRace() => Thr002.DiagnosticWithConfig(
        Scheduler,
        "threading_analyzers.concurrent_entry_points = M:Shop.Scheduler.Post*+repeat",
        global: false,
        Thr002.Expect("THR002", 0).WithLocation(1).WithArguments("_count", "incremented", "Scheduler.Post", "15", "that code runs more than once at a time"));

    [Fact]
    public Task WithoutTheEntryPointTheDelegateIsNotSeenToRun() => Thr002.Diagnostic(WithoutMarkup(Scheduler));

    private const string SafeStack = """
        namespace Shop
        {
            /// <summary>Thread-safe by a protocol the analysis cannot see; the team vouches for it in .editorconfig.</summary>
            public sealed class SafeStack
            {
                private int _count;
                public void Push(int item) => {|#0:_count++|};
            }
        }

        class Worker
        {
            private readonly Shop.SafeStack _stack = new Shop.SafeStack();

            void Run() => {|#1:System.Threading.Tasks.Parallel.For(0, 100, i => _stack.Push(i))|};
        }
        """;

    [Fact]
    public Task CallsIntoAConfiguredThreadSafeTypeAreNotFollowed() =>
        Thr002.DiagnosticWithConfig(WithoutMarkup(SafeStack), "threading_analyzers.thread_safe_types = T:Shop.SafeStack", global: true);

    [Fact]
    public Task WithoutTheTypeItsUnprotectedWriteIsARace() => Thr002.Diagnostic(
        SafeStack,
        Thr002.Expect("THR002", 0).WithLocation(1).WithArguments("_count", "incremented", "Parallel.For", "15", "that code runs more than once at a time"));
}
