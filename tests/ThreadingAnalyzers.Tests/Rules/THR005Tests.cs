using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR005UnstartedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR005UnstartedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR005Tests
{
    private const string Key = "THR005.Start";

    private static string InMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        class C
        {
            private Thread _field;
            private readonly List<Thread> _threads = new List<Thread>();

            static void Work() { }

            static void Use(Thread thread) { }

            Thread M(bool condition)
            {
                {{body}}
                return null;
            }
        }
        """;

    [Theory]
    [InlineData("var t = {|#0:new Thread(Work)|};", "t")]
    [InlineData("Thread t = {|#0:new(Work)|};", "t")]
    [InlineData("var t = {|#0:new Thread(() => Work())|}; t.Name = \"worker\";", "t")]
    [InlineData("var t = {|#0:new Thread(o => Work(), 1 << 20) { IsBackground = true }|}; Console.WriteLine(t.IsAlive);", "t")]
    [InlineData("var t = {|#0:new Thread(Work)|}; t.Join();", "t")]
    [InlineData("var t = {|#0:new Thread(Work)|}; if (t != null) Console.WriteLine(nameof(t));", "t")]
    [InlineData("Action a = () => { var inner = {|#0:new Thread(Work)|}; inner.IsBackground = true; };", "inner")]
    [InlineData("{|#0:new Thread(Work)|};", "new Thread(...)")]
    [InlineData("{|#0:new Thread(Work) { Name = \"lost\" }|};", "new Thread(...)")]
    [InlineData("_field = {|#0:new Thread(Work)|};", "_field")]
    [InlineData("_field = {|#0:new Thread(Work)|}; _field.IsBackground = true; lock (_field) { }", "_field")]
    [InlineData("_field = {|#0:new Thread(Work)|}; Monitor.Enter(_field); Monitor.Exit(_field);", "_field")]
    public Task Flagged(string statements, string name) =>
        Verify.Diagnostic(InMethod(statements), Verify.Expect("THR005").WithArguments(name));

    [Theory]
    [InlineData("var t = new Thread(Work); t.Start();")]
    [InlineData("var t = new Thread(o => Work()); t.Start(42);")]
    [InlineData("var t = new Thread(Work); if (condition) { t.Start(); }")]
    [InlineData("var t = new Thread(Work); t?.Start();")]
    [InlineData("var t = new Thread(Work); t.UnsafeStart();")]
    [InlineData("var t = new Thread(Work); return t;")]
    [InlineData("var t = new Thread(Work); Use(t);")]
    [InlineData("var t = new Thread(Work); _field = t;")]
    [InlineData("var t = new Thread(Work); _threads.Add(t);")]
    [InlineData("var t = new Thread(Work); var all = new[] { t };")]
    [InlineData("var t = new Thread(Work); var alias = t; alias.Start();")]
    [InlineData("var t = new Thread(Work); Action start = t.Start;")]
    [InlineData("var t = new Thread(Work); Action a = () => t.Start();")]
    [InlineData("var t = new Thread(Work); void Run() => t.Start(); Run();")]
    [InlineData("var t = new Thread(Work); t = new Thread(Work); t.Start();")]
    [InlineData("new Thread(Work).Start();")]
    [InlineData("object o = new Thread(Work);")]
    public Task SilentWhenStartedOrEscaping(string statements) => Verify.Diagnostic(InMethod(statements));

    [Fact]
    public Task PrivateFieldThatNoPartOfTheTypeStartsIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        partial class Poller
        {
            private static Thread s_loop = {|#0:new Thread(Loop)|};
            private Thread _worker;

            public Poller() => _worker = {|#1:new Thread(Loop) { IsBackground = true }|};

            static void Loop() { }
        }

        partial class Poller
        {
            public void Stop()
            {
                _worker.Join();
                if (s_loop.IsAlive) { }
            }
        }
        """,
        Verify.Expect("THR005", 0).WithArguments("s_loop"),
        Verify.Expect("THR005", 1).WithArguments("_worker"));

    [Theory]
    [InlineData("public void Begin() => _worker.Start();")]
    [InlineData("public void Begin() => _worker?.Start();")]
    [InlineData("public Thread Worker => _worker;")]
    [InlineData("public Thread Get() { return _worker; }")]
    [InlineData("void Hand() => Keep(_worker); static void Keep(Thread t) { }")]
    [InlineData("public Thread Other; void Copy() => Other = _worker;")]
    [InlineData("public System.Action Starter => () => _worker.Start();")]
    [InlineData("public System.Action Starter => _worker.Start;")]
    [InlineData("void Replace(Thread t) => _worker = t;")]
    [InlineData("class Nested { void Go(Owner o) => o._worker.Start(); }")]
    public Task PrivateFieldStartedOrLeavingIsSilent(string member) => Verify.Diagnostic($$"""
        using System.Threading;
        partial class Owner
        {
            private Thread _worker = new Thread(Loop);

            static void Loop() { }
        }

        partial class Owner
        {
            {{member}}
        }
        """);

    [Theory]
    [InlineData("void Begin() => _worker.Sta")]
    [InlineData("void Begin() { _worker.Start(; }")]
    [InlineData("void Begin() { _worker. }")]
    [InlineData("void Begin() { new Thread(Loop) }")]
    public Task PrivateFieldIsSilentWhileAMemberIsBeingTyped(string member) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class Owner
        {
            private Thread _worker = new Thread(Loop);

            {{member}}

            static void Loop() { }
        }
        """);

    [Fact]
    public Task FieldsThatAreNotPrivateAreSilent() => Verify.Diagnostic("""
        using System.Threading;
        class Owner
        {
            internal Thread Worker = new Thread(Loop);
            protected Thread Other = new Thread(Loop);

            static void Loop() { }
        }
        """);

    [Fact]
    public Task FixStartsADiscardedThread() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                // run the work
                {|#0:new Thread(Work) { Name = "lost" }|}; // trailing
                {|#1:new Thread(() => Work())|};
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                // run the work
                new Thread(Work) { Name = "lost" }.Start(); // trailing
                new Thread(() => Work()).Start();
            }

            static void Work() { }
        }
        """, Key,
        Verify.Expect("THR005", 0).WithArguments("new Thread(...)"),
        Verify.Expect("THR005", 1).WithArguments("new Thread(...)"));

    [Fact]
    public Task NoFixForAPrivateField() => Verify.NoFix("""
        using System.Threading;
        class C
        {
            private Thread _worker = {|#0:new Thread(Work)|};

            static void Work() { }
        }
        """, Key, Verify.Expect("THR005", 0).WithArguments("_worker"));

    [Fact]
    public Task TopLevelStatementsAreOneMethod() => Verify.Diagnostic("""
        using System.Threading;

        var started = new Thread(() => { });
        var unstarted = {|#0:new Thread(() => { })|};
        System.Console.WriteLine(unstarted.Name);
        started.Start();
        started.Join();
        """, Verify.Expect("THR005", 0).WithArguments("unstarted"));

    [Fact]
    public Task SilentOnUserTypeNamedThread() => Verify.Diagnostic("""
        class Thread
        {
            public Thread(System.Action action) { }
        }

        class C
        {
            void M()
            {
                var t = new Thread(() => { });
            }
        }
        """);

    [Fact]
    public Task NoDiagnosticInBrokenCode() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(Missing);
                var u = new Thread(
                var v = new Thread(() => { }) { IsBackground = };
            }
        }
        """);

    [Theory]
    [InlineData("t.Sta")]
    [InlineData("t.")]
    [InlineData("t.Star();")]
    [InlineData("int started = ;")]
    [InlineData("if (t.IsAlive")]
    public Task NoDiagnosticWhileTheMethodIsBeingTyped(string typing) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(() => { });
                {{typing}}
            }
        }
        """);

    [Fact]
    public Task FixStartsAfterTheDeclarationAndItsConfiguration() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = {|#0:new Thread(() => { })|};
                worker.IsBackground = true;
                worker.SetApartmentState(ApartmentState.MTA);
                // wait for it
                worker.Join();
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.IsBackground = true;
                worker.SetApartmentState(ApartmentState.MTA);
                worker.Start();
                // wait for it
                worker.Join();
            }
        }
        """, Key, Verify.Expect("THR005", 0).WithArguments("worker"));

    [Fact]
    public Task FixAllInSwitchSectionsAndTwoDeclarators() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M(int mode)
            {
                switch (mode)
                {
                    case 1:
                        Thread a = {|#0:new Thread(() => { })|}, b = {|#1:new Thread(() => { })|};
                        break;
                    default:
                        var c = {|#2:new Thread(() => { })|};
                        break;
                }
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M(int mode)
            {
                switch (mode)
                {
                    case 1:
                        Thread a = new Thread(() => { }), b = new Thread(() => { });
                        a.Start();
                        b.Start();
                        break;
                    default:
                        var c = new Thread(() => { });
                        c.Start();
                        break;
                }
            }
        }
        """, Key,
        Verify.Expect("THR005", 0).WithArguments("a"),
        Verify.Expect("THR005", 1).WithArguments("b"),
        Verify.Expect("THR005", 2).WithArguments("c"));

    [Fact]
    public Task FixInTopLevelStatements() => Verify.Fix("""
        using System.Threading;

        var worker = {|#0:new Thread(() => { })|};
        worker.Name = "worker";
        worker.Join();
        """, """
        using System.Threading;

        var worker = new Thread(() => { });
        worker.Name = "worker";
        worker.Start();
        worker.Join();
        """, Key, Verify.Expect("THR005", 0).WithArguments("worker"));
}
