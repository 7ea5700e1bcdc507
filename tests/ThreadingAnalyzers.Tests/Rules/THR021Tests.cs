using System.Threading.Tasks;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR021CheckThenActAnalyzer, ThreadingAnalyzers.CodeFixes.THR021CheckThenActCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR021Tests
{
    private const string TryAdd = "THR021.TryAdd";
    private const string GetOrAdd = "THR021.GetOrAdd";

    private static string InMethod(string body) => $$"""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        class C
        {
            private readonly ConcurrentDictionary<string, object> _cache = new();
            private static readonly object Gate = new();

            object M(string key, object value)
            {
                {{body}}
                return null;
            }

            static object Create(string key) => new object();
        }
        """;

    [Theory]
    [InlineData("if (!{|#0:_cache.ContainsKey(key)|}) {|#1:_cache[key] = value|};", "TryAdd")]
    [InlineData("if (!{|#0:_cache.ContainsKey(key)|}) { {|#1:_cache.TryAdd(key, value)|}; }", "TryAdd")]
    [InlineData("if (!{|#0:_cache.ContainsKey(key)|}) ((IDictionary<string, object>)_cache).Add(key, value); else {|#1:_cache[key] = Create(key)|};", "AddOrUpdate")]
    [InlineData("if ({|#0:_cache.ContainsKey(key)|}) return null; {|#1:_cache[key] = Create(key)|};", "TryAdd")]
    [InlineData("if (!{|#0:_cache.TryGetValue(key, out var v)|}) { v = Create(key); {|#1:_cache[key] = v|}; }", "GetOrAdd")]
    [InlineData("if ({|#0:_cache.TryGetValue(key, out var v)|}) return v; v = Create(key); {|#1:_cache.TryAdd(key, v)|};", "GetOrAdd")]
    [InlineData("if ({|#0:_cache.TryGetValue(key, out var old)|}) {|#1:_cache[key] = old.ToString() + value|};", "AddOrUpdate")]
    [InlineData("if (!{|#0:_cache.ContainsKey(\"k\")|}) {|#1:_cache[\"k\"] = value|};", "TryAdd")]
    public Task CheckThenStoreOfTheSameKeyIsFlagged(string body, string atomic)
    {
        var key = body.Contains("\"k\"") ? "\"k\"" : "key";
        var check = body.Contains("TryGetValue") ? "TryGetValue" : "ContainsKey";
        return Verify.Diagnostic(InMethod(body), Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_cache", check, key, atomic));
    }

    [Fact]
    public Task MessageSaysWhichOperationIsAtomic() => Verify.Diagnostic(InMethod("""
        var local = new ConcurrentDictionary<int, string>();
                if (!{|#0:local.ContainsKey(1)|}) {|#1:local.TryAdd(1, "one")|};
        """), Verify.Expect("THR021", 0).WithLocation(1).WithArguments("local", "ContainsKey", "1", "TryAdd"));

    [Fact]
    public Task InterfaceFieldAssignedOnlyConcurrentDictionariesIsFlagged() => Verify.Diagnostic("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        partial class C
        {
            private IDictionary<int, string> _names = new ConcurrentDictionary<int, string>();

            void Add(int id, string name)
            {
                if (!{|#0:_names.ContainsKey(id)|}) {|#1:_names.Add(id, name)|};
            }
        }

        partial class C
        {
            void Reset() => _names = new ConcurrentDictionary<int, string>();
        }
        """, Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_names", "ContainsKey", "id", "TryAdd"));

    [Theory]
    [InlineData("private IDictionary<int, string> _names = new Dictionary<int, string>();")]
    [InlineData("private IDictionary<int, string> _names = new ConcurrentDictionary<int, string>(); void Reset() => _names = new Dictionary<int, string>();")]
    [InlineData("public IDictionary<int, string> _names = new ConcurrentDictionary<int, string>();")]
    [InlineData("private Dictionary<int, string> _names = new();")]
    public Task DictionariesThatAreNotConcurrentAreSilent(string field) => Verify.Diagnostic($$"""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        class C
        {
            {{field}}

            void Add(int id, string name)
            {
                if (!_names.ContainsKey(id)) _names.Add(id, name);
            }
        }
        """);

    [Theory]
    [InlineData("lock (Gate) { if (!_cache.ContainsKey(key)) _cache[key] = value; }")]
    [InlineData("if (!_cache.ContainsKey(key)) { lock (Gate) { if (!_cache.ContainsKey(key)) _cache[key] = value; } }")]
    [InlineData("if (!_cache.ContainsKey(key)) _cache[key + \"x\"] = value;")]
    [InlineData("if (!_cache.ContainsKey(key)) _cache[\"other\"] = value;")]
    [InlineData("var other = new ConcurrentDictionary<string, object>(); if (!_cache.ContainsKey(key)) other[key] = value;")]
    [InlineData("_cache.TryAdd(key, value);")]
    [InlineData("if (!_cache.TryAdd(key, value)) { }")]
    [InlineData("if (_cache.ContainsKey(key)) value = null; _cache[key] = value;")]
    [InlineData("if (!_cache.ContainsKey(key)) System.Threading.Tasks.Task.Run(() => _cache[key] = value);")]
    [InlineData("var v = _cache.GetOrAdd(key, Create);")]
    [InlineData("if (!_cache.TryGetValue(key, out var v)) { v = Create(key); if (!_cache.TryAdd(key, v)) _cache.TryGetValue(key, out v); }")]
    [InlineData("if (!_cache.ContainsKey(key) && _cache.TryAdd(key, value)) { }")]
    [InlineData("if (_cache.ContainsKey(key)) return _cache[key];")]
    [InlineData("if (_cache.ContainsKey(key)) _cache.TryRemove(key, out _);")]
    public Task LookAlikesAreSilent(string body) => Verify.Diagnostic(InMethod(body));

    [Fact]
    public Task MonitorSectionAroundCheckAndStoreIsSilent() => Verify.Diagnostic(InMethod("""
        System.Threading.Monitor.Enter(Gate);
                try { if (!_cache.ContainsKey(key)) _cache[key] = value; }
                finally { System.Threading.Monitor.Exit(Gate); }
        """));

    [Theory]
    [InlineData("{|#1:_cache[key] = value|};")]
    [InlineData("{ {|#1:_cache[key] = value|}; }")]
    [InlineData("{|#1:_cache.TryAdd(key, value)|};")]
    [InlineData("{ {|#1:_cache.TryAdd(key, value)|}; }")]
    public Task TryAddFixReplacesTheIf(string body) => Verify.Fix(
        InMethod("// add once\n        if (!{|#0:_cache.ContainsKey(key)|}) " + body),
        InMethod("// add once\n        _cache.TryAdd(key, value);"),
        TryAdd,
        Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_cache", "ContainsKey", "key", "TryAdd"));

    [Fact]
    public Task GetOrAddFixMovesTheFactoryIntoALambda() => Verify.Fix(InMethod("""
        if (!{|#0:_cache.TryGetValue(key, out var v)|})
                {
                    v = Create(key);
                    {|#1:_cache[key] = v|};
                }

                M(key, v);
        """), InMethod("""
        var v = _cache.GetOrAdd(key, _ => Create(key));

                M(key, v);
        """), GetOrAdd, Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_cache", "TryGetValue", "key", "GetOrAdd"));

    [Fact]
    public Task GetOrAddFixKeepsAnExplicitType() => Verify.Fix(InMethod("""
        if (!{|#0:_cache.TryGetValue(key, out object v)|}) { v = new object(); {|#1:_cache.TryAdd(key, v)|}; }
        """), InMethod("""
        object v = _cache.GetOrAdd(key, _ => new object());
        """), GetOrAdd, Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_cache", "TryGetValue", "key", "GetOrAdd"));

    [Theory]
    [InlineData("if (!{|#0:_cache.ContainsKey(key)|}) {|#1:_cache[key] = Create(key)|};", "TryAdd")]
    [InlineData("if (!{|#0:_cache.ContainsKey(key)|}) { Log(); {|#1:_cache[key] = value|}; }", "TryAdd")]
    [InlineData("if (!{|#0:_cache.TryGetValue(key, out var v)|}) { v = Create(key); Log(); {|#1:_cache[key] = v|}; }", "GetOrAdd")]
    [InlineData("if (!{|#0:_cache.TryGetValue(key, out var v)|}) { v = Count(ref r); {|#1:_cache[key] = v|}; }", "GetOrAdd")]
    [InlineData("if (!{|#0:_cache.TryGetValue(key, out var v)|}) { v = Create(key); {|#1:_cache[key] = v|}; } else Log();", "GetOrAdd")]
    public Task NoFixWhenTheRewriteWouldChangeMoreThanAtomicity(string body, string atomic) => Verify.NoFix($$"""
        using System.Collections.Concurrent;
        class C
        {
            private readonly ConcurrentDictionary<string, object> _cache = new();

            void M(string key, object value)
            {
                int n = 0;
                ref int r = ref n;
                {{body}}
            }

            static object Create(string key) => new object();
            static object Count(ref int n) => ++n;
            static void Log() { }
        }
        """, body.Contains("TryGetValue") ? GetOrAdd : TryAdd,
        Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_cache", body.Contains("TryGetValue") ? "TryGetValue" : "ContainsKey", "key", atomic));

    [Fact]
    public Task FixAllRewritesEveryShape() => Verify.Fix("""
        using System.Collections.Concurrent;
        class C
        {
            private readonly ConcurrentDictionary<int, string> _names = new();

            string M(int a, int b, string name)
            {
                if (!{|#0:_names.ContainsKey(a)|}) {|#1:_names[a] = name|};
                if (!{|#2:_names.ContainsKey(b)|}) {|#3:_names.TryAdd(b, name)|};
                if (!_names.TryGetValue(a + b, out var joined))
                {
                    joined = name + name;
                    _names[a + b] = joined;
                }

                return joined;
            }
        }
        """, """
        using System.Collections.Concurrent;
        class C
        {
            private readonly ConcurrentDictionary<int, string> _names = new();

            string M(int a, int b, string name)
            {
                _names.TryAdd(a, name);
                _names.TryAdd(b, name);
                if (!_names.TryGetValue(a + b, out var joined))
                {
                    joined = name + name;
                    _names[a + b] = joined;
                }

                return joined;
            }
        }
        """, TryAdd,
        Verify.Expect("THR021", 0).WithLocation(1).WithArguments("_names", "ContainsKey", "a", "TryAdd"),
        Verify.Expect("THR021", 2).WithLocation(3).WithArguments("_names", "ContainsKey", "b", "TryAdd"));

    [Theory]
    [InlineData("if (!_cache.ContainsKey(key)) _cache[key] = ;")]
    [InlineData("if (!_cache.ContainsKey(key) _cache[key] = value;")]
    [InlineData("if (!_cache.TryGetValue(key, out var v)) { v = Create(key; _cache[key] = v; }")]
    [InlineData("if (!_missing.ContainsKey(key)) _missing[key] = value;")]
    [InlineData("if (!_cache.ContainsKey()) _cache[key] = value;")]
    public Task SilentInBrokenCode(string statement) => Verify.NoDiagnosticInBrokenCode(InMethod(statement));
}
