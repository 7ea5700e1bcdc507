using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR018NonReadonlyLockFieldAnalyzer, ThreadingAnalyzers.CodeFixes.THR018NonReadonlyLockFieldCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR018Tests
{
    private const string Key = "THR018.MakeReadonly";
    private const string ConstructedOnly = "it is assigned only where the object is constructed, so make it readonly and no thread can ever lock a different object";
    private const string NotPrivate = "it is not private, so code outside the type can assign it a new object while a thread holds the old one; make it readonly";

    private static string AssignedIn(string member) =>
        member + " assigns it too, and a thread that locks the new object does not wait for one that still holds the old one; lock on a readonly field instead";

    private static string InClass(string body) => $$"""
        using System;
        using System.Threading;
        class C
        {
            private object _sync = new object();
            private static object s_sync = new object();
            private object _fromConstructor;
            private readonly object _readonly = new object();
            private int _count;
            private SpinLock _spin;
            private const string Name = "c";

            C() { _fromConstructor = new object(); }

            object Property { get; set; } = new object();

            void M(object parameter)
            {
                object local = new object();
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("lock ({|#0:_sync|}) { }", "_sync")]
    [InlineData("lock ({|#0:this._sync|}) { }", "_sync")]
    [InlineData("lock ({|#0:s_sync|}) { }", "s_sync")]
    [InlineData("lock ({|#0:C.s_sync|}) { }", "s_sync")]
    [InlineData("lock ({|#0:_fromConstructor|}) { }", "_fromConstructor")]
    [InlineData("Monitor.Enter({|#0:_sync|}); Monitor.Exit(_sync);", "_sync")]
    [InlineData("bool taken = false; Monitor.Enter({|#0:_sync|}, ref taken);", "_sync")]
    [InlineData("if (Monitor.TryEnter({|#0:_sync|}, 10)) Monitor.Exit(_sync);", "_sync")]
    [InlineData("bool taken = false; Monitor.TryEnter(lockTaken: ref taken, obj: {|#0:_sync|});", "_sync")]
    [InlineData("Action a = () => { lock ({|#0:_sync|}) { } };", "_sync")]
    public Task FlaggedWhenAssignedOnlyWhereConstructed(string statement, string field) =>
        Verify.Diagnostic(InClass(statement), Verify.Expect("THR018").WithArguments(field, ConstructedOnly));

    [Theory]
    [InlineData("lock (_readonly) { }")]
    [InlineData("lock (local) { }")]
    [InlineData("lock (parameter) { }")]
    [InlineData("lock (Property) { }")]
    [InlineData("lock (Name) { }")]
    [InlineData("Monitor.Enter(_count); Monitor.Exit(_count);")]
    [InlineData("Monitor.Enter(_spin); Monitor.Exit(_spin);")]
    [InlineData("Monitor.Exit(_sync); Monitor.Pulse(_sync); Monitor.Wait(_sync);")]
    [InlineData("lock (Console.Out) { }")]
    public Task SilentOnOtherLockedValues(string statement) => Verify.Diagnostic(InClass(statement));

    [Fact]
    public Task ReportsTheAssignmentOutsideConstructionWithoutAFix() => Verify.NoFix("""
        using System.Threading;
        class Session
        {
            private object _gate = new object();
            private object _lazy;
            private object _exchanged = new object();
            private static object s_shared = new object();
            private object _inLambda;
            private object _other = new object();

            Session(Session previous)
            {
                System.Action reset = () => {|#7:_inLambda = new object()|};
                reset();
                {|#9:previous._other = new object()|};
                {|#11:s_shared = new object()|};
            }

            public void Reset()
            {
                {|#1:_gate = new object()|};
            }

            public void Use()
            {
                lock ({|#0:_gate|}) { }
                lock ({|#2:_lazy|}) { }
                lock ({|#4:_exchanged|}) { }
                lock ({|#6:_inLambda|}) { }
                lock ({|#8:_other|}) { }
                lock ({|#10:s_shared|}) { }
            }

            void Swap() => {|#5:Interlocked.Exchange(ref _exchanged, new object())|};

            object Lazy() => {|#3:_lazy ??= new object()|};

            private object _inline;

            void Inline()
            {
                lock ({|#12:_inline ??= new object()|}) { }
            }
        }
        """, Key,
        Verify.Expect("THR018", 0).WithLocation(1).WithArguments("_gate", AssignedIn("Reset")),
        Verify.Expect("THR018", 2).WithLocation(3).WithArguments("_lazy", AssignedIn("Lazy")),
        Verify.Expect("THR018", 4).WithLocation(5).WithArguments("_exchanged", AssignedIn("Swap")),
        Verify.Expect("THR018", 6).WithLocation(7).WithArguments("_inLambda", AssignedIn("a lambda in the constructor of Session")),
        Verify.Expect("THR018", 8).WithLocation(9).WithArguments("_other", AssignedIn("the constructor of Session")),
        Verify.Expect("THR018", 10).WithLocation(11).WithArguments("s_shared", AssignedIn("the constructor of Session")),
        Verify.Expect("THR018", 12).WithLocation(12).WithArguments("_inline", AssignedIn("Inline")));

    [Fact]
    public Task AssignmentsInNestedTypesAndOtherPartsCount() => Verify.NoFix("""
        partial class Pool
        {
            private object _sync = new object();

            void M()
            {
                lock ({|#0:_sync|}) { }
            }

            class Resetter
            {
                void Reset(Pool pool) => {|#1:pool._sync = new object()|};
            }
        }

        partial class Pool
        {
            private object _other = new object();

            void N()
            {
                lock ({|#2:_other|}) { }
            }

            void Clear()
            {
                {|#3:_other = new object()|};
            }
        }
        """, Key,
        Verify.Expect("THR018", 0).WithLocation(1).WithArguments("_sync", AssignedIn("Reset")),
        Verify.Expect("THR018", 2).WithLocation(3).WithArguments("_other", AssignedIn("Clear")));

    [Fact]
    public Task LocksAreDecidedInTheTypeThatTakesThem() => Verify.Diagnostic("""
        class Registry
        {
            internal static object Gate = new object();
            private object _sync = new object();

            class Worker
            {
                void Run(Registry registry)
                {
                    lock ({|#0:registry._sync|}) { }
                    System.Threading.Monitor.Enter({|#1:Registry.Gate|});
                    System.Threading.Monitor.Exit(Registry.Gate);
                }
            }

            void Reset() => {|#2:_sync = new object()|};
        }
        """,
        Verify.Expect("THR018", 0).WithLocation(2).WithArguments("_sync", AssignedIn("Reset")),
        Verify.Expect("THR018", 1).WithArguments("Gate", NotPrivate));

    [Fact]
    public Task TopLevelStatementsAreAnalyzed()
    {
        var test = new Verifier<ThreadingAnalyzers.Rules.THR018NonReadonlyLockFieldAnalyzer, EmptyCodeFixProvider>.Test
        {
            TestCode = """
                lock ({|#0:Shared.Gate|})
                {
                    System.Console.WriteLine();
                }

                static class Shared
                {
                    public static object Gate = new object();
                }
                """,
            TestState = { OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication },
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR018").WithArguments("Gate", NotPrivate));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NonPrivateFieldsAreReportedWithoutAFix() => Verify.NoFix("""
        public class Base
        {
            protected object Gate = new object();
            internal object Shared = new object();

            void M()
            {
                lock ({|#0:Gate|}) { }
                lock ({|#1:Shared|}) { }
            }
        }
        """, Key,
        Verify.Expect("THR018", 0).WithArguments("Gate", NotPrivate),
        Verify.Expect("THR018", 1).WithArguments("Shared", NotPrivate));

    [Fact]
    public Task SilentOnReadonlyValueTypeAndUnknownFields() => Verify.Diagnostic("""
        using System.Threading;
        class Holder<T, TRef> where TRef : class
        {
            private T _value;
            private TRef _reference;
            private readonly object _gate = new object();

            void M()
            {
                Monitor.Enter(_value);
                lock (_gate) { }
                lock ({|#0:_reference|}) { }
            }
        }
        """, Verify.Expect("THR018", 0).WithArguments("_reference", ConstructedOnly));

    [Fact]
    public Task NoDiagnosticInBrokenCode() => Verify.NoDiagnosticInBrokenCode("""
        class C
        {
            private Missing _missing = new Missing();
            private object _sync = new object();

            void M()
            {
                lock (_missing) { }
                lock (_unknown) { }
                lock (_sync
                _sync = ;
            }
        }
        """);

    [Fact]
    public Task FixAddsReadonlyInEveryForm() => Verify.Fix("""
        using System.Threading;
        class Counter
        {
            private object _sync = new object();
            private static object s_sync = new object();
            object _bare;
            private volatile object _volatile = new object();
            private int _count;

            Counter()
            {
                _bare = new object();
            }

            public void Increment()
            {
                lock ({|#0:_sync|}) { _count++; }
                lock ({|#1:_sync|}) { _count++; }
                lock ({|#2:s_sync|}) { }
                Monitor.Enter({|#3:_bare|});
                Monitor.Exit(_bare);
                lock ({|#4:_volatile|}) { }
            }
        }
        """, """
        using System.Threading;
        class Counter
        {
            private readonly object _sync = new object();
            private static readonly object s_sync = new object();
            readonly object _bare;
            private readonly object _volatile = new object();
            private int _count;

            Counter()
            {
                _bare = new object();
            }

            public void Increment()
            {
                lock (_sync) { _count++; }
                lock (_sync) { _count++; }
                lock (s_sync) { }
                Monitor.Enter(_bare);
                Monitor.Exit(_bare);
                lock (_volatile) { }
            }
        }
        """, Key,
        Verify.Expect("THR018", 0).WithArguments("_sync", ConstructedOnly),
        Verify.Expect("THR018", 1).WithArguments("_sync", ConstructedOnly),
        Verify.Expect("THR018", 2).WithArguments("s_sync", ConstructedOnly),
        Verify.Expect("THR018", 3).WithArguments("_bare", ConstructedOnly),
        Verify.Expect("THR018", 4).WithArguments("_volatile", ConstructedOnly));

    [Fact]
    public Task NoFixForADeclarationOfSeveralFields() => Verify.NoFix("""
        class Pair
        {
            private object _first = new object(), _second = new object();

            void M()
            {
                lock ({|#0:_first|}) { }
            }
        }
        """, Key, Verify.Expect("THR018", 0).WithArguments("_first", ConstructedOnly));

    [Fact]
    public Task FixChangesTheDeclarationInAnotherPartOfThePartialType()
    {
        var test = new Verify.Test { CodeActionEquivalenceKey = Key };
        test.TestState.Sources.Add(("Worker.cs", """
            partial class Worker
            {
                void Run()
                {
                    lock ({|#0:_gate|}) { }
                }
            }
            """));
        test.TestState.Sources.Add(("Worker.Fields.cs", """
            partial class Worker
            {
                private object _gate = new object();
            }
            """));
        test.FixedState.Sources.Add(("Worker.cs", """
            partial class Worker
            {
                void Run()
                {
                    lock (_gate) { }
                }
            }
            """));
        test.FixedState.Sources.Add(("Worker.Fields.cs", """
            partial class Worker
            {
                private readonly object _gate = new object();
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR018", 0).WithArguments("_gate", ConstructedOnly));
        return test.RunAsync(CancellationToken.None);
    }
}
