using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR010WeakIdentityLockAnalyzer, ThreadingAnalyzers.CodeFixes.THR010WeakIdentityLockCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR010Tests
{
    private const string Key = "THR010.UsePrivateGate";
    private const string ThisReason = "code outside the type can lock the same instance";
    private const string TypeReason = "a Type object is shared by all code in the process, which can lock it too";
    private const string StringReason = "strings are interned and shared, so unrelated code can lock the same string";
    private const string BoxReason = "the value is boxed into a new object on every lock, so the lock excludes nothing";
    private const string PublicFieldReason = "the field is reachable from outside the type, so other code can lock the same object";

    private static string InClass(string body) => $$"""
        using System;
        using System.Threading;
        public class C
        {
            private string _name = "n";
            private Type _type = typeof(C);
            private int _count;
            public object Sync = new object();
            protected readonly object Guard = new object();
            private readonly object _private = new object();

            void M(object parameter, C other)
            {
                object local = new object();
                {{body}}
            }
        }
        """;

    [Theory]
    [InlineData("lock ({|#0:this|}) { }", "this", ThisReason)]
    [InlineData("lock ({|#0:typeof(C)|}) { }", "typeof(C)", TypeReason)]
    [InlineData("lock ({|#0:typeof(string)|}) { }", "typeof(string)", TypeReason)]
    [InlineData("lock ({|#0:GetType()|}) { }", "GetType()", TypeReason)]
    [InlineData("lock ({|#0:parameter.GetType()|}) { }", "parameter.GetType()", TypeReason)]
    [InlineData("lock ({|#0:_type|}) { }", "_type", TypeReason)]
    [InlineData("lock ({|#0:\"key\"|}) { }", "\"key\"", StringReason)]
    [InlineData("lock ({|#0:_name|}) { }", "_name", StringReason)]
    [InlineData("lock ({|#0:nameof(M)|}) { }", "nameof(M)", StringReason)]
    [InlineData("lock ({|#0:(object)_count|}) { _count++; }", "(object)_count", BoxReason)]
    [InlineData("lock ({|#0:(IComparable)_count|}) { }", "(IComparable)_count", BoxReason)]
    [InlineData("lock ({|#0:Sync|}) { }", "Sync", PublicFieldReason)]
    [InlineData("lock ({|#0:other.Sync|}) { }", "other.Sync", PublicFieldReason)]
    [InlineData("lock ({|#0:Guard|}) { }", "Guard", PublicFieldReason)]
    [InlineData("Action a = () => { lock ({|#0:this|}) { } };", "this", ThisReason)]
    public Task Flagged(string statement, string expression, string reason) =>
        Verify.Diagnostic(InClass(statement), Verify.Expect("THR010").WithArguments(expression, reason));

    [Theory]
    [InlineData("lock (_private) { }")]
    [InlineData("lock (local) { }")]
    [InlineData("lock (parameter) { }")]
    [InlineData("lock (other) { }")]
    [InlineData("lock (other._private) { }")]
    [InlineData("Monitor.Enter(this); Monitor.Exit(this);")]
    public Task SilentOnPrivateAndUnknownObjects(string statement) => Verify.Diagnostic(InClass(statement));

    [Fact]
    public Task SilentOnFieldsOutsideOfPublicTypes() => Verify.Diagnostic("""
        internal class Internal
        {
            public object Sync = new object();
            void M() { lock (Sync) { } }
        }

        public sealed class Sealed
        {
            internal object Shared = new object();
            void M() { lock (Shared) { } }
        }

        public class Outer
        {
            private class Nested
            {
                public object Sync = new object();
                void M() { lock (Sync) { } }
            }
        }
        """);

    [Fact]
    public Task NoDiagnosticInBrokenCode() => Verify.NoDiagnosticInBrokenCode("""
        struct S
        {
            void M(int value)
            {
                lock (this) { }
                lock (value) { }
                lock (Missing) { }
                lock (
            }
        }
        """);

    [Fact]
    public Task FixReplacesEveryLockOnThisWithOneGate() => Verify.Fix("""
        class Counter
        {
            private int _count;

            public void Increment()
            {
                lock ({|#0:this|})
                {
                    _count++;
                }
            }

            public int Read()
            {
                lock ({|#1:this|}) { return _count; }
            }
        }
        """, """
        class Counter
        {
            private int _count;
            private readonly object _gate = new object();

            public void Increment()
            {
                lock (_gate)
                {
                    _count++;
                }
            }

            public int Read()
            {
                lock (_gate) { return _count; }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("this", ThisReason),
        Verify.Expect("THR010", 1).WithArguments("this", ThisReason));

    [Fact]
    public Task FixAllMakesOneGatePerLockedObjectWithFreshNames() => Verify.Fix("""
        class Cache
        {
            private static int _hits;
            private string _key = "k";
            private int _gate;

            public static void Hit()
            {
                lock ({|#0:typeof(Cache)|}) { _hits++; }
            }

            public void Reset()
            {
                lock ({|#1:this|}) { _gate = 0; }
                lock ({|#2:_key|}) { }
                lock ({|#3:typeof(Cache)|}) { _hits = 0; }
            }
        }
        """, """
        class Cache
        {
            private static int _hits;
            private string _key = "k";
            private int _gate;
            private static readonly object _gate2 = new object();
            private readonly object _gate3 = new object();
            private readonly object _gate4 = new object();

            public static void Hit()
            {
                lock (_gate2) { _hits++; }
            }

            public void Reset()
            {
                lock (_gate3) { _gate = 0; }
                lock (_gate4) { }
                lock (_gate2) { _hits = 0; }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("typeof(Cache)", TypeReason),
        Verify.Expect("THR010", 1).WithArguments("this", ThisReason),
        Verify.Expect("THR010", 2).WithArguments("_key", StringReason),
        Verify.Expect("THR010", 3).WithArguments("typeof(Cache)", TypeReason));

    [Fact]
    public Task FixInRecordWithNoFieldsAndStringLiteral() => Verify.Fix("""
        record Log(string Path)
        {
            public void Write()
            {
                lock ({|#0:"log"|}) { }
            }
        }
        """, """
        record Log(string Path)
        {
            private static readonly object _gate = new object();

            public void Write()
            {
                lock (_gate) { }
            }
        }
        """, Key, Verify.Expect("THR010", 0).WithArguments("\"log\"", StringReason));

    [Fact]
    public Task FixAvoidsNamesThatLocalsUse() => Verify.Fix("""
        class C
        {
            void M(int _gate)
            {
                lock ({|#0:this|}) { _gate++; }
            }
        }
        """, """
        class C
        {
            private readonly object _gate2 = new object();

            void M(int _gate)
            {
                lock (_gate2) { _gate++; }
            }
        }
        """, Key, Verify.Expect("THR010", 0).WithArguments("this", ThisReason));

    [Fact]
    public Task NoFixWhenAnotherTypeOfTheFileLocksTheSameObject() => Verify.NoFix("""
        class Registry
        {
            private static string s_name = "registry";

            void M()
            {
                lock ({|#0:typeof(Registry)|}) { }
                lock ({|#1:s_name|}) { }
            }

            class Nested
            {
                void M()
                {
                    lock ({|#2:s_name|}) { }
                }
            }
        }

        class Client
        {
            void M()
            {
                lock ({|#3:typeof(Registry)|}) { }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("typeof(Registry)", TypeReason),
        Verify.Expect("THR010", 1).WithArguments("s_name", StringReason),
        Verify.Expect("THR010", 2).WithArguments("s_name", StringReason),
        Verify.Expect("THR010", 3).WithArguments("typeof(Registry)", TypeReason));

    [Fact]
    public Task FixGivesANestedTypeItsOwnGate() => Verify.Fix("""
        class Outer
        {
            void M()
            {
                lock ({|#0:this|}) { }
            }

            class Inner
            {
                void M()
                {
                    lock ({|#1:this|}) { }
                }
            }
        }
        """, """
        class Outer
        {
            private readonly object _gate = new object();

            void M()
            {
                lock (_gate) { }
            }

            class Inner
            {
                private readonly object _gate2 = new object();

                void M()
                {
                    lock (_gate2) { }
                }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("this", ThisReason),
        Verify.Expect("THR010", 1).WithArguments("this", ThisReason));

    [Fact]
    public Task NoFixWhenMonitorWaitsOnTheSameObject() => Verify.NoFix("""
        using System.Threading;
        class Queue
        {
            private bool _ready;

            public void Take()
            {
                lock ({|#0:this|})
                {
                    while (!_ready) Monitor.Wait(this);
                }
            }
        }
        """, Key, Verify.Expect("THR010", 0).WithArguments("this", ThisReason));

    [Fact]
    public Task NoFixInStructsPartialTypesOrForPublicFields() => Verify.NoFix("""
        public struct S
        {
            void M() { lock ({|#0:typeof(S)|}) { } }
        }

        public partial class P
        {
            void M() { lock ({|#1:this|}) { } }
        }

        public partial class P
        {
        }

        public class F
        {
            public object Sync = new object();
            void M() { lock ({|#2:Sync|}) { } }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("typeof(S)", TypeReason),
        Verify.Expect("THR010", 1).WithArguments("this", ThisReason),
        Verify.Expect("THR010", 2).WithArguments("Sync", PublicFieldReason));
}
