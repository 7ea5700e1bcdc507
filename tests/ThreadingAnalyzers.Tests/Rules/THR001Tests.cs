using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<
    ThreadingAnalyzers.Rules.THR001UnjoinedForegroundThreadAnalyzer,
    ThreadingAnalyzers.CodeFixes.THR001UnjoinedForegroundThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR001 reports: threads started and never joined, in locals, inline and in private fields, and the look-alikes that stay silent.</summary>
public class THR001Tests
{
    [Fact]
    public Task LocalThreadStartedAndNeverJoined() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.{|#0:Start|}();
            }
        }
        """, Verify.Expect("THR001", 0).WithArguments("worker"));

    [Theory]
    [InlineData("var t = new Thread(Work);", "t.Start();")]
    [InlineData("Thread t = new(Work);", "t.Start();")]
    [InlineData("var t = new Thread(o => { });", "t.Start(42);")]
    [InlineData("var t = new Thread(Work, 1024 * 1024);", "t.Start();")]
    [InlineData("var t = new Thread(Work) { Name = \"worker\" };", "t.Start();")]
    [InlineData("var t = new Thread(Work) { IsBackground = false };", "t.Start();")]
    [InlineData("var t = new Thread(Work); t.IsBackground = false;", "t.Start();")]
    [InlineData("var t = new Thread(Work); t.Name = t.ManagedThreadId.ToString();", "t.Start(); var alive = t.IsAlive;")]
    [InlineData("var t = new Thread(new ThreadStart(Work)); if (t != null) { }", "t.Start(); t.Interrupt();")]
    public Task LocalForms(string create, string start) => Verify.Diagnostic($$"""
        using System.Threading;
        class C
        {
            void M()
            {
                {{create}}
                {{start.Replace("t.Start(", "t.{|#0:Start|}(")}}
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("t"));

    [Theory]
    [InlineData("t.Join();")]
    [InlineData("t.Join(1000);")]
    [InlineData("t?.Join();")]
    [InlineData("if (!t.Join(System.TimeSpan.FromSeconds(1))) { }")]
    [InlineData("try { } finally { t.Join(); }")]
    [InlineData("t.IsBackground = true;")]
    [InlineData("t.IsBackground = flag;")]
    [InlineData("Keep(t);")]
    [InlineData("return t;")]
    [InlineData("list.Add(t);")]
    [InlineData("_shared = t;")]
    [InlineData("var alias = t;")]
    [InlineData("System.Threading.Tasks.Task.Run(() => t.Join());")]
    [InlineData("void JoinIt() => t.Join(); JoinIt();")]
    [InlineData("System.Action joinIt = () => t.Join(); joinIt();")]
    [InlineData("object boxed = t;")]
    public Task LocalJoinedBackgroundOrEscapingIsSilent(string after) => Verify.Diagnostic($$"""
        using System.Collections.Generic;
        using System.Threading;
        class C
        {
            internal Thread _shared;
            Thread M(bool flag, List<Thread> list)
            {
                var t = new Thread(Work);
                t.Start();
                {{after}}
                return null;
            }

            static void Work() { }
            static void Keep(Thread thread) { }
        }
        """.Replace("return null;", after.StartsWith("return") ? "" : "return null;"));

    [Theory]
    [InlineData("new Thread(Work) { IsBackground = true }")]
    [InlineData("new Thread(Work) { Name = \"x\", IsBackground = flag }")]
    public Task BackgroundInInitializerIsSilent(string creation) => Verify.Diagnostic($$"""
        using System.Threading;
        class C
        {
            void M(bool flag)
            {
                var t = {{creation}};
                t.Start();
                {{creation}}.Start();
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task BackgroundAssignedBeforeOrAfterStartIsSilent() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                var before = new Thread(Work);
                before.IsBackground = true;
                before.Start();
                var after = new Thread(Work);
                after.Start();
                after.IsBackground = true;
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task InlineStartIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                new Thread(() => { }).{|#0:Start|}();
                new Thread(Work) { IsBackground = false }.{|#1:Start|}();
            }

            static void Work() { }
        }
        """,
        Verify.Expect("THR001", 0).WithArguments("new Thread(...)"),
        Verify.Expect("THR001", 1).WithArguments("new Thread(...)"));

    [Fact]
    public Task UnsafeStartStartsTheThreadLikeStart() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private Thread _field = new Thread(() => { });

            void M()
            {
                var t = new Thread(() => { });
                t.{|#0:UnsafeStart|}();
                new Thread(() => { }).{|#1:UnsafeStart|}();
                _field.{|#2:UnsafeStart|}();
                var joined = new Thread(() => { });
                joined.UnsafeStart();
                joined.Join();
            }
        }
        """,
        Verify.Expect("THR001", 0).WithArguments("t"),
        Verify.Expect("THR001", 1).WithArguments("new Thread(...)"),
        Verify.Expect("THR001", 2).WithArguments("_field"));

    [Fact]
    public Task ThreadStartedInLoopIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                for (var i = 0; i < 4; i++)
                {
                    var t = new Thread(Work);
                    t.{|#0:Start|}();
                }
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("t"));

    [Fact]
    public Task ThreadsStartedInLoopAndStoredAreSilent() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading;
        class C
        {
            void M()
            {
                var threads = new List<Thread>();
                for (var i = 0; i < 4; i++)
                {
                    var t = new Thread(Work);
                    threads.Add(t);
                    t.Start();
                }

                foreach (var t in threads) t.Join();
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task ReassignedLocalIsTrackedPerAssignment() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(Work);
                t.Start();
                t.Join();
                t = new Thread(Work);
                t.{|#0:Start|}();
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("t"));

    [Fact]
    public Task JoinInProcessExitHandlerDoesNotCount() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(Work);
                t.{|#0:Start|}();
                AppDomain.CurrentDomain.ProcessExit += (s, e) => t.Join();
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("t"));

    [Fact]
    public Task JoinInLocalFunctionThatIsNeverCalledDoesNotCount() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(Work);
                t.{|#0:Start|}();
                void JoinIt() => t.Join();
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("t"));

    [Fact]
    public Task PrivateFieldNeverJoinedIsFlagged() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private Thread _worker;
            private static Thread s_poller = new Thread(Work);

            public void Begin()
            {
                _worker = new Thread(Work);
                _worker.{|#0:Start|}();
                s_poller.{|#1:Start|}();
            }

            static void Work() { }
        }
        """,
        Verify.Expect("THR001", 0).WithArguments("_worker"),
        Verify.Expect("THR001", 1).WithArguments("s_poller"));

    [Fact]
    public Task PrivateFieldJoinedInAnotherMethodOrPartIsSilent() => Verify.Diagnostic("""
        using System.Threading;
        partial class C
        {
            private Thread _worker;
            private Thread _other = new Thread(Work);

            public void Begin()
            {
                _worker = new Thread(Work);
                _worker.Start();
                this._other.Start();
            }

            public void End() => _worker.Join();

            static void Work() { }
        }

        partial class C
        {
            void Shutdown() { JoinOther(); }
            void JoinOther() { _other?.Join(); }
        }
        """);

    [Theory]
    [InlineData("public Thread Worker => _worker;")]
    [InlineData("public void Hand(System.Collections.Generic.List<Thread> list) => list.Add(_worker);")]
    [InlineData("public void Flag(bool b) => _worker.IsBackground = b;")]
    [InlineData("public void Replace(Thread t) => _worker = t;")]
    [InlineData("class Nested { void Stop(C c) => c._worker.Join(); }")]
    public Task PrivateFieldThatEscapesOrIsUnknownIsSilent(string member) => Verify.Diagnostic($$"""
        using System.Threading;
        class C
        {
            private Thread _worker = new Thread(Work);

            public void Begin() => _worker.Start();

            {{member}}

            static void Work() { }
        }
        """);

    [Fact]
    public Task NonPrivateFieldPropertyAndParameterAreSilent() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            internal Thread Internal = new Thread(Work);
            protected Thread Protected = new Thread(Work);
            public Thread Property { get; } = new Thread(Work);

            void M(Thread parameter)
            {
                Internal.Start();
                Protected.Start();
                Property.Start();
                parameter.Start();
                var current = Thread.CurrentThread;
                current.Start();
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task LookAlikesAreSilent() => Verify.Diagnostic("""
        using System.Diagnostics;
        using System.Threading.Tasks;
        namespace N
        {
            class Thread
            {
                public Thread(System.Action a) { }
                public void Start() { }
            }

            class C
            {
                void M()
                {
                    var t = new Thread(() => { });
                    t.Start();
                    new Thread(() => { }).Start();
                    var task = new Task(() => { });
                    task.Start();
                    var watch = new Stopwatch();
                    watch.Start();
                    task.Wait();
                }
            }
        }
        """);

    [Theory]
    [InlineData("""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(
                t.Start();
            }
        }
        """)]
    [InlineData("""
        using System.Threading;
        class C
        {
            void M()
            {
                var t = new Thread(Missing);
                t.Start(
            }
        }
        """)]
    [InlineData("""
        class C
        {
            void M()
            {
                var t = new Thread(() => { });
                t.Start();
            }
        }
        """)]
    [InlineData("""
        using System.Threading;
        class C
        {
            private Thread _t;
            void M()
            {
                _t = new Thread(() => { })
                _t.Start();
                new Thread().Start();
            }
        }
        """)]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);

    [Fact]
    public Task InlineFormOverSeveralLinesIsReportedOnStart() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                new Thread(() =>
                {
                    Work();
                }) { Name = "poller" }.{|#0:Start|}();
            }

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("new Thread(...)"));

    [Fact]
    public Task ConditionalStartOfFieldIsReportedOnStart() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private Thread _worker = new Thread(Work);

            void M() => _worker?.{|#0:Start|}();

            static void Work() { }
        }
        """, Verify.Expect("THR001", 0).WithArguments("_worker"));
}
