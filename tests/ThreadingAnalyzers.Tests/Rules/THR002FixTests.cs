using System.Threading.Tasks;
using static ThreadingAnalyzers.Tests.Rules.THR002Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 fixes: Interlocked for a plain increment, a lock (with a gate field added or reused) otherwise.</summary>
public class THR002FixTests
{
    private const string UseInterlocked = "THR002.UseInterlocked";
    private const string ProtectWithLock = "THR002.ProtectWithLock";

    [Fact]
    public Task InterlockedFixOnInstanceFieldAddsUsing() => Verify.Fix("""
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_count++|};
                    {|#1:--_count|};
                });
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private int _count;
            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    Interlocked.Increment(ref _count);
                    Interlocked.Decrement(ref _count);
                });
            }
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("_count", "incremented", "Parallel.For", "7", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_count", "decremented", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task InterlockedFixOnStaticFieldAndCapturedLocal() => Verify.Fix("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static long total;
            static long M(int[] values)
            {
                long sum = 0;
                Parallel.For(0, values.Length, i =>
                {
                    {|#0:total -= values[i] + 1|};
                    var now = {|#1:sum += values[i]|};
                });
                return sum + total;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static long total;
            static long M(int[] values)
            {
                long sum = 0;
                Parallel.For(0, values.Length, i =>
                {
                    Interlocked.Add(ref total, -(values[i] + 1));
                    var now = Interlocked.Add(ref sum, values[i]);
                });
                return sum + total;
            }
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("total", "decremented", "Parallel.For", "9", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("sum", "incremented", "Parallel.For", "9", "that code runs more than once at a time"));

    [Fact]
    public Task NoInterlockedFixWhenTheOldValueIsUsed() => Verify.NoFix("""
        using System.Threading.Tasks;
        class C
        {
            private int _next;
            private double _weight;
            void M(int[] slots) => Parallel.For(0, 10, i =>
            {
                slots[{|#0:_next++|}] = i;
                {|#1:_weight += 0.5|};
            });
        }
        """, UseInterlocked,
        ExpectWrite(0).WithArguments("_next", "incremented", "Parallel.For", "6", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_weight", "incremented", "Parallel.For", "6", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixInInstanceContextAddsGate() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _items = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_items.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _items = new();
            private readonly object _sync = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    lock (_sync)
                    {
                        _items.Add(i);
                    }
                });
            }
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("_items", "modified by List<int>.Add", "Parallel.For", "9", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixInStaticContextAddsStaticGate() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static Dictionary<int, int> squares = new();

            static void M() => Parallel.For(0, 10, i => {|#0:squares[i] = i * i|});
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            static Dictionary<int, int> squares = new();
            private static readonly object _sync = new object();

            static void M() => Parallel.For(0, 10, i => { lock (_sync) { squares[i] = i * i; } });
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("squares", "modified by the Dictionary<int, int> indexer", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixReusesTheTypesGate() => Verify.Fix("""
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            private string _last = "";

            void M(string[] names) => Parallel.ForEach(names, name =>
            {
                {|#0:_last = _last + name|};
                lock (_gate) { }
            });
        }
        """, """
        using System.Threading.Tasks;
        class C
        {
            private readonly object _gate = new();
            private string _last = "";

            void M(string[] names) => Parallel.ForEach(names, name =>
            {
                lock (_gate)
                {
                    _last = _last + name;
                }
                lock (_gate) { }
            });
        }
        """, ProtectWithLock, ExpectWrite(0).WithArguments("_last", "assigned", "Parallel.ForEach", "7", "that code runs more than once at a time"));

    [Fact]
    public Task FixAllAddsOneGatePerType() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _evens = new();
            private readonly List<int> _odds = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    if (i % 2 == 0)
                        {|#0:_evens.Add(i)|};
                    else
                        {|#1:_odds.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly List<int> _evens = new();
            private readonly List<int> _odds = new();
            private readonly object _sync = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    if (i % 2 == 0)
                        lock (_sync)
                        {
                            _evens.Add(i);
                        }
                    else
                        lock (_sync)
                        {
                            _odds.Add(i);
                        }
                });
            }
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("_evens", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("_odds", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"));

    [Fact]
    public Task LockFixUsesLockTypeWhereItExists() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private readonly HashSet<int> _seen = new();

            void M() => Parallel.For(0, 10, i => { {|#0:_seen.Add(i)|}; });
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            private readonly HashSet<int> _seen = new();
            private readonly Lock _sync = new();

            void M() => Parallel.For(0, 10, i => { lock (_sync) { _seen.Add(i); } });
        }
        """, ProtectWithLock, net10: true, ExpectWrite(0).WithArguments("_seen", "modified by HashSet<int>.Add", "Parallel.For", "7", "that code runs more than once at a time"));

    [Fact]
    public Task FixAllAddsAnInstanceAndAStaticGateWhenBothAreNeeded() => Verify.Fix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private static readonly List<int> All = new();
            private readonly List<int> _mine = new();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    {|#0:_mine.Add(i)|};
                    {|#1:All.Add(i)|};
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class C
        {
            private static readonly List<int> All = new();
            private readonly List<int> _mine = new();
            private readonly object _sync = new object();
            private static readonly object _sync2 = new object();

            void M()
            {
                Parallel.For(0, 10, i =>
                {
                    lock (_sync)
                    {
                        _mine.Add(i);
                    }
                    lock (_sync2)
                    {
                        All.Add(i);
                    }
                });
            }
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("_mine", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("All", "modified by List<int>.Add", "Parallel.For", "10", "that code runs more than once at a time"));

    [Fact]
    public Task NoLockFixOutsideAStatementOrInAStruct() => Verify.NoFix("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        struct S
        {
            private static int count;
            void M() => Parallel.For(0, 10, i => { {|#0:count += 2|}; });
        }
        class C
        {
            private static int count;
            void M() => Parallel.For(0, 10, i => { var seen = {|#1:count += 2|}; });
        }
        """, ProtectWithLock,
        ExpectWrite(0).WithArguments("count", "incremented", "Parallel.For", "6", "that code runs more than once at a time"),
        ExpectWrite(1).WithArguments("count", "incremented", "Parallel.For", "11", "that code runs more than once at a time"));
}
