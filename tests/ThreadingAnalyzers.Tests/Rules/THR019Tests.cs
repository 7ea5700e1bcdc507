using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR019TimerNotKeptAliveAnalyzer, ThreadingAnalyzers.CodeFixes.THR019TimerNotKeptAliveCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR019Tests
{
    private const string Key = "THR019.KeepInField";

    private static string InMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        class C
        {
            private Timer _field;
            private readonly List<Timer> _timers = new List<Timer>();
            private Timer Property { get; set; }

            static void Tick(object state) { }

            static void Keep(Timer timer) { }

            Timer M(bool condition, TimeSpan due)
            {
                {{body}}
                return null;
            }
        }
        """;

    [Theory]
    [InlineData("var t = {|#0:new Timer(Tick, null, 0, 1000)|};", "held only by the local 't'")]
    [InlineData("var t = {|#0:new Timer(Tick, null, 1000, Timeout.Infinite)|};", "held only by the local 't'")]
    [InlineData("Timer t = {|#0:new(Tick, null, due, due)|};", "held only by the local 't'")]
    [InlineData("var t = {|#0:new Timer(Tick, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan)|}; Console.ReadLine();", "held only by the local 't'")]
    [InlineData("var t = {|#0:new Timer(Tick, null, 0L, 500L)|}; t.Change(100, 100);", "held only by the local 't'")]
    [InlineData("var t = {|#0:new Timer(Tick)|}; t.Change(0, 1000);", "held only by the local 't'")]
    [InlineData("var t = {|#0:new Timer(Tick, null, Timeout.Infinite, 1000)|}; if (condition) t.Change(TimeSpan.Zero, due);", "held only by the local 't'")]
    [InlineData("Timer t; t = {|#0:new Timer(Tick, null, 0, 1000)|};", "held only by the local 't'")]
    [InlineData("{|#0:new Timer(Tick, null, 0, 1000)|};", "discarded")]
    [InlineData("_ = {|#0:new Timer(_ => Console.WriteLine(), null, 0, 1000)|};", "discarded")]
    [InlineData("Action start = () => { var inner = {|#0:new Timer(Tick, null, 0, 1000)|}; }; start();", "held only by the local 'inner'")]
    public Task Flagged(string statements, string what) =>
        Verify.Diagnostic(InMethod(statements), Verify.Expect("THR019").WithArguments(what));

    [Theory]
    [InlineData("_field = new Timer(Tick, null, 0, 1000);")]
    [InlineData("Property = new Timer(Tick, null, 0, 1000);")]
    [InlineData("_timers.Add(new Timer(Tick, null, 0, 1000));")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); _timers.Add(t);")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); _field = t;")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); return t;")]
    [InlineData("return new Timer(Tick, null, 0, 1000);")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); Keep(t);")]
    [InlineData("Keep(new Timer(Tick, null, 0, 1000));")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); GC.KeepAlive(t);")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); Thread.Sleep(5000); t.Dispose();")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); t?.Dispose();")]
    [InlineData("using var t = new Timer(Tick, null, 0, 1000); Thread.Sleep(5000);")]
    [InlineData("using (var t = new Timer(Tick, null, 0, 1000)) { Thread.Sleep(5000); }")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); using (t) { Thread.Sleep(5000); }")]
    [InlineData("Timer t = null; t = new Timer(_ => t.Dispose(), null, 1000, Timeout.Infinite);")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); Action stop = () => t.Dispose(); stop();")]
    [InlineData("var t = new Timer(Tick, null, 0, 1000); var alias = t;")]
    [InlineData("var t = new Timer(Tick);")]
    [InlineData("new Timer(Tick, null, Timeout.Infinite, Timeout.Infinite);")]
    [InlineData("var t = new Timer(Tick, null, Timeout.Infinite, 1000); t.Change(Timeout.Infinite, 1000);")]
    [InlineData("var t = new Timer(Tick, null, Timeout.InfiniteTimeSpan, TimeSpan.FromSeconds(1));")]
    [InlineData("var t = new Timer(Tick, null, uint.MaxValue, 0u);")]
    [InlineData("var t = condition ? new Timer(Tick, null, 0, 1000) : null; _field = t;")]
    [InlineData("var timers = new[] { new Timer(Tick, null, 0, 1000) }; _timers.AddRange(timers);")]
    [InlineData("var timer = new System.Timers.Timer(1000) { AutoReset = true }; timer.Start();")]
    [InlineData("new System.Timers.Timer(1000).Start();")]
    public Task Silent(string statements) => Verify.Diagnostic(InMethod(statements));

    [Fact]
    public Task SilentOnUserTypeNamedTimer() => Verify.Diagnostic("""
        class Timer
        {
            public Timer(System.Action<object> callback, object state, int due, int period) { }
        }

        class C
        {
            void M() => new Timer(_ => { }, null, 0, 1000);
        }
        """);

    [Fact]
    public Task TopLevelStatementsAreFlaggedWithoutAFix() => Verify.NoFix("""
        using System;
        using System.Threading;

        var timer = {|#0:new Timer(_ => Console.WriteLine("tick"), null, 0, 1000)|};
        Console.ReadLine();
        """, Key, Verify.Expect("THR019", 0).WithArguments("held only by the local 'timer'"));

    [Fact]
    public Task NoDiagnosticInBrokenCode() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading;
        class C
        {
            void M()
            {
                var a = new Timer(Missing, null, 0, 1000);
                var b = new Timer(_ => { }, null, 0,
                new Timer(_ => { }, null, 0, 1000).Chan
            }
        }
        """);

    [Theory]
    [InlineData("t.Dispo")]
    [InlineData("int n = ;")]
    public Task NoDiagnosticWhileTheMethodIsBeingTyped(string typing) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Timer(_ => { }, null, 0, 1000);
                {{typing}}
            }
        }
        """);

    [Fact]
    public Task FixStoresTheTimerInAFieldDisposedWithTheType() => Verify.Fix("""
        #nullable enable
        using System;
        using System.Threading;
        sealed class Poller : IDisposable
        {
            private readonly int _interval = 1000;

            public void Start()
            {
                // poll every second
                var timer = {|#0:new Timer(_ => Poll(), null, 0, _interval)|};
            }

            private void Poll() { }

            public void Dispose()
            {
                Console.WriteLine("disposed");
            }
        }
        """, """
        #nullable enable
        using System;
        using System.Threading;
        sealed class Poller : IDisposable
        {
            private readonly int _interval = 1000;
            private Timer? _timer;

            public void Start()
            {
                // poll every second
                _timer = new Timer(_ => Poll(), null, 0, _interval);
            }

            private void Poll() { }

            public void Dispose()
            {
                Console.WriteLine("disposed");
                _timer?.Dispose();
            }
        }
        """, Key, Verify.Expect("THR019", 0).WithArguments("held only by the local 'timer'"));

    [Fact]
    public Task FixKeepsALocalThatIsUsedAndQualifiesAnAmbiguousName() => Verify.Fix("""
        using System.Threading;
        using System.Timers;
        class C
        {
            static void Tick(object state) { }

            static void Start(int due)
            {
                var t = {|#0:new System.Threading.Timer(Tick)|};
                t.Change(due, 1000);
            }
        }
        """, """
        using System.Threading;
        using System.Timers;
        class C
        {
            private static System.Threading.Timer _timer;

            static void Tick(object state) { }

            static void Start(int due)
            {
                var t = new System.Threading.Timer(Tick);
                _timer = t;
                t.Change(due, 1000);
            }
        }
        """, Key, Verify.Expect("THR019", 0).WithArguments("held only by the local 't'"));

    [Fact]
    public Task FixAllGivesEachTimerItsOwnField() => Verify.Fix("""
        using System;
        using System.Threading;
        class C : IDisposable
        {
            private int _timer;

            void M()
            {
                {|#0:new Timer(_ => { }, null, 0, 1000)|};
                _ = {|#1:new Timer(_ => { }, null, 0, 2000)|};
                Timer late;
                late = {|#2:new Timer(_ => { }, null, 500, Timeout.Infinite)|};
            }

            public void Dispose() => Console.WriteLine(_timer);
        }
        """, """
        using System;
        using System.Threading;
        class C : IDisposable
        {
            private int _timer;
            private Timer _timer2;
            private Timer _timer3;
            private Timer _timer4;

            void M()
            {
                _timer2 = new Timer(_ => { }, null, 0, 1000);
                _timer3 = new Timer(_ => { }, null, 0, 2000);
                Timer late;
                late = new Timer(_ => { }, null, 500, Timeout.Infinite);
                _timer4 = late;
            }

            public void Dispose()
            {
                Console.WriteLine(_timer);
                _timer2?.Dispose();
                _timer3?.Dispose();
                _timer4?.Dispose();
            }
        }
        """, Key,
        Verify.Expect("THR019", 0).WithArguments("discarded"),
        Verify.Expect("THR019", 1).WithArguments("discarded"),
        Verify.Expect("THR019", 2).WithArguments("held only by the local 'late'"));

    [Theory]
    // A struct's field lives in a copy that can die as soon as the local did.
    [InlineData("struct S { void M() { var t = {|#0:new Timer(_ => { }, null, 0, 1000)|}; } }")]
    [InlineData("record struct S { void M() { var t = {|#0:new Timer(_ => { }, null, 0, 1000)|}; } }")]
    // One field cannot keep every timer made in a loop.
    [InlineData("class C { void M() { for (var i = 0; i < 3; i++) { var t = {|#0:new Timer(_ => { }, i, 0, 1000)|}; } } }")]
    // A static lambda cannot reach an instance field.
    [InlineData("class C { void M() { System.Action a = static () => { var t = {|#0:new Timer(_ => { }, null, 0, 1000)|}; }; } }")]
    // An embedded statement has no place for a second statement.
    [InlineData("class C { void M(bool b) { Timer t; if (b) t = {|#0:new Timer(_ => { }, null, 0, 1000)|}; } }")]
    public Task NoFix(string source) =>
        Verify.NoFix("using System.Threading;\n" + source, Key, Verify.Expect("THR019", 0).WithArguments("held only by the local 't'"));
}
