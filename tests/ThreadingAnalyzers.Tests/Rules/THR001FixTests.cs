using System.Threading.Tasks;
using ThreadingAnalyzers.CodeFixes;
using Verify = ThreadingAnalyzers.Tests.Verifier<
    ThreadingAnalyzers.Rules.THR001UnjoinedForegroundThreadAnalyzer,
    ThreadingAnalyzers.CodeFixes.THR001UnjoinedForegroundThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR001 fixes: join the thread where its starter ends or in Dispose, or make it a background thread.</summary>
public class THR001FixTests
{
    private const string Join = THR001UnjoinedForegroundThreadCodeFix.JoinKey;
    private const string Background = THR001UnjoinedForegroundThreadCodeFix.BackgroundKey;

    [Fact]
    public Task JoinFixAfterUnsafeStart() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.{|#0:UnsafeStart|}();
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                worker.UnsafeStart();
                worker.Join();
            }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("worker"));

    [Fact]
    public Task JoinFixAppendsJoinAtEndOfBlock() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(Work);
                worker.{|#0:Start|}();
                Log("started");
            }

            static void Work() { }
            static void Log(string s) { }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(Work);
                worker.Start();
                Log("started");
                worker.Join();
            }

            static void Work() { }
            static void Log(string s) { }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("worker"));

    [Fact]
    public Task JoinFixGoesBeforeReturn() => Verify.Fix("""
        using System.Threading;
        class C
        {
            int M()
            {
                var worker = new Thread(Work);
                worker.{|#0:Start|}();
                var answer = 42;
                return answer;
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            int M()
            {
                var worker = new Thread(Work);
                worker.Start();
                var answer = 42;
                worker.Join();
                return answer;
            }

            static void Work() { }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("worker"));

    [Fact]
    public Task JoinFixIntroducesLocalForInlineForm() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M(object thread)
            {
                // start the worker
                new Thread(Work).{|#0:Start|}();
                Work();
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            void M(object thread)
            {
                // start the worker
                var thread2 = new Thread(Work);
                thread2.Start();
                Work();
                thread2.Join();
            }

            static void Work() { }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("new Thread(...)"));

    [Fact]
    public Task JoinFixFindsTheMultiLineInlineFormFromItsStartName() => Verify.Fix("""
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
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var thread = new Thread(() =>
                {
                    Work();
                })
                { Name = "poller" };
                thread.Start();
                thread.Join();
            }

            static void Work() { }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("new Thread(...)"));

    [Fact]
    public Task BackgroundFixFindsTheMultiLineInlineFormFromItsStartName() => Verify.Fix("""
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
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                new Thread(() =>
                {
                    Work();
                }) { Name = "poller", IsBackground = true }.Start();
            }

            static void Work() { }
        }
        """, Background, Verify.Expect("THR001", 0).WithArguments("new Thread(...)"));

    [Fact]
    public Task JoinFixAllIntroducesDistinctLocalsAndJoinsEveryThread() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var a = new Thread(Work);
                a.{|#0:Start|}();
                new Thread(Work).{|#1:Start|}();
                new Thread(Work).{|#2:Start|}();
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var a = new Thread(Work);
                a.Start();
                var thread = new Thread(Work);
                thread.Start();
                var thread2 = new Thread(Work);
                thread2.Start();
                a.Join();
                thread.Join();
                thread2.Join();
            }

            static void Work() { }
        }
        """, Join,
        Verify.Expect("THR001", 0).WithArguments("a"),
        Verify.Expect("THR001", 1).WithArguments("new Thread(...)"),
        Verify.Expect("THR001", 2).WithArguments("new Thread(...)"));

    [Fact]
    public Task JoinFixForFieldGoesIntoDispose() => Verify.Fix("""
        using System;
        using System.Threading;
        sealed class Poller : IDisposable
        {
            private Thread _worker;
            private readonly Thread _reader = new Thread(Work);

            public void Begin()
            {
                _worker = new Thread(Work);
                _worker.{|#0:Start|}();
                _reader.{|#1:Start|}();
            }

            public void Dispose()
            {
                Console.WriteLine("disposing");
            }

            static void Work() { }
        }
        """, """
        using System;
        using System.Threading;
        sealed class Poller : IDisposable
        {
            private Thread _worker;
            private readonly Thread _reader = new Thread(Work);

            public void Begin()
            {
                _worker = new Thread(Work);
                _worker.Start();
                _reader.Start();
            }

            public void Dispose()
            {
                Console.WriteLine("disposing");
                _worker?.Join();
                _reader.Join();
            }

            static void Work() { }
        }
        """, Join,
        Verify.Expect("THR001", 0).WithArguments("_worker"),
        Verify.Expect("THR001", 1).WithArguments("_reader"));

    [Fact]
    public Task NoJoinFixForFieldWithoutSingleStopMethod() => Verify.NoFix("""
        using System.Threading;
        class C
        {
            private Thread _worker = new Thread(Work);

            public void Begin() => _worker.{|#0:Start|}();
            public void Stop() { }
            public void Close() { }

            static void Work() { }
        }
        """, Join, Verify.Expect("THR001", 0).WithArguments("_worker"));

    [Fact]
    public Task JoinFixInTopLevelStatements() => Verify.Fix("""
        using System.Threading;

        var worker = new Thread(Work);
        worker.{|#0:Start|}();
        System.Console.WriteLine("main");

        static void Work() { }
        """, """
        using System.Threading;

        var worker = new Thread(Work);
        worker.Start();
        System.Console.WriteLine("main");
        worker.Join();

        static void Work() { }
        """, Join, Verify.Expect("THR001", 0).WithArguments("worker"));

    [Fact]
    public Task BackgroundFixInsertsAssignmentBeforeStart() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private Thread _worker;

            void M()
            {
                var worker = new Thread(Work);
                worker.{|#0:Start|}();
                _worker = new Thread(Work);
                _worker.{|#1:Start|}();
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            private Thread _worker;

            void M()
            {
                var worker = new Thread(Work);
                worker.IsBackground = true;
                worker.Start();
                _worker = new Thread(Work);
                _worker.IsBackground = true;
                _worker.Start();
            }

            static void Work() { }
        }
        """, Background,
        Verify.Expect("THR001", 0).WithArguments("worker"),
        Verify.Expect("THR001", 1).WithArguments("_worker"));

    [Fact]
    public Task BackgroundFixUsesTheInitializer() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M()
            {
                var named = new Thread(Work) { Name = "named" };
                named.{|#0:Start|}();
                var off = new Thread(Work) { IsBackground = false };
                off.{|#1:Start|}();
                new Thread(Work).{|#2:Start|}();
                var multi = new Thread(Work)
                {
                    Name = "multi"
                };
                multi.{|#3:Start|}();
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        class C
        {
            void M()
            {
                var named = new Thread(Work) { Name = "named", IsBackground = true };
                named.Start();
                var off = new Thread(Work) { IsBackground = true };
                off.Start();
                new Thread(Work) { IsBackground = true }.Start();
                var multi = new Thread(Work)
                {
                    Name = "multi",
                    IsBackground = true
                };
                multi.Start();
            }

            static void Work() { }
        }
        """, Background,
        Verify.Expect("THR001", 0).WithArguments("named"),
        Verify.Expect("THR001", 1).WithArguments("off"),
        Verify.Expect("THR001", 2).WithArguments("new Thread(...)"),
        Verify.Expect("THR001", 3).WithArguments("multi"));
    [Fact]
    public Task FixesInTopLevelStatementsKeepTheLayout() => Verify.Fix("""
        using System.Threading;

        // inline worker
        new Thread(Work).{|#0:Start|}();
        var worker = new Thread(Work);
        worker.{|#1:Start|}();
        System.Console.WriteLine("main");

        static void Work() { }
        """, """
        using System.Threading;

        // inline worker
        var thread = new Thread(Work);
        thread.Start();
        var worker = new Thread(Work);
        worker.Start();
        System.Console.WriteLine("main");
        thread.Join();
        worker.Join();

        static void Work() { }
        """, Join,
        Verify.Expect("THR001", 0).WithArguments("new Thread(...)"),
        Verify.Expect("THR001", 1).WithArguments("worker"));

    [Fact]
    public Task BackgroundFixInTopLevelStatements() => Verify.Fix("""
        using System.Threading;

        var worker = new Thread(Work);
        worker.{|#0:Start|}();

        static void Work() { }
        """, """
        using System.Threading;

        var worker = new Thread(Work);
        worker.IsBackground = true;
        worker.Start();

        static void Work() { }
        """, Background, Verify.Expect("THR001", 0).WithArguments("worker"));
}
