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
    private const string PublicPropertyReason = "the property is reachable from outside the type, so other code can lock the same object";
    private const string NewReason = "the object is created by the lock itself, so no other thread ever locks it and the lock excludes nothing";
    private const string ThreadReason = "a Thread object is reachable by any code through Thread.CurrentThread, which can lock it too";
    private const string ReflectionReason = "reflection objects are cached and shared by all code in the process, which can lock them too";
    private const string MarshalByRefReason = "a MarshalByRefObject can be reached across application domains, where other code can lock it too";
    private const string RuntimeExceptionReason = "the runtime shares one instance of this exception with all code in the process, which can lock it too";
    private const string PrimitiveArrayReason = "an array of a primitive type has weak identity: the runtime can share it across application domains, where other code can lock it too";

    private static string InClass(string body) => $$"""
        using System;
        using System.IO;
        using System.Reflection;
        using System.Threading;
        public class C
        {
            private string _name = "n";
            private Type _type = typeof(C);
            private int _count;
            public object Sync = new object();
            public object SyncRoot { get; } = new object();
            public object HiddenGetter { private get; set; } = new object();
            protected readonly object Guard = new object();
            protected internal readonly object Shared = new object();
            internal readonly object Assembly = new object();
            private readonly object _private = new object();
            private readonly Thread _worker = new Thread(() => { });
            private readonly MethodInfo _method = typeof(C).GetMethod("M")!;
            private readonly ParameterInfo _parameter = typeof(C).GetMethod("M")!.GetParameters()[0];
            private readonly MemoryStream _stream = new MemoryStream();
            private readonly OutOfMemoryException _oom = new OutOfMemoryException();
            private readonly InsufficientMemoryException _insufficient = new InsufficientMemoryException();
            private readonly Exception _exception = new OutOfMemoryException();
            private readonly byte[] _buffer = new byte[16];
            private readonly int[][] _jagged = new int[1][];
            private readonly decimal[] _decimals = new decimal[1];
            private readonly string[] _names = new string[1];
            private readonly object[] _slots = new object[1];

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
    [InlineData("lock ({|#0:SyncRoot|}) { }", "SyncRoot", PublicPropertyReason)]
    [InlineData("Action a = () => { lock ({|#0:this|}) { } };", "this", ThisReason)]
    [InlineData("lock ({|#0:new object()|}) { }", "new object()", NewReason)]
    [InlineData("lock ({|#0:new C()|}) { }", "new C()", NewReason)]
    [InlineData("lock ({|#0:new int[1]|}) { }", "new int[1]", NewReason)]
    [InlineData("lock ({|#0:_worker|}) { }", "_worker", ThreadReason)]
    [InlineData("lock ({|#0:Thread.CurrentThread|}) { }", "Thread.CurrentThread", ThreadReason)]
    [InlineData("lock ({|#0:_method|}) { }", "_method", ReflectionReason)]
    [InlineData("lock ({|#0:_parameter|}) { }", "_parameter", ReflectionReason)]
    [InlineData("lock ({|#0:typeof(C).GetField(\"_count\")!|}) { }", "typeof(C).GetField(\"_count\")!", ReflectionReason)]
    [InlineData("lock ({|#0:_stream|}) { }", "_stream", MarshalByRefReason)]
    [InlineData("lock ({|#0:_oom|}) { }", "_oom", RuntimeExceptionReason)]
    [InlineData("lock ({|#0:_insufficient|}) { }", "_insufficient", RuntimeExceptionReason)]
    [InlineData("lock ({|#0:_buffer|}) { }", "_buffer", PrimitiveArrayReason)]
    [InlineData("lock ({|#0:new char[4]|}) { }", "new char[4]", NewReason)]
    [InlineData("Monitor.Enter({|#0:this|}); Monitor.Exit(this);", "this", ThisReason)]
    [InlineData("Monitor.Enter({|#0:_count|}); Monitor.Exit(_count);", "_count", BoxReason)]
    [InlineData("Monitor.Enter({|#0:Sync|}); Monitor.Exit(Sync);", "Sync", PublicFieldReason)]
    [InlineData("bool taken = false; Monitor.Enter({|#0:typeof(C)|}, ref taken);", "typeof(C)", TypeReason)]
    [InlineData("if (Monitor.TryEnter({|#0:_name|})) Monitor.Exit(_name);", "_name", StringReason)]
    [InlineData("if (Monitor.TryEnter({|#0:new object()|}, 10)) { }", "new object()", NewReason)]
    [InlineData("bool taken = false; Monitor.TryEnter(lockTaken: ref taken, obj: {|#0:_buffer|});", "_buffer", PrimitiveArrayReason)]
    public Task Flagged(string statement, string expression, string reason) =>
        Verify.Diagnostic(InClass(statement), Verify.Expect("THR010").WithArguments(expression, reason));

    [Theory]
    [InlineData("lock (_private) { }")]
    [InlineData("lock (local) { }")]
    [InlineData("lock (parameter) { }")]
    [InlineData("lock (other) { }")]
    [InlineData("lock (other._private) { }")]
    [InlineData("lock (Guard) { }")]
    [InlineData("lock (other.Sync) { }")]
    [InlineData("lock (other.SyncRoot) { }")]
    [InlineData("lock (Shared) { }")]
    [InlineData("lock (Assembly) { }")]
    [InlineData("lock (HiddenGetter) { }")]
    [InlineData("lock (_exception) { }")]
    [InlineData("lock (_jagged) { }")]
    [InlineData("lock (_decimals) { }")]
    [InlineData("lock (_names) { }")]
    [InlineData("lock (_slots) { }")]
    [InlineData("lock (((System.Collections.ICollection)_slots).SyncRoot) { }")]
    [InlineData("Monitor.Enter(_private); Monitor.Exit(_private);")]
    [InlineData("Monitor.Exit(this); Monitor.Pulse(this); Monitor.Wait(this);")]
    public Task SilentOnPrivateAndUnknownObjects(string statement) => Verify.Diagnostic(InClass(statement));

    [Fact]
    public Task SilentOnFieldsOutsideOfPublicTypes() => Verify.Diagnostic("""
        internal class Internal
        {
            public object Sync = new object();
            public object SyncRoot => Sync;
            void M() { lock (Sync) { } lock (SyncRoot) { } lock (this) { } System.Threading.Monitor.Enter(this); }

            public class PublicInInternal
            {
                public object Sync = new object();
                void M() { lock (Sync) { } lock (this) { } }
            }
        }

        public class Base
        {
            protected object Gate = new object();
            protected class ProtectedNested
            {
                public object Sync = new object();
                void M() { lock (Sync) { } lock (this) { } }
            }
        }

        public class Derived : Base
        {
            void M() { lock (Gate) { } }
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
    public Task PublicMembersAreFlaggedWhereTheObjectLocksItsOwn() => Verify.Diagnostic("""
        public class Account
        {
            public object Sync = new object();
            public object SyncRoot { get; } = new object();
        }

        public class Savings : Account
        {
            void M() { lock ({|#0:Sync|}) { } System.Threading.Monitor.Enter({|#1:SyncRoot|}); }
        }

        public class Bank
        {
            // The account publishes its lock; locking it here is taking part in that protocol.
            void M(Account account) { lock (account.Sync) { } lock (account.SyncRoot) { } }
        }

        public class Branch : Account
        {
            void M(Account account) { lock (account.Sync) { } lock ({|#2:base.SyncRoot|}) { } }
        }
        """,
        Verify.Expect("THR010", 0).WithArguments("Sync", PublicFieldReason),
        Verify.Expect("THR010", 1).WithArguments("SyncRoot", PublicPropertyReason),
        Verify.Expect("THR010", 2).WithArguments("base.SyncRoot", PublicPropertyReason));

    [Fact]
    public Task SilentOnLookAlikeTypesOfTheUser() => Verify.Diagnostic("""
        namespace App
        {
            class Thread { }
            class Type { }
            class MarshalByRefObject { }
            class OutOfMemoryException : System.Exception { }

            class Locks
            {
                private readonly Thread _thread = new Thread();
                private readonly Type _type = new Type();
                private readonly MarshalByRefObject _remote = new MarshalByRefObject();
                private readonly OutOfMemoryException _oom = new OutOfMemoryException();

                void M()
                {
                    lock (_thread) { }
                    lock (_type) { }
                    lock (_remote) { }
                    lock (_oom) { }
                    System.Threading.Monitor.Enter(_thread);
                }
            }

            static class Monitor
            {
                public static void Enter(object o) { }
                static void M(Locks l) { Enter(l); Enter(new object()); }
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
        public class Counter
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
        public class Counter
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
        public class Cache
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
        public class Cache
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
        public class C
        {
            void M(int _gate)
            {
                lock ({|#0:this|}) { _gate++; }
            }
        }
        """, """
        public class C
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
        public class Outer
        {
            void M()
            {
                lock ({|#0:this|}) { }
            }

            public class Inner
            {
                void M()
                {
                    lock ({|#1:this|}) { }
                }
            }
        }
        """, """
        public class Outer
        {
            private readonly object _gate = new object();

            void M()
            {
                lock (_gate) { }
            }

            public class Inner
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
        public class Queue
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

    [Fact]
    public Task FixMovesLocksOnAPrivateWeakIdentityFieldToAGate() => Verify.Fix("""
        class Buffer
        {
            private readonly byte[] _bytes = new byte[16];

            public void Write(byte value)
            {
                lock ({|#0:_bytes|}) { _bytes[0] = value; }
            }

            public byte Read()
            {
                lock ({|#1:_bytes|}) { return _bytes[0]; }
            }
        }
        """, """
        class Buffer
        {
            private readonly byte[] _bytes = new byte[16];
            private readonly object _gate = new object();

            public void Write(byte value)
            {
                lock (_gate) { _bytes[0] = value; }
            }

            public byte Read()
            {
                lock (_gate) { return _bytes[0]; }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("_bytes", PrimitiveArrayReason),
        Verify.Expect("THR010", 1).WithArguments("_bytes", PrimitiveArrayReason));

    [Fact]
    public Task NoFixForNewObjectsMonitorEnterPropertiesOrAFieldOfAnotherInstance() => Verify.NoFix("""
        using System.Threading;
        public class Worker
        {
            private readonly byte[] _bytes = new byte[16];
            public object SyncRoot { get; } = new object();

            void M(Worker other)
            {
                lock ({|#0:new object()|}) { }
                Monitor.Enter({|#1:this|});
                Monitor.Exit(this);
                lock ({|#2:SyncRoot|}) { }
                lock ({|#3:_bytes|}) { }
                lock ({|#4:other._bytes|}) { }
            }
        }
        """, Key,
        Verify.Expect("THR010", 0).WithArguments("new object()", NewReason),
        Verify.Expect("THR010", 1).WithArguments("this", ThisReason),
        Verify.Expect("THR010", 2).WithArguments("SyncRoot", PublicPropertyReason),
        Verify.Expect("THR010", 3).WithArguments("_bytes", PrimitiveArrayReason),
        Verify.Expect("THR010", 4).WithArguments("other._bytes", PrimitiveArrayReason));

    [Fact]
    public Task LockInAGeneratedCodeMemberOfAHandWrittenFileIsNotReported() => Verify.Diagnostic("""
        public class C
        {
            [System.CodeDom.Compiler.GeneratedCode("tool", "1.0")]
            void Generated() { lock (this) { } }

            void Written() { lock ({|#0:this|}) { } }
        }
        """, Verify.Expect("THR010", 0).WithArguments("this", ThisReason));
}
