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
    [InlineData("new Thread(Work);")]
    [InlineData("_field = new Thread(Work);")]
    [InlineData("object o = new Thread(Work);")]
    public Task SilentWhenStartedOrEscaping(string statements) => Verify.Diagnostic(InMethod(statements));

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
