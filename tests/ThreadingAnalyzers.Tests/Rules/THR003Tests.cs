using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using static ThreadingAnalyzers.Tests.Rules.THR003Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR003LegacyThreadApiAnalyzer, ThreadingAnalyzers.CodeFixes.THR003LegacyThreadApiCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR003 reports: every legacy Thread member in every form, and the look-alikes and modern APIs that stay silent.</summary>
public class THR003Tests
{
    [Theory]
    [InlineData("var v = {|#0:Thread.VolatileRead(ref _field)|};", "Thread.VolatileRead", "Volatile.Read")]
    [InlineData("var v = {|#0:Thread.VolatileRead(ref _box)|};", "Thread.VolatileRead", "Volatile.Read")]
    [InlineData("{|#0:Thread.VolatileWrite(ref _field, 1)|};", "Thread.VolatileWrite", "Volatile.Write")]
    [InlineData("{|#0:Thread.MemoryBarrier()|};", "Thread.MemoryBarrier", "Interlocked.MemoryBarrier")]
    [InlineData("var id = {|#0:Thread.CurrentThread.ManagedThreadId|};", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("var domain = {|#0:Thread.GetDomain()|};", "Thread.GetDomain", "AppDomain.CurrentDomain")]
    [InlineData("{|#0:t.ApartmentState = ApartmentState.STA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("var state = {|#0:t.ApartmentState|};", "Thread.ApartmentState", "Thread.GetApartmentState")]
    [InlineData("{|#0:t.Suspend()|};", "Thread.Suspend", Handshake)]
    [InlineData("{|#0:t.Resume()|};", "Thread.Resume", Handshake)]
    [InlineData("{|#0:t.Abort()|};", "Thread.Abort", Cancellation)]
    [InlineData("{|#0:t.Abort(\"stop\")|};", "Thread.Abort", Cancellation)]
    [InlineData("{|#0:Thread.ResetAbort()|};", "Thread.ResetAbort", Cancellation)]
    [InlineData("var s = {|#0:Thread.AllocateDataSlot()|};", "Thread.AllocateDataSlot", ThreadLocalStorage)]
    [InlineData("var s = {|#0:Thread.AllocateNamedDataSlot(\"n\")|};", "Thread.AllocateNamedDataSlot", ThreadLocalStorage)]
    [InlineData("var s = {|#0:Thread.GetNamedDataSlot(\"n\")|};", "Thread.GetNamedDataSlot", ThreadLocalStorage)]
    [InlineData("{|#0:Thread.FreeNamedDataSlot(\"n\")|};", "Thread.FreeNamedDataSlot", ThreadLocalStorage)]
    [InlineData("var o = {|#0:Thread.GetData(slot)|};", "Thread.GetData", ThreadLocalStorage)]
    [InlineData("{|#0:Thread.SetData(slot, 1)|};", "Thread.SetData", ThreadLocalStorage)]
    [InlineData("var stack = {|#0:t.GetCompressedStack()|};", "Thread.GetCompressedStack", "ExecutionContext")]
    [InlineData("{|#0:t.SetCompressedStack(null)|};", "Thread.SetCompressedStack", "ExecutionContext")]
    public Task EveryLegacyMemberIsFlagged(string statement, string legacy, string replacement) =>
        Verify.Diagnostic(InMethod(statement), Verify.Expect("THR003").WithArguments(legacy, replacement));

    [Theory]
    [InlineData("{|#0:Thread.CurrentThread.Abort()|};", "Thread.Abort", Cancellation)]
    [InlineData("{|#0:_worker.Suspend()|};", "Thread.Suspend", Handshake)]
    [InlineData("{|#0:this._worker.Resume()|};", "Thread.Resume", Handshake)]
    [InlineData("var s = {|#0:Thread.CurrentThread.ApartmentState|};", "Thread.ApartmentState", "Thread.GetApartmentState")]
    [InlineData("{|#0:_worker.ApartmentState = ApartmentState.MTA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("var s = t?{|#0:.ApartmentState|};", "Thread.ApartmentState", "Thread.GetApartmentState")]
    [InlineData("t?{|#0:.Abort()|};", "Thread.Abort", Cancellation)]
    [InlineData("var w = new Thread(() => { }) { {|#0:ApartmentState = ApartmentState.STA|} };", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("var s = {|#0:t.ApartmentState = ApartmentState.STA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("{|#0:global::System.Threading.Thread.MemoryBarrier()|};", "Thread.MemoryBarrier", "Interlocked.MemoryBarrier")]
    [InlineData("var id = {|#0:System.Threading.Thread.CurrentThread.ManagedThreadId|};", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("Action a = {|#0:Thread.MemoryBarrier|};", "Thread.MemoryBarrier", "Interlocked.MemoryBarrier")]
    [InlineData("Func<AppDomain> f = {|#0:Thread.GetDomain|};", "Thread.GetDomain", "AppDomain.CurrentDomain")]
    [InlineData("Action a = {|#0:t.Abort|};", "Thread.Abort", Cancellation)]
    [InlineData("Func<int> f = () => {|#0:Thread.CurrentThread.ManagedThreadId|};", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("var current = Thread.CurrentThread; Console.WriteLine({|#0:current.ManagedThreadId|});", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("Thread current = Thread.CurrentThread; var name = current.Name; var id = {|#0:current.ManagedThreadId|};", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("new Thread(() => { var mine = Thread.CurrentThread; Console.WriteLine({|#0:mine.ManagedThreadId|}); }).Start();", "Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId")]
    [InlineData("var v = {|#0:Thread.VolatileRead(address: ref _field)|};", "Thread.VolatileRead", "Volatile.Read")]
    public Task FlaggedInEveryForm(string statement, string legacy, string replacement) =>
        Verify.Diagnostic(InMethod(statement), Verify.Expect("THR003").WithArguments(legacy, replacement));

    [Fact]
    public Task FlaggedUnderUsingStatic() => Verify.Diagnostic("""
        using static System.Threading.Thread;
        class C
        {
            int _field;

            int M()
            {
                {|#0:MemoryBarrier()|};
                {|#1:VolatileWrite(ref _field, 2)|};
                var current = (CurrentThread);
                return {|#2:CurrentThread.ManagedThreadId|} + {|#3:current.ManagedThreadId|};
            }
        }
        """,
        Verify.Expect("THR003", 0).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"),
        Verify.Expect("THR003", 1).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
        Verify.Expect("THR003", 2).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"),
        Verify.Expect("THR003", 3).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"));

    [Fact]
    public Task FlaggedInTopLevelStatements()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading;

                var current = Thread.CurrentThread;
                Console.WriteLine({|#0:current.ManagedThreadId|});
                {|#1:Thread.MemoryBarrier()|};
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR003", 0).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR003", 1).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SilentOnUserTypeNamedThread() => Verify.Diagnostic("""
        namespace My
        {
            enum ApartmentState { STA }

            sealed class Thread
            {
                public static Thread CurrentThread { get; } = new Thread();
                public int ManagedThreadId { get; }
                public ApartmentState ApartmentState { get; set; }
                public static void MemoryBarrier() { }
                public static int VolatileRead(ref int x) => x;
                public static object GetDomain() => null;
                public void Abort() { }
                public void Suspend() { }
                public static object GetData(object slot) => slot;
            }

            class C
            {
                int _field;

                void M(Thread t)
                {
                    Thread.MemoryBarrier();
                    var v = Thread.VolatileRead(ref _field);
                    var id = Thread.CurrentThread.ManagedThreadId;
                    var d = Thread.GetDomain();
                    t.ApartmentState = ApartmentState.STA;
                    var s = t.ApartmentState;
                    t.Abort();
                    t.Suspend();
                    var o = Thread.GetData(null);
                }
            }
        }
        """);

    [Fact]
    public Task SilentOnExtensionMethodsWithLegacyNames() => Verify.Diagnostic("""
        using System.Threading;
        static class ThreadExtensions
        {
            public static void Abort(this Thread thread, int code, string reason) { }
            public static void Suspend(this Thread thread, int code) { }
        }
        class C
        {
            void M(Thread t)
            {
                t.Abort(1, "stop");
                t.Suspend(2);
            }
        }
        """);

    [Theory]
    [InlineData("var id = t.ManagedThreadId;")]
    [InlineData("var id = _worker.ManagedThreadId;")]
    [InlineData("var worker = new Thread(() => { }); var id = worker.ManagedThreadId;")]
    [InlineData("var name = nameof(Thread.ManagedThreadId);")]
    [InlineData("var name = nameof(Thread.CurrentThread.ManagedThreadId);")]
    [InlineData("var name = nameof(Thread.ApartmentState);")]
    [InlineData("var name = nameof(t.ApartmentState);")]
    [InlineData("var name = nameof(Thread.Abort);")]
    [InlineData("var name = nameof(Thread.MemoryBarrier);")]
    [InlineData("var v = Volatile.Read(ref _field); Volatile.Write(ref _field, v); Interlocked.MemoryBarrier();")]
    [InlineData("var id = Environment.CurrentManagedThreadId; var d = AppDomain.CurrentDomain;")]
    [InlineData("t.SetApartmentState(ApartmentState.STA); var s = t.GetApartmentState(); t.TrySetApartmentState(s);")]
    [InlineData("Thread.Sleep(1); Thread.SpinWait(1); Thread.Yield(); t.Interrupt(); var n = Thread.CurrentThread.Name;")]
    [InlineData("var current = Thread.CurrentThread; current = t; var id = current.ManagedThreadId;")]
    [InlineData("var current = Thread.CurrentThread; Swap(ref current); var id = current.ManagedThreadId;")]
    [InlineData("var current = Thread.CurrentThread; (current, _) = (t, 1); var id = current.ManagedThreadId;")]
    [InlineData("var current = t; var id = current.ManagedThreadId;")]
    [InlineData("var current = Thread.CurrentThread; new Thread(() => Console.WriteLine(current.ManagedThreadId)).Start();")]
    [InlineData("var current = Thread.CurrentThread; int Id() => current.ManagedThreadId; Console.WriteLine(Id());")]
    [InlineData("var id = Thread.CurrentThread?.ManagedThreadId;")]
    [InlineData("var id = Holder.CurrentThread.ManagedThreadId;")]
    [InlineData("var id = Holder.Current().ManagedThreadId;")]
    [InlineData("var held = Holder.CurrentThread; var id = held.ManagedThreadId;")]
    public Task SilentOnLookAlikesAndModernApis(string statement) => Verify.Diagnostic($$"""
        using System;
        using System.Threading;
        class C
        {
            int _field;
            Thread _worker = new Thread(() => { });

            void M(Thread t)
            {
                {{statement}}
            }

            static void Swap(ref Thread thread) => thread = new Thread(() => { });
        }

        static class Holder
        {
            public static Thread CurrentThread { get; } = new Thread(() => { });
            public static Thread Current() => CurrentThread;
        }
        """);

    [Fact]
    public Task SilentOnLocalReadAfterAwaitOrYield() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> AfterAwait()
            {
                var current = Thread.CurrentThread;
                await Task.Yield();
                return current.ManagedThreadId;
            }

            async Task<int> AfterAwaitInLoop()
            {
                var current = Thread.CurrentThread;
                var sum = 0;
                for (var i = 0; i < 2; i++)
                {
                    sum += current.ManagedThreadId;
                    await Task.Delay(1);
                }

                return sum;
            }

            IEnumerable<int> AfterYield()
            {
                var current = Thread.CurrentThread;
                yield return 0;
                yield return current.ManagedThreadId;
            }
        }
        """);

    [Fact]
    public Task LocalReadBeforeAnyAwaitIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task<int> M()
            {
                await Task.Yield();
                var current = Thread.CurrentThread;
                return {|#0:current.ManagedThreadId|};
            }
        }
        """, Verify.Expect("THR003").WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"));

    [Theory]
    [InlineData("Thread.VolatileRead(ref missing);")]
    [InlineData("Thread.VolatileWrite(ref _field, missing);")]
    [InlineData("t.ApartmentState = ;")]
    [InlineData("t.ApartmentState = missing;")]
    [InlineData("var id = Thread.CurrentThread.ManagedThreadId.;")]
    [InlineData("var id = Missing.CurrentThread.ManagedThreadId;")]
    [InlineData("Thread.MemoryBarrier(")]
    [InlineData("missing.Abort();")]
    [InlineData("var current = Thread.CurrentThread; current = ; var id = current.ManagedThreadId;")]
    public Task SilentInBrokenCode(string statement) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class C
        {
            int _field;

            void M(Thread t)
            {
                {{statement}}
            }
        }
        """);
}
