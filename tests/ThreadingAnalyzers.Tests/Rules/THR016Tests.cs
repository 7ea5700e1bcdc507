using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR016NonAtomicVolatileUpdateAnalyzer, ThreadingAnalyzers.CodeFixes.THR016NonAtomicVolatileUpdateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR016Tests
{
    private const string Key = "THR016.UseInterlocked";

    private const string Increment = "use Interlocked.Increment";
    private const string Decrement = "use Interlocked.Decrement";
    private const string Add = "use Interlocked.Add";
    private const string OneLock = "hold one lock around every write of it";

    private static DiagnosticResult Expect(int key, string update, string field, string remedy) =>
        Verify.Expect("THR016", key).WithArguments(update, field, remedy);

    /// <summary>
    /// Class C, after <paramref name="usings"/> (each line ending with its line break), with <paramref name="fields"/> and
    /// one method, <paramref name="method"/> with <paramref name="body"/>.
    /// </summary>
    private static string InType(string fields, string body, string method = "int M(int k)", string usings = "using System;\nusing System.Threading;\n") => $$"""
        {{usings}}class C
        {
            {{Indent(fields, 4)}}

            {{method}}
            {
                {{Indent(body, 8)}}
            }
        }
        """;

    /// <summary>A writer whose helpers update its state, with or without the lock (<paramref name="assertion"/>: the lock it asserts).</summary>
    private static string Writer(string assertion, string update, string flush, string bump) => $$"""
        using System.Diagnostics;
        using System.Threading;
        class Writer
        {
            private volatile int _state;
            private volatile int _pending;
            private readonly object _gate = new object();

            protected void AddStateInsideLock(int flags)
            {
                {{assertion}}
                {{update}};
            }

            void Activate() { lock (this) { _state = 1; } }

            void Queue() { lock (_gate) { Bump(); } }

            void Flush(){{flush}}

            private void Bump() => {{bump}};
        }
        """;

    /// <summary>The lines of <paramref name="text"/> after its first, indented by <paramref name="spaces"/>.</summary>
    private static string Indent(string text, int spaces) => text.Replace("\n", "\n" + new string(' ', spaces));

    [Theory]
    [InlineData("private volatile int _n;", "{|#0:_n++|};", "_n++", "_n", Increment)]
    [InlineData("private volatile int _n;", "{|#0:++_n|};", "++_n", "_n", Increment)]
    [InlineData("private volatile int _n;", "{|#0:_n--|};", "_n--", "_n", Decrement)]
    [InlineData("private volatile int _n;", "{|#0:this._n -= k|};", "this._n -= k", "_n", Add)]
    [InlineData("private static volatile int s_n;", "{|#0:C.s_n += 2|};", "C.s_n += 2", "s_n", Add)]
    [InlineData("private volatile int _n;", "var x = {|#0:_n++|};", "_n++", "_n", Increment)]
    [InlineData("private volatile int _n;", "{|#0:_n *= 2|};", "_n *= 2", "_n", OneLock)]
    [InlineData("private volatile int _n;", "{|#0:_n |= 4|};", "_n |= 4", "_n", OneLock)]
    [InlineData("private volatile bool _b;", "{|#0:_b &= k > 0|};", "_b &= k > 0", "_b", OneLock)]
    [InlineData("private volatile uint _u;", "{|#0:_u++|};", "_u++", "_u", OneLock)]
    [InlineData("private volatile float _f;", "{|#0:_f += 1|};", "_f += 1", "_f", OneLock)]
    [InlineData("internal volatile int _n;", "checked { {|#0:_n++|}; }", "_n++", "_n", OneLock)]
    public Task UpdateOfVolatileFieldIsFlagged(string members, string body, string update, string field, string remedy) =>
        Verify.Diagnostic(InType(members, body + "\nreturn 0;"), Expect(0, update, field, remedy));

    [Fact]
    public Task FlaggedInLambdasAccessorsAndWhenOtherWritesAreUnlocked() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Counter
        {
            private readonly object _gate = new object();
            private volatile int _hits;
            private volatile int _misses;

            public int Hits { get => _hits; set => {|#0:_hits += value|}; }

            public void Start() => Task.Run(() => {|#1:_hits++|});

            public void Miss()
            {
                lock (_gate)
                {
                    {|#2:_misses++|};
                }
            }

            public void Reset() => _misses = 0;
        }
        """,
        Expect(0, "_hits += value", "_hits", Add),
        Expect(1, "_hits++", "_hits", Increment),
        Expect(2, "_misses++", "_misses", Increment));

    [Fact]
    public Task FlaggedWhenWritesHoldDifferentLocksOrALambdaRunsOutsideTheLock() => Verify.Diagnostic("""
        using System;
        class C
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private volatile int _n;
            private volatile int _m;

            void One() { lock (_a) { {|#0:_n++|}; } }

            void Two() { lock (_b) { {|#1:_n--|}; } }

            Action Later()
            {
                lock (_a)
                {
                    return () => {|#2:_m++|};
                }
            }
        }
        """,
        Expect(0, "_n++", "_n", Increment),
        Expect(1, "_n--", "_n", Decrement),
        Expect(2, "_m++", "_m", Increment));

    [Fact]
    public Task SilentWhenEveryWriteHoldsOneLock() => Verify.Diagnostic("""
        using System.Runtime.CompilerServices;
        using System.Threading;
        partial class C
        {
            private readonly object _gate = new object();
            private volatile int _n;
            private volatile int _m;
            private static volatile int s_total;
            private volatile int _synchronized;

            public C() { _n = 1; _m++; }

            static C() { s_total = 5; }

            void Add(int k) { lock (_gate) { _n += k; } }

            void Take() { lock (_gate) { _n--; } }

            void Monitored()
            {
                Monitor.Enter(_gate);
                try { _m++; }
                finally { Monitor.Exit(_gate); }
            }

            static void Total() { lock (typeof(C)) { s_total++; } }

            [MethodImpl(MethodImplOptions.Synchronized)]
            void Tick() => _synchronized++;
        }

        partial class C
        {
            void Reset() { lock (_gate) { _n = 0; } }
        }
        """);

    [Fact]
    public Task SilentInHelpersThatAssertTheLockOrAreCalledOnlyUnderIt() => Verify.Diagnostic(
        Writer("Debug.Assert(Monitor.IsEntered(this), \"hold the writer lock\");", "_state |= flags", " { lock (_gate) { Bump(); _pending = 0; } }", "_pending++"));

    [Fact]
    public Task FlaggedInHelpersCalledWithoutTheLockOrAssertingAnotherOne() => Verify.Diagnostic(
        Writer("Debug.Assert(Monitor.IsEntered(_gate));", "{|#0:_state |= flags|}", " => Bump();", "{|#1:_pending++|}"),
        Expect(0, "_state |= flags", "_state", OneLock),
        Expect(1, "_pending++", "_pending", Increment));

    [Fact]
    public Task SilentOnPlainWritesInterlockedNonVolatileFieldsAndLocals() => Verify.Diagnostic(InType(
        """
        private volatile int _n;
        private volatile object _o;
        private int _plain;
        private volatile int[] _array = new int[1];
        """,
        """
        _n = 5;
        _n = _n + 1;
        Interlocked.Increment(ref _n);
        Volatile.Write(ref _n, 3);
        _plain++;
        var local = 0;
        local++;
        _o ??= new object();
        _array[0]++;
        int x = _n;
        """,
        "void M(C other)",
        "using System.Threading;\n"));

    [Fact]
    public Task OtherTypesFieldsAreNotSeen() => Verify.Diagnostic("""
        class Shared
        {
            internal volatile int Count;
        }

        class User
        {
            void M(Shared shared) => shared.Count++;
        }
        """);

    private const string Counters = """
        private volatile int _n;
        private static volatile int s_n;
        private volatile int _total;
        """;

    [Fact]
    public Task StatementFormsBecomeInterlockedCalls() => Verify.Fix(
        InType(Counters, """
            {|#0:_n++|};
            {|#1:--_n|};
            {|#2:this._n += k|}; // counted
            {|#3:_n -= k + 1|};
            {|#4:C.s_n -= -3|};
            {|#5:_total += bytes|};
            for (var i = 0; i < 3; {|#6:_n++|}) { }
            Action a = () => {|#7:_n--|};
            """, "void M(int k, int bytes)", "using System;\n"),
        InType(Counters, """
            Interlocked.Increment(ref _n);
            Interlocked.Decrement(ref _n);
            Interlocked.Add(ref this._n, k); // counted
            Interlocked.Add(ref _n, -(k + 1));
            Interlocked.Add(ref C.s_n, 3);
            Interlocked.Add(ref _total, bytes);
            for (var i = 0; i < 3; Interlocked.Increment(ref _n)) { }
            Action a = () => Interlocked.Decrement(ref _n);
            """, "void M(int k, int bytes)"),
        Key,
        Expect(0, "_n++", "_n", Increment),
        Expect(1, "--_n", "_n", Decrement),
        Expect(2, "this._n += k", "_n", Add),
        Expect(3, "_n -= k + 1", "_n", Add),
        Expect(4, "C.s_n -= -3", "s_n", Add),
        Expect(5, "_total += bytes", "_total", Add),
        Expect(6, "_n++", "_n", Increment),
        Expect(7, "_n--", "_n", Decrement));

    [Fact]
    public Task NewValueUsesBecomeInterlockedCalls()
    {
        static string Source(string next, string grow) => $$"""
            using System.Threading;
            class C
            {
                private volatile int _n;

                int Next() => {{next}};

                int Grow(int k)
                {
                    var total = {{grow}};
                    return total;
                }
            }
            """;

        return Verify.Fix(
            Source("{|#0:++_n|}", "{|#1:_n += k|}"),
            Source("Interlocked.Increment(ref _n)", "Interlocked.Add(ref _n, k)"),
            Key,
            Expect(0, "++_n", "_n", Increment),
            Expect(1, "_n += k", "_n", Add));
    }

    [Fact]
    public Task NoFixWhereTheOldValueIsUsedOrTheTypeHasNoInterlockedAdd() => Verify.NoFix(
        InType(
            """
            private volatile int _n;
            private volatile int _flags;
            private volatile uint _u;
            """,
            """
            var old = {|#0:_n++|};
            {|#1:_flags |= 2|};
            {|#2:_u++|};
            checked { {|#3:_n++|}; }
            return old;
            """,
            "int M()",
            ""),
        Key,
        Expect(0, "_n++", "_n", Increment),
        Expect(1, "_flags |= 2", "_flags", OneLock),
        Expect(2, "_u++", "_u", OneLock),
        Expect(3, "_n++", "_n", OneLock));

    [Fact]
    public Task FixAllQualifiesWhereTheUsingWouldBeAmbiguous() => Verify.Fix(
        InType("private volatile int _n;\nprivate Timer _timer;", "{|#0:_n++|};\n{|#1:_n++|};", "void M()", "using System.Timers;\n"),
        InType("private volatile int _n;\nprivate Timer _timer;", "System.Threading.Interlocked.Increment(ref _n);\nSystem.Threading.Interlocked.Increment(ref _n);", "void M()", "using System.Timers;\n"),
        Key,
        Expect(0, "_n++", "_n", Increment),
        Expect(1, "_n++", "_n", Increment));

    [Theory]
    [InlineData("class C { volatile int _n; void M() { _n++ } }")]
    [InlineData("class C { volatile int _n; void M() { _n += ; } }")]
    [InlineData("class C { volatile Unknown _n; void M() { _n++; } }")]
    [InlineData("class C { volatile int _n; void M() { _n += Missing(); } }")]
    [InlineData("class C { volatile int _n; void M() { lock (_gate) { _n++; } } }")]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);
}
