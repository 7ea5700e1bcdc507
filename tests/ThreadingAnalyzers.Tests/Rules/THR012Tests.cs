using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR012ParameterizedThreadStartCastAnalyzer, ThreadingAnalyzers.CodeFixes.THR012ParameterizedThreadStartCastCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR012Tests
{
    private const string Key = "THR012.TypedLambda";

    private static string InClass(string members, string body) => $$"""
        using System;
        using System.Threading;
        class Job { public void Run() { } }
        class Order { }
        class C
        {
            private Thread _worker;

            {{members}}

            void M(Job job, object untyped)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { (state as Job)?.Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { if (state is Job j) j.Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { if (state is Job) { } }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { switch (state) { case Job j: j.Run(); break; case Order: break; } }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job' or 'Order'")]
    [InlineData("void Work(object state) { var n = state switch { int i => i, _ => 0 }; }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(1)|};", "'Work'", "'int'")]
    [InlineData("static void Work(object state) { var n = (int)state; }", "{|#1:{|#0:new Thread(Work)|}.Start(42)|};", "'Work'", "'int'")]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(new ParameterizedThreadStart(Work), 1 << 20)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "_worker = {|#0:new Thread(Work)|}; {|#1:_worker.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "Thread t; t = {|#0:new(Work)|}; {|#1:t.Start(job)|};", "'Work'", "'Job'")]
    [InlineData("", "var t = {|#0:new Thread(state => ((Job)state).Run())|}; {|#1:t.Start(job)|};", "(a lambda)", "'Job'")]
    [InlineData("", "var t = {|#0:new Thread((object state) => { var j = state as Job; })|}; {|#1:t.Start(job)|};", "(a lambda)", "'Job'")]
    [InlineData("", "var t = {|#0:new Thread(delegate (object state) { Console.WriteLine((string)state); })|}; {|#1:t.Start(\"x\")|};", "(a lambda)", "'string'")]
    [InlineData("", "void Local(object state) => ((Job)state).Run(); var t = {|#0:new Thread(Local)|}; {|#1:t.Start(job)|};", "'Local'", "'Job'")]
    public Task Flagged(string members, string body, string description, string typeNames) =>
        Verify.Diagnostic(InClass(members, body), Verify.Expect("THR012").WithLocation(1).WithArguments(description, typeNames));

    [Theory]
    [InlineData("void Work(object state) { Console.WriteLine(state); }", "var t = new Thread(Work); t.Start(job);")]
    [InlineData("void Work(object state) { Console.WriteLine(state.ToString()); }", "var t = new Thread(Work); t.Start(job);")]
    [InlineData("void Work(object state) { Pass(state); } void Pass(object o) { var j = (Job)o; }", "var t = new Thread(Work); t.Start(job);")]
    [InlineData("void Work(object state) { if (state is null) return; var o = (object)state; }", "var t = new Thread(Work); t.Start(job);")]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "var t = new Thread(Work); t.Start();")]
    [InlineData("void Work(object state) { (state as Job)?.Run(); }", "var t = new Thread(Work); if (job == null) t.Start(); else t.Start(job);")]
    [InlineData("void Work(object state) { ((Job)state).Run(); } static void Use(Thread t) { }", "var t = new Thread(Work); Use(t);")]
    [InlineData("void Work(object state) { ((Job)state).Run(); } void Use(Thread t) => t.Start(null);", "Use(new Thread(Work));")]
    [InlineData("void Work(object state) { ((Job)state).Run(); }", "var t = new Thread(Work); Action start = () => t.Start(job); start();")]
    [InlineData("void Work() { }", "var t = new Thread(Work); t.Start();")]
    [InlineData("", "var t = new Thread(() => job.Run()); t.Start();")]
    [InlineData("", "var t = new Thread(static state => ((Job)state).Run()); t.Start(job);")]
    [InlineData("", "ParameterizedThreadStart body = s => ((Job)s).Run(); var t = new Thread(body); t.Start(job);")]
    public Task Silent(string members, string body) => Verify.Diagnostic(InClass(members, body));

    [Fact]
    public Task SilentOnUserTypeNamedThread() => Verify.Diagnostic("""
        class Thread
        {
            public Thread(System.Action<object> body) { }
            public void Start(object state) { }
        }

        class C
        {
            void M() => new Thread(state => System.Console.WriteLine((string)state)).Start("x");
        }
        """);

    [Fact]
    public Task NoDiagnosticInBrokenCode() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading;
        class C
        {
            void Work(object state) { var j = (Missing)state; }
            void Other(object state) { var j = (string)state }

            void M()
            {
                new Thread(Work).Start(1);
                new Thread(Other).Start("x");
                new Thread(Absent).Start(2);
                new Thread(s => ((Unknown)s).Run()).Start(3);
            }
        }
        """);

    [Theory]
    [InlineData("t.Star")]
    [InlineData("int n = ;")]
    public Task NoDiagnosticWhileTheMethodIsBeingTyped(string typing) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        class C
        {
            void Work(object state) { var s = (string)state; }

            void M()
            {
                var t = new Thread(Work);
                t.Start("x");
                {{typing}}
            }
        }
        """);

    [Fact]
    public Task FixPassesTheTypedArgumentThroughALambda() => Verify.Fix("""
        using System.Threading;
        class Job { public void Run() { } }
        class C
        {
            void M(Job job)
            {
                var worker = {|#0:new Thread(Process)|};
                worker.IsBackground = true;
                {|#1:worker.Start(job)|};
            }

            private void Process(object state)
            {
                var job = (Job)state;
                job.Run();
            }
        }
        """, """
        using System.Threading;
        class Job { public void Run() { } }
        class C
        {
            void M(Job job)
            {
                var worker = new Thread(() => Process(job));
                worker.IsBackground = true;
                worker.Start();
            }

            private void Process(Job state)
            {
                var job = state;
                job.Run();
            }
        }
        """, Key, Verify.Expect("THR012", 0).WithLocation(1).WithArguments("'Process'", "'Job'"));

    [Fact]
    public Task FixAllRewritesEachThreadAndItsMethod() => Verify.Fix("""
        #nullable enable
        using System.Threading;
        class Job { public void Run() { } }
        class C
        {
            void M(Job job)
            {
                const int Count = 3;
                var local = "name";
                {|#2:{|#0:new Thread(Count1, 1 << 20)|}.Start(Count)|};
                var t = {|#1:new Thread(this.Named)|};
                {|#3:t.Start(local)|};
                new Thread(Run).Start(job);
            }

            private static void Count1(object state) => System.Console.WriteLine((int)state + 1);

            private void Named(object? state)
            {
                System.Console.WriteLine((state as string)?.Length);
            }

            private void Run(object state) { }
        }
        """, """
        #nullable enable
        using System.Threading;
        class Job { public void Run() { } }
        class C
        {
            void M(Job job)
            {
                const int Count = 3;
                var local = "name";
                new Thread(() => Count1(Count), 1 << 20).Start();
                var t = new Thread(() => this.Named(local));
                t.Start();
                new Thread(Run).Start(job);
            }

            private static void Count1(int state) => System.Console.WriteLine(state + 1);

            private void Named(string? state)
            {
                System.Console.WriteLine(state?.Length);
            }

            private void Run(object state) { }
        }
        """, Key,
        Verify.Expect("THR012", 0).WithLocation(2).WithArguments("'Count1'", "'int'"),
        Verify.Expect("THR012", 1).WithLocation(3).WithArguments("'Named'", "'string'"));

    [Fact]
    public Task FixKeepsTheNullForgivingOperator() => Verify.Fix("""
        #nullable enable
        using System.Threading;
        class C
        {
            void M(string name)
            {
                var t = {|#0:new Thread(Greet)|};
                {|#1:t.Start(name)|};
            }

            private static void Greet(object? state) => System.Console.WriteLine(((string)state!).Length);
        }
        """, """
        #nullable enable
        using System.Threading;
        class C
        {
            void M(string name)
            {
                var t = new Thread(() => Greet(name));
                t.Start();
            }

            private static void Greet(string? state) => System.Console.WriteLine(state!.Length);
        }
        """, Key, Verify.Expect("THR012", 0).WithLocation(1).WithArguments("'Greet'", "'string'"));

    [Theory]
    // The method is public: other code may call it with an object.
    [InlineData("public void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};")]
    // The parameter is used without the cast too.
    [InlineData("private void Work(object state) { ((Job)state).Run(); Console.WriteLine(state); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};")]
    // A pattern, not a cast.
    [InlineData("private void Work(object state) { if (state is Job j) j.Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};")]
    // Another use of the method would break.
    [InlineData("private void Work(object state) { ((Job)state).Run(); } void Again() => Work(null);", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|};")]
    // The argument is an object: the typed call would not compile.
    [InlineData("private void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(untyped)|};")]
    // The argument is written after the thread is made: the lambda would read the new value.
    [InlineData("private void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(job)|}; job = null;")]
    // The argument is declared after the creation.
    [InlineData("private void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; var later = job; {|#1:t.Start(later)|};")]
    // A field read later by the lambda is not the value Start had.
    [InlineData("private Job _job; private void Work(object state) { ((Job)state).Run(); }", "var t = {|#0:new Thread(Work)|}; {|#1:t.Start(_job)|};")]
    // A lambda body.
    [InlineData("", "var t = {|#0:new Thread(state => ((Job)state).Run())|}; {|#1:t.Start(job)|};", "(a lambda)")]
    public Task NoFix(string members, string body, string description = "'Work'") =>
        Verify.NoFix(InClass(members, body), Key, Verify.Expect("THR012", 0).WithLocation(1).WithArguments(description, "'Job'"));
}
