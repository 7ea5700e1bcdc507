using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR013InconsistentSynchronizationAnalyzer, ThreadingAnalyzers.CodeFixes.THR013InconsistentSynchronizationCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR013Tests
{
    private const string Key = "THR013.TakeTheLock";

    /// <summary>A type whose Add guards <c>_count</c>, <c>_items</c> and <c>_name</c> with <c>_sync</c> (lines 11-13); <paramref name="members"/> follow.</summary>
    private static string Counter(string members) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        class Counter
        {
            private readonly object _sync = new object();
            private int _count;
            private readonly List<int> _items = new List<int>();
            private string _name = "";
            public void Add(int item)
            {
                lock (_sync) { _count++; }
                lock (_sync) { _items.Add(item); }
                lock (_sync) { _name = item.ToString(); }
            }
            {{members}}
        }
        """;

    [Theory]
    [InlineData("public void Reset() { {|#0:_count = 0|}; }", "_count", "written", 12)]
    [InlineData("public void Bump() { {|#0:_count++|}; }", "_count", "written", 12)]
    [InlineData("public void Bump() { {|#0:_count += 2|}; }", "_count", "written", 12)]
    [InlineData("public void Parse(string s) { {|#0:int.TryParse(s, out _count)|}; }", "_count", "written", 12)]
    [InlineData("public void Clear() { {|#0:_items.Clear()|}; }", "_items", "modified", 13)]
    [InlineData("public void Set(int i) { {|#0:_items[0] = i|}; }", "_items", "modified", 13)]
    [InlineData("public bool Has(int i) => {|#0:_items.Contains(i)|};", "_items", "read", 13)]
    [InlineData("public int First() => {|#0:_items[0]|};", "_items", "read", 13)]
    [InlineData("public int Sum() { var s = 0; foreach (var i in {|#0:_items|}) s += i; return s; }", "_items", "read", 13)]
    [InlineData("public int[] Snapshot() => {|#0:System.Linq.Enumerable.ToArray(_items)|};", "_items", "read", 13)]
    [InlineData("public void Rename(string n) { {|#0:_name = n|}; }", "_name", "written", 14)]
    public Task UnguardedAccess(string member, string field, string verb, int line) =>
        Verify.Diagnostic(Counter(member), Verify.Expect("THR013").WithLocation(line, 24).WithArguments(field, verb, "_sync", "Add", line.ToString()));

    [Fact]
    public Task AdditionalLocationIsTheGuardedWrite() => Verify.Diagnostic("""
        class C
        {
            private readonly object _sync = new object();
            private int _n;
            public void Add() { lock (_sync) { {|#1:_n++|}; } }
            public void Reset() { {|#0:_n = 0|}; }
        }
        """, Verify.Expect("THR013").WithLocation(1).WithArguments("_n", "written", "_sync", "Add", "5"));

    [Fact]
    public Task ReadonlyFieldWrittenByInitAccessors() => Verify.Diagnostic("""
        namespace System.Runtime.CompilerServices { internal static class IsExternalInit { } }
        class C
        {
            private readonly object _sync = new object();
            private readonly int _n;
            public int Guarded { init { lock (_sync) { {|#1:_n = value|}; } } }
            public int Unguarded { init { {|#0:_n = value|}; } }
        }
        """, Verify.Expect("THR013").WithLocation(1).WithArguments("_n", "written", "_sync", "Guarded", "6"));

    [Fact]
    public Task WrittenUnderTwoDifferentLocks() => Verify.Diagnostic("""
        class C
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private int _n;
            public void One() { lock (_a) { {|#1:_n++|}; } }
            public void Two() { lock (_a) { _n--; } }
            public void Three() { lock (_b) { {|#0:_n = 0|}; } }
        }
        """, Verify.Expect("THR013").WithLocation(1).WithArguments("_n", "written", "_a", "One", "6"));

    [Fact]
    public Task MonitorSectionAndSynchronizedMethodAreEvidence() => Verify.Diagnostic("""
        using System.Runtime.CompilerServices;
        using System.Threading;
        class C
        {
            private static readonly object s_gate = new object();
            private static int s_n;
            private int _m;
            public static void Add() { Monitor.Enter(s_gate); try { {|#2:s_n++|}; } finally { Monitor.Exit(s_gate); } }
            public static void Reset() { {|#0:s_n = 0|}; }
            [MethodImpl(MethodImplOptions.Synchronized)]
            public void Inc() { {|#3:_m++|}; }
            public void Clear() { {|#1:_m = 0|}; }
        }
        """,
        Verify.Expect("THR013").WithLocation(2).WithArguments("s_n", "written", "s_gate", "Add", "8"),
        Verify.Expect("THR013", 1).WithLocation(3).WithArguments("_m", "written", "this", "Inc", "11"));

    [Fact]
    public Task LambdaInAConstructorRunsLater() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            private readonly object _sync = new object();
            private readonly Timer _timer;
            private int _n;
            public C() { _n = 1; _timer = new Timer(_ => {|#0:_n++|}, null, 0, 100); }
            public void Add() { lock (_sync) { {|#1:_n++|}; } }
        }
        """, Verify.Expect("THR013").WithLocation(1).WithArguments("_n", "written", "_sync", "Add", "8"));

    [Theory]
    [InlineData("public C2() { _count = 5; _items.Clear(); Setup(); } private void Setup() { _count = 1; _items.Add(1); }")]
    [InlineData("static Counter() { } private int _other = 3;")]
    [InlineData("private void Helper() { _count = 0; _items.Clear(); } public void Reset() { lock (_sync) { Helper(); } }")]
    [InlineData("private void Helper() { _count = 0; } public void Reset() { lock (_sync) { Outer(); } } private void Outer() => Helper();")]
    [InlineData("protected virtual void OnReset() { _count = 0; } public void Reset() { lock (_sync) { OnReset(); } }")]
    [InlineData("private void Unused() { _count = 0; _items.Clear(); }")]
    [InlineData("public int Peek() => _count; public string Name => _name; public List<int> Items => _items;")]
    [InlineData("public int Count => _items.Count;")]
    [InlineData("public int Take() => Interlocked.Exchange(ref _count, 0); public int Read() => Volatile.Read(ref _count);")]
    [InlineData("public void Dispose() { _count = 0; _items.Clear(); _name = null; }")]
    [InlineData("protected virtual void Dispose(bool disposing) { _items.Clear(); } public void Close() { lock (_sync) { Dispose(true); } }")]
    [InlineData("public void Reset(Counter other) { other._count = 0; }")]
    [InlineData("public void Reset() { Store(ref _count); } private void Store(ref int target) { lock (_sync) { target = 0; } }")]
    [InlineData("public void Reset() { lock (GetLock()) { _count = 0; } } object GetLock() => _sync;")]
    [InlineData("public void Reset() { var gate = _sync; lock (gate) { _count = 0; } }")]
    [InlineData("public void Reset() { lock (_sync) lock (_items) { _count = 0; } }")]
    [InlineData("public void Add2() { var local = new List<int>(); local.Add(1); int[] array = new int[1]; array[0] = 1; }")]
    public Task SilentOnLookAlikes(string members) =>
        Verify.Diagnostic(Counter(members.Replace("C2()", "Counter()")));

    [Fact]
    public Task SilentOnFieldsTheLockDoesNotGuardAndOnSafeFields() => Verify.Diagnostic("""
        using System;
        using System.Collections.Concurrent;
        class C
        {
            private readonly object _sync = new object();
            private readonly ConcurrentDictionary<int, int> _map = new ConcurrentDictionary<int, int>();
            private volatile int _flag;
            [ThreadStatic] private static int t_depth;
            private int _unguarded;
            public void Add() { lock (_sync) { _map[1] = 1; _flag = 1; t_depth++; } }
            public void Other() { _map[2] = 2; _flag = 0; t_depth = 0; _unguarded = 1; }
        }
        """);

    [Fact]
    public Task ReadLockGuardsReadsOnly() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading;
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
            private readonly List<int> _items = new List<int>();
            public void Add(int i) { _rw.EnterWriteLock(); try { {|#1:_items.Add(i)|}; } finally { _rw.ExitWriteLock(); } }
            public bool Has(int i) { _rw.EnterReadLock(); try { return _items.Contains(i); } finally { _rw.ExitReadLock(); } }
            public void Drop(int i) { _rw.EnterReadLock(); try { {|#0:_items.Remove(i)|}; } finally { _rw.ExitReadLock(); } }
        }
        """, Verify.Expect("THR013").WithLocation(1).WithArguments("_items", "modified", "_rw", "Add", "7"));

    [Fact]
    public Task SilentWhenTheLockGuardsAStaticRegistryCopiedFrom() => Verify.Diagnostic("""
        using System.Collections.Generic;
        class Builder
        {
            private static readonly List<string> s_defaults = new List<string>();
            private readonly List<string> _formats = new List<string>();
            public Builder AddDefaults() { lock (s_defaults) { _formats.AddRange(s_defaults); } return this; }
            public Builder Add(string format) { _formats.Add(format); return this; }
        }
        """);

    [Fact]
    public Task SilentWhenNoLockIsTakenOrOnlyReadsAreGuarded() => Verify.Diagnostic("""
        using System.Collections.Generic;
        class C
        {
            private readonly object _sync = new object();
            private readonly List<int> _items = new List<int>();
            private int _n;
            public int Count() { lock (_sync) { return _items.Count + _n; } }
            public void Add(int i) { _items.Add(i); _n++; }
        }
        """);

    [Fact]
    public Task Fix() => Verify.Fix("""
        class C
        {
            private readonly object _sync = new object();
            private int _n;
            public void Add() { lock (_sync) { {|#1:_n++|}; } }
            public void Reset()
            {
                // start over
                {|#0:_n = 0|};
            }
        }
        """, """
        class C
        {
            private readonly object _sync = new object();
            private int _n;
            public void Add() { lock (_sync) { _n++; } }
            public void Reset()
            {
                // start over
                lock (_sync)
                {
                    _n = 0;
                }
            }
        }
        """, Key, Verify.Expect("THR013").WithLocation(1).WithArguments("_n", "written", "_sync", "Add", "5"));

    [Fact]
    public Task FixAllWrapsEachStatementOnce() => Verify.Fix("""
        using System.Collections.Generic;
        class C
        {
            private static readonly object s_gate = new object();
            private static int s_n;
            private static List<int> s_items = new List<int>();
            public static void Add(int i) { lock (s_gate) { {|#2:s_n++|}; {|#3:s_items.Add(i)|}; } }
            public static void Reset()
            {
                {|#0:s_n = 0|};
                {|#1:s_items.Clear()|};
            }
        }
        """, """
        using System.Collections.Generic;
        class C
        {
            private static readonly object s_gate = new object();
            private static int s_n;
            private static List<int> s_items = new List<int>();
            public static void Add(int i) { lock (s_gate) { s_n++; s_items.Add(i); } }
            public static void Reset()
            {
                lock (s_gate)
                {
                    s_n = 0;
                }
                lock (s_gate)
                {
                    s_items.Clear();
                }
            }
        }
        """, Key,
        Verify.Expect("THR013").WithLocation(2).WithArguments("s_n", "written", "s_gate", "Add", "7"),
        Verify.Expect("THR013", 1).WithLocation(3).WithArguments("s_items", "modified", "s_gate", "Add", "7"));

    [Fact]
    public Task NoFixWhenTwoLocksGuardTheField() => Verify.NoFix("""
        class C
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private int _n;
            public void One() { lock (_a) { {|#2:_n++|}; } }
            public void Two() { lock (_b) { {|#1:_n--|}; } }
            public void Reset() { {|#0:_n = 0|}; }
            public void Three() { lock (_a) { _n += 2; } }
        }
        """, Key,
        Verify.Expect("THR013").WithLocation(2).WithArguments("_n", "written", "_a", "One", "6"),
        Verify.Expect("THR013", 1).WithLocation(2).WithArguments("_n", "written", "_a", "One", "6"));

    [Fact]
    public Task NoFixForAnExpressionBodyOrAnAwait() => Verify.NoFix("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _sync = new object();
            private int _n;
            public void Add() { lock (_sync) { {|#2:_n++|}; } }
            public void Reset() => {|#0:_n = 0|};
            public async Task ResetLater() { {|#1:_n = await Task.FromResult(0)|}; }
        }
        """, Key,
        Verify.Expect("THR013").WithLocation(2).WithArguments("_n", "written", "_sync", "Add", "6"),
        Verify.Expect("THR013", 1).WithLocation(2).WithArguments("_n", "written", "_sync", "Add", "6"));

    [Theory]
    [InlineData("public void Reset() { _count = ; }")]
    [InlineData("public void Reset() { lock (_sync { _count = 0; }")]
    [InlineData("public void Reset() { lock (Missing) { _count = 0; } _count = 1; }")]
    [InlineData("public void Reset() { _items.Clea(); _count = 1; _undefined++; }")]
    public Task SilentOnBrokenCode(string members) => Verify.NoDiagnosticInBrokenCode(Counter(members));
}
