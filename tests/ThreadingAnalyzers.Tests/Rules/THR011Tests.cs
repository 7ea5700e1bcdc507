using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR011ThreadSleepInAsyncAnalyzer, ThreadingAnalyzers.CodeFixes.THR011ThreadSleepInAsyncCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR011Tests
{
    private const string Key = "THR011.UseTaskDelay";

    private static string InAsyncMethod(string body) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task PollAsync(int milliseconds, TimeSpan pause)
            {
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("{|#0:Thread.Sleep(100)|};")]
    [InlineData("{|#0:Thread.Sleep(milliseconds)|};")]
    [InlineData("{|#0:Thread.Sleep(pause)|};")]
    [InlineData("{|#0:Thread.Sleep(TimeSpan.FromSeconds(1))|};")]
    [InlineData("{|#0:Thread.Sleep(0)|};")]
    [InlineData("{|#0:Thread.Sleep(1)|};")]
    [InlineData("{|#0:Thread.Sleep(Timeout.Infinite)|};")]
    [InlineData("{|#0:System.Threading.Thread.Sleep(100)|};")]
    [InlineData("{|#0:global::System.Threading.Thread.Sleep(100)|};")]
    [InlineData("await Task.Yield(); {|#0:Thread.Sleep(100)|};")]
    [InlineData("for (var i = 0; i < 3; i++) { {|#0:Thread.Sleep(10)|}; }")]
    [InlineData("try { } finally { {|#0:Thread.Sleep(10)|}; }")]
    [InlineData("try { } catch (Exception) { {|#0:Thread.Sleep(10)|}; }")]
    [InlineData("lock (this) { {|#0:Thread.Sleep(10)|}; }")]
    public Task SleepInAsyncMethodIsFlagged(string statement) =>
        Verify.Diagnostic(InAsyncMethod(statement), Verify.Expect("THR011").WithArguments("the async method 'PollAsync'"));

    [Fact]
    public Task FlaggedInAsyncLambdasAndLocalFunctions() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            Func<Task> _field = async () => {|#0:Thread.Sleep(10)|};

            C()
            {
                Func<Task> f = async () => { {|#1:Thread.Sleep(10)|}; await Task.Yield(); };
            }

            void Start()
            {
                Task.Run(async () => { {|#2:Thread.Sleep(10)|}; await Task.Yield(); });
                Func<int, Task> g = async delegate (int ms) { {|#3:Thread.Sleep(ms)|}; await Task.Yield(); };
                async Task TickAsync() => {|#4:Thread.Sleep(10)|};
                _ = TickAsync();
                Action handler = async () => {|#5:Thread.Sleep(10)|};
            }

            int Count
            {
                get
                {
                    Func<Task> f = async () => {|#6:Thread.Sleep(10)|};
                    return 0;
                }
            }
        }
        """,
        Verify.Expect("THR011", 0).WithArguments("an async lambda in '_field'"),
        Verify.Expect("THR011", 1).WithArguments("an async lambda in 'C'"),
        Verify.Expect("THR011", 2).WithArguments("an async lambda in 'Start'"),
        Verify.Expect("THR011", 3).WithArguments("an async lambda in 'Start'"),
        Verify.Expect("THR011", 4).WithArguments("the async local function 'TickAsync'"),
        Verify.Expect("THR011", 5).WithArguments("an async lambda in 'Start'"),
        Verify.Expect("THR011", 6).WithArguments("an async lambda in 'Count'"));

    [Fact]
    public Task FlaggedUnderUsingStaticAndInAsyncVoidAndIterators() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using static System.Threading.Thread;
        class C
        {
            async void OnClick(object sender, System.EventArgs e) => {|#0:Sleep(10)|};

            async IAsyncEnumerable<int> CountAsync()
            {
                for (var i = 0; i < 3; i++)
                {
                    {|#1:Sleep(10)|};
                    yield return i;
                }

                await Task.Yield();
            }

            async ValueTask<int> ValueAsync()
            {
                {|#2:Sleep(10)|};
                return 1;
            }
        }
        """,
        Verify.Expect("THR011", 0).WithArguments("the async method 'OnClick'"),
        Verify.Expect("THR011", 1).WithArguments("the async method 'CountAsync'"),
        Verify.Expect("THR011", 2).WithArguments("the async method 'ValueAsync'"));

    [Fact]
    public Task FlaggedInAsyncTopLevelStatements()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                {|#0:Thread.Sleep(100)|};
                await Task.Yield();
                Func<Task> f = async () => {|#1:Thread.Sleep(10)|};
                """,
            FixedCode = """
                using System;
                using System.Threading;
                using System.Threading.Tasks;

                await Task.Delay(100);
                await Task.Yield();
                Func<Task> f = async () => await Task.Delay(10);
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
            CodeActionEquivalenceKey = Key,
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR011", 0).WithArguments("the async top-level statements"));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR011", 1).WithArguments("an async lambda in the top-level statements"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SilentInSynchronousCode() => Verify.Diagnostic("""
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            void M()
            {
                Thread.Sleep(10);
                Action a = () => Thread.Sleep(10);
                Func<Task> f = () => { Thread.Sleep(10); return Task.CompletedTask; };
                Task.Run(() => Thread.Sleep(10));
                void Local() => Thread.Sleep(10);
                Local();
            }

            Task NotAsync()
            {
                Thread.Sleep(10);
                return Task.CompletedTask;
            }

            static void Main()
            {
                Thread.Sleep(10);
            }
        }
        """);

    [Fact]
    public Task SilentInSynchronousFunctionsNestedInAsyncOnes() => Verify.Diagnostic("""
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task RunAsync(int[] items)
            {
                var worker = new Thread(() => Thread.Sleep(10));
                worker.Start();
                await Task.Run(() => Thread.Sleep(10));
                Parallel.For(0, 3, i => { Thread.Sleep(i); });
                Action retry = delegate { Thread.Sleep(10); };
                void Backoff() => Thread.Sleep(10);
                Backoff();
                var slow = items.Select(i => { Thread.Sleep(i); return i; }).ToList();
                var query = from i in items where Pause(i) select i;
                await Task.Yield();
            }

            static bool Pause(int i)
            {
                Thread.Sleep(i);
                return true;
            }
        }
        """);

    [Fact]
    public Task SilentOnLookAlikes() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Mine
        {
            static class Thread
            {
                public static void Sleep(int milliseconds) { }
            }

            class Robot
            {
                public void Sleep(int milliseconds) { }
            }

            class C
            {
                async Task RunAsync(Robot robot)
                {
                    Thread.Sleep(10);
                    robot.Sleep(10);
                    Action<int> nap = System.Threading.Thread.Sleep;
                    var name = nameof(System.Threading.Thread.Sleep);
                    await Task.Delay(10);
                    System.Threading.Thread.Yield();
                    System.Threading.Thread.SpinWait(10);
                }
            }
        }
        """);

    [Fact]
    public Task FixUsesTaskDelayWithTheSameArgument() => Verify.Fix("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task PollAsync(TimeSpan pause)
            {
                {|#0:Thread.Sleep(100)|}; // wait for the device
                {|#1:Thread.Sleep(pause)|};
                {|#2:Thread.Sleep(millisecondsTimeout: /* short */ 5)|};
                await Task.Yield();
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task PollAsync(TimeSpan pause)
            {
                await Task.Delay(100); // wait for the device
                await Task.Delay(pause);
                await Task.Delay(/* short */ 5);
                await Task.Yield();
            }
        }
        """, Key,
        Verify.Expect("THR011", 0).WithArguments("the async method 'PollAsync'"),
        Verify.Expect("THR011", 1).WithArguments("the async method 'PollAsync'"),
        Verify.Expect("THR011", 2).WithArguments("the async method 'PollAsync'"));

    [Fact]
    public Task FixPassesTheOnlyCancellationToken() => Verify.Fix("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task PollAsync(int attempts, CancellationToken cancellationToken)
            {
                for (var i = 0; i < attempts; i++)
                {
                    {|#0:Thread.Sleep(TimeSpan.FromMilliseconds(100))|};
                }

                Func<int, CancellationToken, Task> step = async (ms, @event) => {|#1:Thread.Sleep(ms)|};
                await step(1, cancellationToken);
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task PollAsync(int attempts, CancellationToken cancellationToken)
            {
                for (var i = 0; i < attempts; i++)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
                }

                Func<int, CancellationToken, Task> step = async (ms, @event) => await Task.Delay(ms, @event);
                await step(1, cancellationToken);
            }
        }
        """, Key,
        Verify.Expect("THR011", 0).WithArguments("the async method 'PollAsync'"),
        Verify.Expect("THR011", 1).WithArguments("an async lambda in 'PollAsync'"));

    [Fact]
    public Task FixPassesNoTokenWhenThereAreTwoOrTheLambdaHasNone() => Verify.Fix("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task CopyAsync(CancellationToken source, CancellationToken target)
            {
                {|#0:Thread.Sleep(10)|};
                await Task.Yield();
            }

            async Task RunAsync(CancellationToken token)
            {
                await Task.Run(async () => {|#1:Thread.Sleep(10)|});
                Func<CancellationToken, CancellationToken, Task> f = async (_, _) => {|#2:Thread.Sleep(10)|};
                await f(token, token);
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task CopyAsync(CancellationToken source, CancellationToken target)
            {
                await Task.Delay(10);
                await Task.Yield();
            }

            async Task RunAsync(CancellationToken token)
            {
                await Task.Run(async () => await Task.Delay(10));
                Func<CancellationToken, CancellationToken, Task> f = async (_, _) => await Task.Delay(10);
                await f(token, token);
            }
        }
        """, Key,
        Verify.Expect("THR011", 0).WithArguments("the async method 'CopyAsync'"),
        Verify.Expect("THR011", 1).WithArguments("an async lambda in 'RunAsync'"),
        Verify.Expect("THR011", 2).WithArguments("an async lambda in 'RunAsync'"));

    [Fact]
    public Task FixAddsTheTasksUsing() => Verify.Fix("""
        using System.Threading;

        class C
        {
            async System.Threading.Tasks.Task PollAsync()
            {
                {|#0:Thread.Sleep(10)|};
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async System.Threading.Tasks.Task PollAsync()
            {
                await Task.Delay(10);
            }
        }
        """, Key, Verify.Expect("THR011").WithArguments("the async method 'PollAsync'"));

    [Fact]
    public Task FixQualifiesTaskWhereAnotherTaskIsInScope() => Verify.Fix("""
        using System.Threading;

        namespace Jobs
        {
            class Task { }

            class C
            {
                async System.Threading.Tasks.Task RunAsync(Task job)
                {
                    {|#0:Thread.Sleep(10)|};
                }
            }
        }
        """, """
        using System.Threading;

        namespace Jobs
        {
            class Task { }

            class C
            {
                async System.Threading.Tasks.Task RunAsync(Task job)
                {
                    await System.Threading.Tasks.Task.Delay(10);
                }
            }
        }
        """, Key, Verify.Expect("THR011").WithArguments("the async method 'RunAsync'"));

    [Fact]
    public Task FixInCatchAndFinally() => Verify.Fix("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task RetryAsync(Func<Task> action)
            {
                try
                {
                    await action();
                }
                catch (InvalidOperationException)
                {
                    {|#0:Thread.Sleep(100)|};
                }
                finally
                {
                    {|#1:Thread.Sleep(10)|};
                }
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task RetryAsync(Func<Task> action)
            {
                try
                {
                    await action();
                }
                catch (InvalidOperationException)
                {
                    await Task.Delay(100);
                }
                finally
                {
                    await Task.Delay(10);
                }
            }
        }
        """, Key,
        Verify.Expect("THR011", 0).WithArguments("the async method 'RetryAsync'"),
        Verify.Expect("THR011", 1).WithArguments("the async method 'RetryAsync'"));

    [Fact]
    public Task NoFixInALock() => Verify.NoFix("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            readonly object _gate = new object();

            async Task LockedAsync()
            {
                lock (_gate)
                {
                    {|#0:Thread.Sleep(10)|};
                }

                await Task.Yield();
            }
        }
        """, Key, Verify.Expect("THR011").WithArguments("the async method 'LockedAsync'"));

    [Fact]
    public Task NoFixInAnUnsafeContext()
    {
        const string source = """
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task UnsafeBlockAsync()
                {
                    unsafe
                    {
                        {|#0:Thread.Sleep(10)|};
                    }

                    await Task.Yield();
                }
            }

            unsafe class D
            {
                // No await compiles here: this method is async in name only.
                async Task UnsafeTypeAsync()
                {
                    {|#1:Thread.Sleep(10)|};
                }
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = Key };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectCompilationOptions(
            projectId, ((CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!).WithAllowUnsafe(true)));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR011", 0).WithArguments("the async method 'UnsafeBlockAsync'"));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR011", 1).WithArguments("the async method 'UnsafeTypeAsync'"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NoFixInCatchBeforeCSharp6()
    {
        const string source = """
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                async Task RetryAsync()
                {
                    try
                    {
                        await Task.Yield();
                    }
                    catch (InvalidOperationException)
                    {
                        {|#0:Thread.Sleep(10)|};
                    }
                }
            }
            """;
        var test = new Verify.Test { TestCode = source, FixedCode = source, CodeActionEquivalenceKey = Key };
        test.SolutionTransforms.Add((solution, projectId) => solution.WithProjectParseOptions(
            projectId, ((CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!).WithLanguageVersion(LanguageVersion.CSharp5)));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR011").WithArguments("the async method 'RetryAsync'"));
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("Thread.Sleep(10)")]
    [InlineData("Thread.Sleep(10")]
    [InlineData("Thread.Sleep(unknown);")]
    [InlineData("Thread.Sleep(\"10\");")]
    [InlineData("Thread.Sleep();")]
    [InlineData("Thread.Sleep(10); Thread.")]
    [InlineData("Thread.Sleep(10); await")]
    public Task SilentInBrokenCode(string statement) => Verify.NoDiagnosticInBrokenCode($$"""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            async Task M()
            {
                {{statement}}
            }
        }
        """);
}
