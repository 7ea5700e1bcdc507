using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Rules;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR023OptionEntryNotUnderstoodAnalyzer>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR023Tests
{
    private const string Pool = """
        using System;
        namespace MyCompany
        {
            public sealed class Scheduler
            {
                public void Post(Action work) { }
                public void Post(Action<object> work, object state) { }
                public void PostLater(Action work, int delay) { }
            }

            public sealed class SafeQueue<T> { }

            public sealed class SpinGate
            {
                public void Enter() { }
                public void Exit() { }
            }
        }
        """;

    private static DiagnosticResult NotUnderstood(string entry, string key, string reason) =>
        new DiagnosticResult(Descriptors.THR023).WithArguments(entry, key, reason);

    [Theory]
    [InlineData("threading_analyzers.concurrent_entry_points = M:MyCompany.Scheduler.Post(System.Action)")]
    [InlineData("threading_analyzers.concurrent_entry_points = M:MyCompany.Scheduler.Post*")]
    [InlineData("threading_analyzers.concurrent_entry_points = M:MyCompany.Scheduler.Post*+repeat; M:System.Threading.ThreadPool.QueueUserWorkItem*")]
    [InlineData("threading_analyzers.thread_safe_types = T:MyCompany.SafeQueue`1 T:System.Random")]
    [InlineData("threading_analyzers.lock_methods = M:MyCompany.SpinGate.Enter|M:MyCompany.SpinGate.Exit")]
    [InlineData("threading_analyzers.concurrent_entry_points = M:MyCompany.Scheduler.Post(System.Action{System.Object},System.Object)")]
    public Task EntriesThatResolveAreSilent(string option) => Verify.DiagnosticWithConfig(Pool, option);

    [Fact]
    public Task MethodIdThatNamesNothingIsReported() => Verify.DiagnosticWithConfig(
        Pool,
        "threading_analyzers.concurrent_entry_points = M:MyCompany.Scheduler.Post(System.Action) M:MyCompany.Scheduler.Psot*",
        expected: NotUnderstood("M:MyCompany.Scheduler.Psot*", ThreadingOptions.EntryPointsKey, "no method of the compilation or its references has this id"));

    [Fact]
    public Task EntryWithoutItsKindPrefixIsReported() => Verify.DiagnosticWithConfig(
        Pool,
        "threading_analyzers.concurrent_entry_points = MyCompany.Scheduler.Post",
        expected: NotUnderstood(
            "MyCompany.Scheduler.Post", ThreadingOptions.EntryPointsKey,
            "a method is written 'M:Namespace.Type.Method(ParameterTypes)', or 'M:Namespace.Type.Method*' for every overload"));

    [Fact]
    public Task TypeIdThatNamesNothingIsReportedInAGlobalConfig() => Verify.DiagnosticWithConfig(
        Pool,
        "threading_analyzers.thread_safe_types = T:MyCompany.SafeQueue",
        global: true,
        expected: NotUnderstood("T:MyCompany.SafeQueue", ThreadingOptions.ThreadSafeTypesKey, "no type of the compilation or its references has this id"));

    [Fact]
    public Task MethodGivenAsATypeIsReported() => Verify.DiagnosticWithConfig(
        Pool,
        "threading_analyzers.thread_safe_types = M:MyCompany.SpinGate.Enter",
        expected: NotUnderstood("M:MyCompany.SpinGate.Enter", ThreadingOptions.ThreadSafeTypesKey, "a type is written 'T:Namespace.Type', with `1 for one type parameter"));

    [Theory]
    [InlineData("M:MyCompany.SpinGate.Enter", "a pair is written 'M:acquire|M:release'")]
    [InlineData("M:MyCompany.SpinGate.Enter|M:MyCompany.SpinGate.Leave", "no method of the compilation or its references has this id")]
    public Task LockPairThatIsIncompleteIsReported(string entry, string reason) => Verify.DiagnosticWithConfig(
        Pool,
        "threading_analyzers.lock_methods = " + entry,
        expected: NotUnderstood(entry, ThreadingOptions.LockMethodsKey, reason));

    [Fact]
    public Task EachProblemIsReportedOnce() => Verify.DiagnosticWithConfig(
        Pool + "\nclass Other { }\n",
        "threading_analyzers.concurrent_entry_points = M:Nowhere.Run M:Nowhere.Go*",
        expected: new[]
        {
            NotUnderstood("M:Nowhere.Run", ThreadingOptions.EntryPointsKey, "no method of the compilation or its references has this id"),
            NotUnderstood("M:Nowhere.Go*", ThreadingOptions.EntryPointsKey, "no method of the compilation or its references has this id"),
        });

    [Fact]
    public Task NoOptionsNoDiagnostic() => Verify.Diagnostic(Pool);

    [Fact]
    public Task BrokenCodeWithoutOptionsIsSilent() => Verify.NoDiagnosticInBrokenCode("""
        class C
        {
            void M() { var x = ; }
        """);
}
