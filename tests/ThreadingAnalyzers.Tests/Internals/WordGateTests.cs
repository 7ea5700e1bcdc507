using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR009MonitorEnterWithoutFinallyAnalyzer, ThreadingAnalyzers.CodeFixes.THR009MonitorEnterWithoutFinallyCodeFix>;

namespace ThreadingAnalyzers.Tests.Internals;

/// <summary>
/// The rules whose operation actions only the types that mention their words register (WordGate), seen through THR009:
/// calls outside any declared type, in nested types and spelled with escapes are still found, each once.
/// </summary>
public class WordGateTests
{
    private static DiagnosticResult Enter(int markup) =>
        Verify.Expect("THR009", markup).WithArguments("Monitor.Enter(gate)", "Monitor.Exit(gate)", "use a lock statement");

    [Fact]
    public Task TopLevelStatementsAreAnalyzed()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;

                var gate = new object();
                {|#0:Monitor.Enter(gate)|};
                System.Console.WriteLine();
                Monitor.Exit(gate);
                """,
            TestState = { OutputKind = OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Enter(0));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NestedTypesAreAnalyzedOnceEach() => Verify.Diagnostic("""
        using System.Threading;
        class Outer
        {
            void M(object gate) { {|#0:Monitor.Enter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }

            class Inner
            {
                void M(object gate) { {|#1:Monitor.Enter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }

                class Innermost
                {
                    void M(object gate) { {|#2:Monitor.Enter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }
                }
            }
        }
        """, Enter(0), Enter(1), Enter(2));

    [Fact]
    public Task NestedTypeOfATypeWithoutTheWordIsAnalyzed() => Verify.Diagnostic("""
        using System.Threading;
        class Outer
        {
            class Inner
            {
                void M(object gate) { {|#0:Monitor.Enter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }
            }

            void Other() { }
        }
        """, Enter(0));

    [Fact]
    public Task EscapedNamesAreFound() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M(object gate) { {|#0:Monitor.\u0045nter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }
        }
        """, Enter(0));

    [Fact]
    public Task PartialTypesAreAnalyzedInEveryPart() => Verify.Diagnostic("""
        using System.Threading;
        partial class C
        {
            void Other() { }
        }

        partial class C
        {
            void M(object gate) { {|#0:Monitor.Enter(gate)|}; System.Console.WriteLine(); Monitor.Exit(gate); }
        }
        """, Enter(0));

    [Fact]
    public Task TargetTypedCreationIntoABaseFieldDeclaredElsewhereIsAnalyzed()
    {
        // Derived.cs never names Thread: only its target-typed new( lets THR012's per-type gate through.
        var test = new Verifier<ThreadingAnalyzers.Rules.THR012ParameterizedThreadStartCastAnalyzer, EmptyCodeFixProvider>.Test
        {
            TestState =
            {
                Sources =
                {
                    ("Base.cs", """
                        using System.Threading;
                        class Job { public void Run() { } }
                        class Base
                        {
                            protected Thread _worker;
                        }
                        """),
                    ("Derived.cs", """
                        class Derived : Base
                        {
                            void Work(object state) { ((Job)state).Run(); }

                            void M(Job job)
                            {
                                _worker = {|#0:new(Work)|};
                                {|#1:_worker.Start(job)|};
                            }
                        }
                        """),
                },
            },
        };
        test.ExpectedDiagnostics.Add(Verifier<ThreadingAnalyzers.Rules.THR012ParameterizedThreadStartCastAnalyzer, EmptyCodeFixProvider>.Expect("THR012").WithLocation(1).WithArguments("'Work'", "'Job'"));
        return test.RunAsync(CancellationToken.None);
    }
}
