using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR022MonitorWaitWithoutLockAnalyzer>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR022Tests
{
    private static string Queue(string members) => $$"""
        using System.Collections.Generic;
        using System.Runtime.CompilerServices;
        using System.Threading;
        class WorkQueue
        {
            private readonly object _sync = new object();
            private readonly object _other = new object();
            private static readonly object s_gate = new object();
            private readonly Queue<int> _items = new Queue<int>();
            {{members}}
        }
        """;

    [Theory]
    [InlineData("public void Add(int i) { _items.Enqueue(i); {|#0:Monitor.Pulse(_sync)|}; }", "Pulse", "_sync")]
    [InlineData("public void Wake() { {|#0:Monitor.PulseAll(_sync)|}; }", "PulseAll", "_sync")]
    [InlineData("public int Take() { while (_items.Count == 0) {|#0:Monitor.Wait(_sync)|}; return _items.Dequeue(); }", "Wait", "_sync")]
    [InlineData("public void Wait2() { _ = {|#0:Monitor.Wait(_sync, 100)|}; }", "Wait", "_sync")]
    [InlineData("public void Add(int i) { lock (_other) { {|#0:Monitor.Pulse(_sync)|}; } }", "Pulse", "_sync")]
    [InlineData("public void Add(int i) { lock (_sync) { } {|#0:Monitor.Pulse(_sync)|}; }", "Pulse", "_sync")]
    [InlineData("public void Add(int i) { Monitor.Enter(_sync); Monitor.Exit(_sync); {|#0:Monitor.Pulse(_sync)|}; }", "Pulse", "_sync")]
    [InlineData("public void Add() { lock (_sync) { Signal(); } Signal(); } private void Signal() => {|#0:Monitor.Pulse(_sync)|};", "Pulse", "_sync")]
    [InlineData("[MethodImpl(MethodImplOptions.Synchronized)] public void Add() { {|#0:Monitor.Pulse(_sync)|}; }", "Pulse", "_sync")]
    [InlineData("public static void Wake() { {|#0:Monitor.PulseAll(s_gate)|}; }", "PulseAll", "s_gate")]
    [InlineData("public void Wake(object gate) { {|#0:Monitor.Pulse(gate)|}; }", "Pulse", "gate")]
    public Task LockNotHeld(string members, string method, string target) =>
        Verify.Diagnostic(Queue(members), Verify.Expect("THR022").WithArguments(method, target));

    [Theory]
    [InlineData("public void Add(int i) { lock (_sync) { _items.Enqueue(i); Monitor.Pulse(_sync); } }")]
    [InlineData("public int Take() { lock (_sync) { while (_items.Count == 0) Monitor.Wait(_sync); return _items.Dequeue(); } }")]
    [InlineData("public void Add() { lock (_sync) { lock (_other) { Monitor.PulseAll(_sync); } } }")]
    [InlineData("public void Add() { Monitor.Enter(_sync); try { Monitor.Pulse(_sync); } finally { Monitor.Exit(_sync); } }")]
    [InlineData("public void Add() { var taken = false; try { Monitor.Enter(_sync, ref taken); Monitor.Pulse(_sync); } finally { if (taken) Monitor.Exit(_sync); } }")]
    [InlineData("public void Add() { lock (_sync) { Signal(); } } private void Signal() { Monitor.Pulse(_sync); }")]
    [InlineData("public void Add() { lock (_sync) { Outer(); } } private void Outer() => Signal(); private void Signal() { Monitor.Pulse(_sync); }")]
    [InlineData("private void NeverCalled() { Monitor.Pulse(_sync); }")]
    [InlineData("protected void SignalForDerived() { Monitor.Pulse(_sync); }")]
    [InlineData("[MethodImpl(MethodImplOptions.Synchronized)] public void Add() { Monitor.Pulse(this); }")]
    [InlineData("[MethodImpl(MethodImplOptions.Synchronized)] public static void Wake() { Monitor.PulseAll(typeof(WorkQueue)); }")]
    [InlineData("public void Wake(object gate) { lock (gate) { Monitor.Pulse(gate); } }")]
    [InlineData("public void Wake() { var gate = _sync; lock (gate) { Monitor.Pulse(_sync); } }")]
    [InlineData("public void Wake() { lock (Gate()) { Monitor.Pulse(_sync); } } object Gate() => _sync;")]
    [InlineData("public void Wake() { Run(() => Monitor.Pulse(_sync)); } void Run(System.Action a) { lock (_sync) a(); }")]
    [InlineData("public void Wake() { Monitor.Pulse(Gate()); } object Gate() => _sync;")]
    [InlineData("public void Wake() { var taken = false; try { Take(ref taken); Monitor.Pulse(this); } finally { if (taken) Monitor.Exit(this); } } void Take(ref bool taken) => Monitor.Enter(this, ref taken);")]
    [InlineData("public void Wake(Monitor2 m) { m.Pulse(_sync); } public class Monitor2 { public void Pulse(object o) { } }")]
    public Task SilentWhenHeldOrUnknown(string members) => Verify.Diagnostic(Queue(members));

    [Fact]
    public Task PrivateHelperCalledFromANestedTypeUnderTheLock() => Verify.Diagnostic("""
        using System.Threading;
        class Outer
        {
            private static readonly object s_gate = new object();
            private static void Signal() => Monitor.PulseAll(s_gate);
            class Inner
            {
                public void Done() { lock (s_gate) { Signal(); } }
            }
        }
        """);

    [Theory]
    [InlineData("public void Add() { Monitor.Pulse(_sync }")]
    [InlineData("public void Add() { Monitor.Pulse(Missing); }")]
    [InlineData("public void Add() { lock (_sync) { Monitor.Pulse(_sync); } int x = ; }")]
    [InlineData("public void Add() { Monitor.Puls(_sync); }")]
    public Task SilentOnBrokenCode(string members) => Verify.NoDiagnosticInBrokenCode(Queue(members));
}
