using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR017NonVolatileWaitLoopAnalyzer, ThreadingAnalyzers.CodeFixes.THR017NonVolatileWaitLoopCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR017Tests
{
    private const string Key = "THR017.UseVolatileRead";

    [Theory]
    [InlineData("while (!{|#0:_done|}) { }")]
    [InlineData("while (!{|#0:_done|}) Thread.Sleep(10);")]
    [InlineData("while ({|#0:_done|} == false) { Thread.Yield(); }")]
    [InlineData("do { Thread.SpinWait(20); } while (!{|#0:this._done|});")]
    [InlineData("for (; !{|#0:_done|};) { }")]
    [InlineData("var spin = new SpinWait(); while (!{|#0:_done|}) spin.SpinOnce();")]
    [InlineData("while (!{|#0:_done|} && _count < 10) { }")]
    [InlineData("while (!{|#0:Done|}) { }")]
    [InlineData("while (!{|#0:Finished|}) { }")]
    public Task LoopInMemberWaitingForConcurrentWriteIsFlagged(string loop) => Verify.Diagnostic($$"""
        using System.Threading;
        using System.Threading.Tasks;
        class Worker
        {
            private bool _done;
            private int _count;

            bool Done => _done;

            bool Finished { get; set; }

            void Start()
            {
                Task.Run(() => { _done = true; Finished = true; });
            }

            void Wait()
            {
                {{loop}}
            }
        }
        """, Verify.Expect("THR017").WithArguments(loop.Contains("Finished") ? "Finished" : "_done", "code that runs concurrently", "14").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task ThreadBodyWaitingForAMemberIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        class Pump
        {
            private bool _stop;
            private static int s_state;
            private Thread _thread;

            public void Start()
            {
                _thread = new Thread(Run);
                _thread.Start();
                new Thread(() => { while ({|#1:s_state|} == 0) Thread.Sleep(1); }).Start();
            }

            public void Stop() => {|#2:_stop|} = true;

            public void Go() { {|#3:s_state|} = 1; }

            private void Run()
            {
                while (!{|#0:_stop|})
                {
                    Thread.Sleep(100);
                }
            }
        }
        """,
        Verify.Expect("THR017", 0).WithLocation(2).WithArguments("_stop", "another thread", "15"),
        Verify.Expect("THR017", 1).WithLocation(3).WithArguments("s_state", "another thread", "17"));

    [Fact]
    public Task CapturedLocalsAreFlaggedBothWays() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void Main()
            {
                var stop = false;
                var worker = new Thread(() =>
                {
                    while (!{|#0:stop|}) { }
                });
                worker.Start();
                stop = true;
                worker.Join();

                var ready = false;
                Task.Run(() => ready = true);
                while (!{|#1:ready|}) Thread.Sleep(1);
            }
        }
        """,
        Verify.Expect("THR017", 0).WithArguments("stop", "another thread", "13").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Verify.Expect("THR017", 1).WithArguments("ready", "code that runs concurrently", "17").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task SilentOnVolatileReadsCallsTokensAndBusyBodies() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private volatile bool _volatile;
            private bool _done;
            private int _count;
            private CancellationToken _token;
            private readonly ManualResetEventSlim _event = new ManualResetEventSlim();

            bool Computed { get { Thread.MemoryBarrier(); return _done; } }

            void Start() => Task.Run(() => { _volatile = true; _done = true; _count = 1; });

            bool IsDone() => _done;

            void Wait()
            {
                while (!_volatile) { }
                while (!Volatile.Read(ref _done)) { }
                while (!IsDone()) { }
                while (!_token.IsCancellationRequested) { }
                while (Interlocked.CompareExchange(ref _count, 0, 0) == 0) { }
                while (!Computed) { }
                while (!_event.IsSet) { }
                while (!_done) { _count++; }
                while (!_done) { Work(); }
                while (!_done) { _done = Poll(); }
            }

            void Work() { }
            bool Poll() => true;
        }
        """);

    [Fact]
    public Task SilentWithoutAConcurrentWriter() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Plain
        {
            private bool _stop;

            public void Stop() => {|#2:_stop|} = true;

            public void Run()
            {
                while (!_stop) Thread.Sleep(100);
            }
        }

        class SameThread
        {
            private bool _ready;

            void Start() => Task.Run(() =>
            {
                _ready = true;
                while (!_ready) { }
            });

            SameThread() { _ready = false; }
        }

        class Local
        {
            void M()
            {
                var done = false;
                Task.Run(() => { });
                done = true;
                while (!done) { }
            }
        }
        """);

    [Fact]
    public Task FieldsAndLocalsBecomeVolatileReads() => Verify.Fix("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            private bool _done;
            private static int s_state;

            void Start() => Task.Run(() => { _done = true; s_state = 2; });

            void Wait()
            {
                while (!{|#0:_done|}) { }
                while ({|#1:C.s_state|} != 2) { }
                var stop = false;
                Task.Run(() => { while (!{|#2:stop|}) { } });
                stop = true;
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private bool _done;
            private static int s_state;

            void Start() => Task.Run(() => { _done = true; s_state = 2; });

            void Wait()
            {
                while (!Volatile.Read(ref _done)) { }
                while (Volatile.Read(ref C.s_state) != 2) { }
                var stop = false;
                Task.Run(() => { while (!Volatile.Read(ref stop)) { } });
                stop = true;
            }
        }
        """, Key,
        Verify.Expect("THR017", 0).WithArguments("_done", "code that runs concurrently", "8").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Verify.Expect("THR017", 1).WithArguments("s_state", "code that runs concurrently", "8").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Verify.Expect("THR017", 2).WithArguments("stop", "another thread", "16").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Fact]
    public Task NoFixForPropertiesEnumsAndParameters() => Verify.NoFix("""
        using System.Threading.Tasks;
        enum State { Idle, Done }
        class C
        {
            private State _state;

            bool Finished { get; set; }

            void Start() => Task.Run(() => { _state = State.Done; Finished = true; });

            void Wait(bool go)
            {
                while ({|#0:_state|} != State.Done) { }
                while (!{|#1:Finished|}) { }
                Task.Run(() => go = true);
                while (!{|#2:go|}) { }
            }
        }
        """, Key,
        Verify.Expect("THR017", 0).WithArguments("_state", "code that runs concurrently", "9").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Verify.Expect("THR017", 1).WithArguments("Finished", "code that runs concurrently", "9").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations),
        Verify.Expect("THR017", 2).WithArguments("go", "code that runs concurrently", "15").WithOptions(DiagnosticOptions.IgnoreAdditionalLocations));

    [Theory]
    [InlineData("using System.Threading.Tasks; class C { bool _d; void S() => Task.Run(() => _d = true); void W() { while (!_d) { } int y = ; } }")]
    [InlineData("using System.Threading.Tasks; class C { bool _d; void S() => Task.Run(() => _d = true); void W() { while (!_d { } } }")]
    [InlineData("using System.Threading.Tasks; class C { Unknown _d; void S() => Task.Run(() => _d = null); void W() { while (_d == null) { } } }")]
    [InlineData("using System.Threading.Tasks; class C { bool _d; void S() => Task.Run(() => _d = true); void W() { while (!_d) { Missing(); } } }")]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);
}
