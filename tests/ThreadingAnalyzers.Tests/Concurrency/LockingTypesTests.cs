using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Tests.Concurrency;

/// <summary>The cheap questions asked before the lock model does any work: which types may take a lock, which functions may hold one.</summary>
public class LockingTypesTests
{
    private static CSharpCompilation Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>The types of the source that may take a lock, asked in the order given (the tokens are found once for the tree).</summary>
    private static string MayTakeLock(string source, params string[] types)
    {
        var compilation = Compile(source);
        return string.Join(", ", types.Where(name => LockingTypes.MayTakeLock(
            compilation.GetTypeByMetadataName(name)!,
            static word => word is "Enter" or "TryEnter",
            default)));
    }

    [Fact]
    public void EachTypeAnswersForItsOwnDeclarations() => Assert.Equal("Locks, Enters, Outer, Outer+Inner", MayTakeLock(
        """
        class Plain { void M() { } }
        class Locks { object _g = new object(); void M() { lock (_g) { } } }
        class Enters { object _g = new object(); void M() { System.Threading.Monitor.Enter(_g); } }
        class Outer { class Inner { void M() { lock (this) { } } } }
        class After { void M() { } }
        """,
        "Plain", "Locks", "Enters", "Outer", "Outer+Inner", "After"));

    [Fact]
    public void WordsOutsideCodeAndLongerNamesDoNotCount() => Assert.Equal(string.Empty, MayTakeLock(
        """
        class Commented { /* lock (this) Enter */ void M() { } }
        class Quoted { string _s = "lock Enter"; }
        class Longer { void Entered() { } void EnterTheRoom() { } int Wait; }
        class Other { void M() { System.Threading.Monitor.Exit(this); } }
        """,
        "Commented", "Quoted", "Longer", "Other"));

    [Fact]
    public void PartialTypeTakesALockInAnyPart() => Assert.Equal("P", MayTakeLock(
        """
        partial class P { void M() { } }
        class Between { }
        partial class P { void N() { lock (this) { } } }
        """,
        "P", "Between"));

    /// <summary>The functions of the type whose own code may hold a lock, by the member they are in (lambdas as <c>M.lambda</c>).</summary>
    private static string MayTakeLocks(string source)
    {
        var compilation = Compile(source);
        var locks = LockModel.For(compilation).ForType(compilation.GetTypeByMetadataName("C")!);
        return string.Join(", ", locks.Functions
            .Where(function => function.MayTakeLocks)
            .Select(function => function.Member.Name + (function.Method is null ? ".lambda" : function.Method.MethodKind == MethodKind.LocalFunction ? "." + function.Method.Name : string.Empty)));
    }

    [Fact]
    public void FunctionsThatTakeALockOfTheirOwn() => Assert.Equal("Locks, Semaphore, Monitor, Scope, Runs.lambda, Local.Inner", MayTakeLocks(
        """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            object _g = new object();
            SemaphoreSlim _s = new SemaphoreSlim(1, 1);
            int _n;
            void Plain() { _n++; }
            void Locks() { lock (_g) { _n++; } }
            void Semaphore() { _s.Wait(); try { _n++; } finally { _s.Release(); } }
            void Monitor() { System.Threading.Monitor.Enter(_g); System.Threading.Monitor.Exit(_g); }
            void Scope() { using (_s.AvailableWaitHandle) { _n++; } }
            void Runs() { Task.Run(() => { lock (_g) { _n++; } }); }
            void Local() { Inner(); void Inner() { lock (_g) { _n++; } } }
            void Pulses() { System.Threading.Monitor.Pulse(_g); _s.Release(); }
            void Waits(Task task) { task.Wait(); }
        }
        """));
}
