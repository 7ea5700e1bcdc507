using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR016NonAtomicVolatileUpdateAnalyzer, ThreadingAnalyzers.CodeFixes.THR016NonAtomicVolatileUpdateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR016Tests
{
    private const string Key = "THR016.UseInterlocked";

    private static string InType(string members, string body) => $$"""
        using System;
        using System.Threading;
        class C
        {
            {{members}}

            int M(int k)
            {
                {{body}}
                return 0;
            }
        }
        """;

    [Theory]
    [InlineData("private volatile int _n;", "{|#0:_n++|};", "_n++", "_n", "use Interlocked.Increment")]
    [InlineData("private volatile int _n;", "{|#0:++_n|};", "++_n", "_n", "use Interlocked.Increment")]
    [InlineData("private volatile int _n;", "{|#0:_n--|};", "_n--", "_n", "use Interlocked.Decrement")]
    [InlineData("private volatile int _n;", "{|#0:this._n -= k|};", "this._n -= k", "_n", "use Interlocked.Add")]
    [InlineData("private static volatile int s_n;", "{|#0:C.s_n += 2|};", "C.s_n += 2", "s_n", "use Interlocked.Add")]
    [InlineData("private volatile int _n;", "var x = {|#0:_n++|};", "_n++", "_n", "use Interlocked.Increment")]
    [InlineData("private volatile int _n;", "{|#0:_n *= 2|};", "_n *= 2", "_n", "hold one lock around every write of it")]
    [InlineData("private volatile int _n;", "{|#0:_n |= 4|};", "_n |= 4", "_n", "hold one lock around every write of it")]
    [InlineData("private volatile bool _b;", "{|#0:_b &= k > 0|};", "_b &= k > 0", "_b", "hold one lock around every write of it")]
    [InlineData("private volatile uint _u;", "{|#0:_u++|};", "_u++", "_u", "hold one lock around every write of it")]
    [InlineData("private volatile float _f;", "{|#0:_f += 1|};", "_f += 1", "_f", "hold one lock around every write of it")]
    [InlineData("internal volatile int _n;", "checked { {|#0:_n++|}; }", "_n++", "_n", "hold one lock around every write of it")]
    public Task UpdateOfVolatileFieldIsFlagged(string members, string body, string update, string field, string remedy) =>
        Verify.Diagnostic(InType(members, body), Verify.Expect("THR016").WithArguments(update, field, remedy));

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
        Verify.Expect("THR016", 0).WithArguments("_hits += value", "_hits", "use Interlocked.Add"),
        Verify.Expect("THR016", 1).WithArguments("_hits++", "_hits", "use Interlocked.Increment"),
        Verify.Expect("THR016", 2).WithArguments("_misses++", "_misses", "use Interlocked.Increment"));

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
        Verify.Expect("THR016", 0).WithArguments("_n++", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 1).WithArguments("_n--", "_n", "use Interlocked.Decrement"),
        Verify.Expect("THR016", 2).WithArguments("_m++", "_m", "use Interlocked.Increment"));

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
    public Task SilentInHelpersThatAssertTheLockOrAreCalledOnlyUnderIt() => Verify.Diagnostic("""
        using System.Diagnostics;
        using System.Threading;
        class Writer
        {
            private volatile int _state;
            private volatile int _pending;
            private readonly object _gate = new object();

            protected void AddStateInsideLock(int flags)
            {
                Debug.Assert(Monitor.IsEntered(this), "hold the writer lock");
                _state |= flags;
            }

            void Activate() { lock (this) { _state = 1; } }

            void Queue() { lock (_gate) { Bump(); } }

            void Flush() { lock (_gate) { Bump(); _pending = 0; } }

            private void Bump() => _pending++;
        }
        """);

    [Fact]
    public Task FlaggedInHelpersCalledWithoutTheLockOrAssertingAnotherOne() => Verify.Diagnostic("""
        using System.Diagnostics;
        using System.Threading;
        class Writer
        {
            private volatile int _state;
            private volatile int _pending;
            private readonly object _gate = new object();

            protected void AddStateInsideLock(int flags)
            {
                Debug.Assert(Monitor.IsEntered(_gate));
                {|#0:_state |= flags|};
            }

            void Activate() { lock (this) { _state = 1; } }

            void Queue() { lock (_gate) { Bump(); } }

            void Flush() => Bump();

            private void Bump() => {|#1:_pending++|};
        }
        """,
        Verify.Expect("THR016", 0).WithArguments("_state |= flags", "_state", "hold one lock around every write of it"),
        Verify.Expect("THR016", 1).WithArguments("_pending++", "_pending", "use Interlocked.Increment"));

    [Fact]
    public Task SilentOnPlainWritesInterlockedNonVolatileFieldsAndLocals() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private volatile int _n;
            private volatile object _o;
            private int _plain;
            private volatile int[] _array = new int[1];

            void M(C other)
            {
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
            }
        }
        """);

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

    [Fact]
    public Task StatementFormsBecomeInterlockedCalls() => Verify.Fix("""
        using System;
        class C
        {
            private volatile int _n;
            private static volatile int s_n;
            private volatile int _total;

            void M(int k, int bytes)
            {
                {|#0:_n++|};
                {|#1:--_n|};
                {|#2:this._n += k|}; // counted
                {|#3:_n -= k + 1|};
                {|#4:C.s_n -= -3|};
                {|#5:_total += bytes|};
                for (var i = 0; i < 3; {|#6:_n++|}) { }
                Action a = () => {|#7:_n--|};
            }
        }
        """, """
        using System;
        using System.Threading;
        class C
        {
            private volatile int _n;
            private static volatile int s_n;
            private volatile int _total;

            void M(int k, int bytes)
            {
                Interlocked.Increment(ref _n);
                Interlocked.Decrement(ref _n);
                Interlocked.Add(ref this._n, k); // counted
                Interlocked.Add(ref _n, -(k + 1));
                Interlocked.Add(ref C.s_n, 3);
                Interlocked.Add(ref _total, bytes);
                for (var i = 0; i < 3; Interlocked.Increment(ref _n)) { }
                Action a = () => Interlocked.Decrement(ref _n);
            }
        }
        """, Key,
        Verify.Expect("THR016", 0).WithArguments("_n++", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 1).WithArguments("--_n", "_n", "use Interlocked.Decrement"),
        Verify.Expect("THR016", 2).WithArguments("this._n += k", "_n", "use Interlocked.Add"),
        Verify.Expect("THR016", 3).WithArguments("_n -= k + 1", "_n", "use Interlocked.Add"),
        Verify.Expect("THR016", 4).WithArguments("C.s_n -= -3", "s_n", "use Interlocked.Add"),
        Verify.Expect("THR016", 5).WithArguments("_total += bytes", "_total", "use Interlocked.Add"),
        Verify.Expect("THR016", 6).WithArguments("_n++", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 7).WithArguments("_n--", "_n", "use Interlocked.Decrement"));

    [Fact]
    public Task NewValueUsesBecomeInterlockedCalls() => Verify.Fix("""
        using System.Threading;
        class C
        {
            private volatile int _n;

            int Next() => {|#0:++_n|};

            int Grow(int k)
            {
                var total = {|#1:_n += k|};
                return total;
            }
        }
        """, """
        using System.Threading;
        class C
        {
            private volatile int _n;

            int Next() => Interlocked.Increment(ref _n);

            int Grow(int k)
            {
                var total = Interlocked.Add(ref _n, k);
                return total;
            }
        }
        """, Key,
        Verify.Expect("THR016", 0).WithArguments("++_n", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 1).WithArguments("_n += k", "_n", "use Interlocked.Add"));

    [Fact]
    public Task NoFixWhereTheOldValueIsUsedOrTheTypeHasNoInterlockedAdd() => Verify.NoFix("""
        class C
        {
            private volatile int _n;
            private volatile int _flags;
            private volatile uint _u;

            int M()
            {
                var old = {|#0:_n++|};
                {|#1:_flags |= 2|};
                {|#2:_u++|};
                checked { {|#3:_n++|}; }
                return old;
            }
        }
        """, Key,
        Verify.Expect("THR016", 0).WithArguments("_n++", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 1).WithArguments("_flags |= 2", "_flags", "hold one lock around every write of it"),
        Verify.Expect("THR016", 2).WithArguments("_u++", "_u", "hold one lock around every write of it"),
        Verify.Expect("THR016", 3).WithArguments("_n++", "_n", "hold one lock around every write of it"));

    [Fact]
    public Task FixAllQualifiesWhereTheUsingWouldBeAmbiguous() => Verify.Fix("""
        using System.Timers;
        class C
        {
            private volatile int _n;
            private Timer _timer;

            void M()
            {
                {|#0:_n++|};
                {|#1:_n++|};
            }
        }
        """, """
        using System.Timers;
        class C
        {
            private volatile int _n;
            private Timer _timer;

            void M()
            {
                System.Threading.Interlocked.Increment(ref _n);
                System.Threading.Interlocked.Increment(ref _n);
            }
        }
        """, Key,
        Verify.Expect("THR016", 0).WithArguments("_n++", "_n", "use Interlocked.Increment"),
        Verify.Expect("THR016", 1).WithArguments("_n++", "_n", "use Interlocked.Increment"));

    [Theory]
    [InlineData("class C { volatile int _n; void M() { _n++ } }")]
    [InlineData("class C { volatile int _n; void M() { _n += ; } }")]
    [InlineData("class C { volatile Unknown _n; void M() { _n++; } }")]
    [InlineData("class C { volatile int _n; void M() { _n += Missing(); } }")]
    [InlineData("class C { volatile int _n; void M() { lock (_gate) { _n++; } } }")]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);
}
