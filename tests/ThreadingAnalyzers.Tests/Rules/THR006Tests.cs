using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR006LoopVariableCaptureAnalyzer, ThreadingAnalyzers.CodeFixes.THR006LoopVariableCaptureCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR006Tests
{
    private const string Key = "THR006.CopyLoopVariable";

    private static string InMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void M(int n, int[] items)
            {
                var tasks = new List<Task>();
                var threads = new Thread[n];
                {{body}}
                Task.WaitAll(tasks.ToArray());
            }

            void Work(int i) { }
            void Work(int i, int j) { }
        }
        """;

    [Theory]
    [InlineData("for (int i = 0; i < n; i++) tasks.Add(Task.Run(() => Work({|#0:i|})));", "i", "Task.Run")]
    [InlineData("for (int i = 0; i < n; i++) { tasks.Add(Task.Factory.StartNew(() => Work({|#0:i|}))); }", "i", "Task.Factory.StartNew")]
    [InlineData("for (int i = 0; i < n; i++) ThreadPool.QueueUserWorkItem(_ => Work({|#0:i|}));", "i", "ThreadPool.QueueUserWorkItem")]
    [InlineData("for (int i = 0; i < n; i++) new Thread(() => Work({|#0:i|})).Start();", "i", "new Thread")]
    [InlineData("for (int i = 0; i < n; i++) new Thread(() => Work({|#0:i|})).UnsafeStart();", "i", "new Thread")]
    [InlineData("for (int i = 0; i < n; i++) { threads[i] = new Thread(() => Work({|#0:i|})); threads[i].Start(); }", "i", "new Thread")]
    [InlineData("int k = 0; while (k < n) { tasks.Add(Task.Run(() => Work({|#0:k|}))); k++; }", "k", "Task.Run")]
    [InlineData("int last = 0; foreach (var item in items) { last = item; tasks.Add(Task.Run(() => Work({|#0:last|}))); }", "last", "Task.Run")]
    [InlineData("do { tasks.Add(Task.Run(() => Work({|#0:n|}))); } while (--n > 0);", "n", "Task.Run")]
    [InlineData("for (int i = 0; i < n; i++) tasks.Add(Task.Run(() => { var twice = {|#0:i|} * 2; Work(twice, i); }));", "i", "Task.Run")]
    public Task CapturedLoopVariableIsFlagged(string body, string variable, string entryPoint) =>
        Verify.Diagnostic(InMethod(body), Verify.Expect("THR006").WithArguments(variable, entryPoint));

    [Fact]
    public Task EachVariableOfTheLambdaIsFlaggedOnce() => Verify.Diagnostic(
        InMethod("for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) tasks.Add(Task.Run(() => Work({|#0:i|}, {|#1:j|} + i + j)));"),
        Verify.Expect("THR006", 0).WithArguments("i", "Task.Run"),
        Verify.Expect("THR006", 1).WithArguments("j", "Task.Run"));

    [Theory]
    // A copy made inside the loop is a new variable in every iteration.
    [InlineData("for (int i = 0; i < n; i++) { var copy = i; tasks.Add(Task.Run(() => Work(copy))); }")]
    // foreach variables are new in every iteration (C# 5).
    [InlineData("foreach (var item in items) tasks.Add(Task.Run(() => Work(item)));")]
    // The run is waited for within the iteration: the loop changes the variable only after it ended.
    [InlineData("for (int i = 0; i < n; i++) Task.Run(() => Work(i)).Wait();")]
    [InlineData("for (int i = 0; i < n; i++) { var t = new Thread(() => Work(i)); t.Start(); t.Join(); }")]
    // Parallel.* returns when every body has finished.
    [InlineData("for (int i = 0; i < n; i++) Parallel.For(0, n, j => Work(i, j));")]
    // A variable the loop does not change.
    [InlineData("for (int i = 0; i < n; i++) tasks.Add(Task.Run(() => Work(n)));")]
    // Synchronous lambdas (LINQ) are not started.
    [InlineData("for (int i = 0; i < n; i++) Work(items.Count(x => x == i));")]
    // A thread created in the loop and never started there.
    [InlineData("for (int i = 0; i < n; i++) threads[i] = new Thread(() => Work(i));")]
    // Not in a loop.
    [InlineData("int i = 0; tasks.Add(Task.Run(() => Work(i)));")]
    // The lambda's own parameter.
    [InlineData("for (int i = 0; i < n; i++) ThreadPool.QueueUserWorkItem(state => Work((int)state!), i);")]
    public Task LookAlikesAreNotFlagged(string body) => Verify.Diagnostic(InMethod(body));

    [Fact]
    public Task LambdaThatWritesTheVariableIsLeftToThr002() => Verify.Diagnostic(InMethod(
        "int seen = 0; for (int i = 0; i < n; i++) { seen = i; tasks.Add(Task.Run(() => { seen++; })); }"));

    [Fact]
    public Task BrokenCodeIsSilent() => Verify.NoDiagnosticInBrokenCode("""
        using System.Threading.Tasks;
        class C
        {
            void M(int n)
            {
                for (int i = 0; i < n; i++) Task.Run(() => Work(i)
            }
        }
        """);

    [Fact]
    public Task FixCopiesTheVariableInAnEmbeddedStatement() => Verify.Fix(
        InMethod("for (int i = 0; i < n; i++) tasks.Add(Task.Run(() => Work({|#0:i|})));"),
        InMethod("""
            for (int i = 0; i < n; i++)
                    {
                        var iCopy = i;
                        tasks.Add(Task.Run(() => Work(iCopy)));
                    }
            """),
        Key,
        Verify.Expect("THR006").WithArguments("i", "Task.Run"));

    [Fact]
    public Task FixCopiesBeforeTheStatementInABlock() => Verify.Fix(
        InMethod("""
            int k = 0;
                    while (k < n)
                    {
                        // start one
                        tasks.Add(Task.Run(() => Work({|#0:k|}, k)));
                        k++;
                    }
            """),
        InMethod("""
            int k = 0;
                    while (k < n)
                    {
                        var kCopy = k;
                        // start one
                        tasks.Add(Task.Run(() => Work(kCopy, kCopy)));
                        k++;
                    }
            """),
        Key,
        Verify.Expect("THR006").WithArguments("k", "Task.Run"));

    [Fact]
    public Task FixAllCopiesEveryVariableWithUniqueNames() => Verify.Fix(
        InMethod("""
            var iCopy = 0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            tasks.Add(Task.Run(() => Work({|#0:i|} + iCopy, {|#1:j|})));
                        }
                    }
            """),
        InMethod("""
            var iCopy = 0;
                    for (int i = 0; i < n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            var iCopy2 = i;
                            var jCopy = j;
                            tasks.Add(Task.Run(() => Work(iCopy2 + iCopy, jCopy)));
                        }
                    }
            """),
        Key,
        Verify.Expect("THR006", 0).WithArguments("i", "Task.Run"),
        Verify.Expect("THR006", 1).WithArguments("j", "Task.Run"));

    [Fact]
    public Task FixInsideAnOuterLambdaCopiesInItsLoop() => Verify.Fix("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            Action M(int n) => () =>
            {
                for (int i = 0; i < n; i++)
                {
                    Task.Run(() => Console.WriteLine({|#0:i|}));
                }
            };
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class C
        {
            Action M(int n) => () =>
            {
                for (int i = 0; i < n; i++)
                {
                    var iCopy = i;
                    Task.Run(() => Console.WriteLine(iCopy));
                }
            };
        }
        """, Key, Verify.Expect("THR006").WithArguments("i", "Task.Run"));
}
