using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR015LazyInitPublishedEarlyAnalyzer, ThreadingAnalyzers.CodeFixes.THR015LazyInitPublishedEarlyCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR015Tests
{
    private const string LocalKey = "THR015.BuildInLocal";
    private const string VolatileKey = "THR015.MakeVolatile";

    private const string Configured = "the object is stored in it and then configured";
    private const string StoredFirst = "the object is stored in it before it is configured";
    private const string BuildLocal = "build the object in a local and assign the field last";
    private const string FlagReason = "it is set after the work it guards, with a plain write that other threads can see before that work's writes";
    private const string FlagFix = "make it volatile, or write it with Volatile.Write and read it with Volatile.Read";

    private const string CacheType = "class Cache { public int Size; public void Load() { } }\n";

    private static DiagnosticResult Expect(int key, string field, string reason, string fix) =>
        Verify.Expect("THR015", key).WithArguments(field, reason, fix).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    /// <summary>
    /// Class C, after <paramref name="header"/>, with a gate and <paramref name="field"/> (both static when
    /// <paramref name="isStatic"/>), and a method that sets the field once with double-checked locking:
    /// <c>if (check) { lock (gate) { if (recheck) { body } } }</c>, then <c>return field;</c> unless it returns nothing.
    /// </summary>
    private static string DoubleChecked(
        string field,
        string type,
        string body,
        bool isStatic = false,
        string method = "Get",
        string header = "",
        string? check = null,
        string? recheck = null,
        string moreFields = "",
        bool returns = true)
    {
        var modifier = isStatic ? "static " : "";
        var gate = isStatic ? "s_gate" : "_gate";
        check ??= field + " == null";
        var fields = $"private {modifier}readonly object {gate} = new object();\nprivate {modifier}{type} {field};" + (moreFields.Length == 0 ? "" : "\n" + moreFields);
        var end = returns ? $"\n\n        return {field};" : "";
        return $$"""
            {{header}}class C
            {
                {{Indent(fields, 4)}}

                {{modifier}}{{(returns ? type : "void")}} {{method}}()
                {
                    if ({{check}})
                    {
                        lock ({{gate}})
                        {
                            if ({{recheck ?? check}})
                            {
                                {{Indent(body, 20)}}
                            }
                        }
                    }{{end}}
                }
            }
            """;
    }

    /// <summary>The lines of <paramref name="text"/> after its first, indented by <paramref name="spaces"/>.</summary>
    private static string Indent(string text, int spaces) => text.Replace("\n", "\n" + new string(' ', spaces));

    [Theory]
    [InlineData("if (_cache == null) { lock (_gate) { if (_cache == null) { {|#0:_cache = new Cache()|}; _cache.Load(); } } }")]
    [InlineData("if (_cache is null) lock (_gate) { if (_cache is null) { {|#0:_cache = new Cache()|}; _cache.Size = 3; } }")]
    [InlineData("if (this._cache == null) { lock (_gate) { if (_cache == null) { {|#0:this._cache = new Cache()|}; Prepare(_cache); this._cache.Load(); } } }")]
    public Task StoreThenConfigureIsFlagged(string body) => Verify.Diagnostic($$"""
        class Cache { public int Size; public void Load() { } }
        class C
        {
            private readonly object _gate = new object();
            private Cache _cache;

            Cache Get()
            {
                {{body}}
                return _cache;
            }

            static void Prepare(Cache cache) { }
        }
        """, Expect(0, "_cache", Configured, BuildLocal));

    [Fact]
    public Task StoreOfALocalBeforeItIsConfiguredIsFlagged() => Verify.Diagnostic(
        DoubleChecked("s_map", "Dictionary<string, int>", """
            var map = new Dictionary<string, int>();
            {|#0:s_map = map|};
            {|#1:map.Add("a", 1);|}
            """, isStatic: true, method: "Map", header: "using System.Collections.Generic;\n"),
        Verify.Expect("THR015", 0).WithLocation(1).WithArguments("s_map", StoredFirst, BuildLocal));

    [Fact]
    public Task PlainFlagAfterTheWorkIsFlagged() => Verify.Diagnostic(
        DoubleChecked("_initialized", "bool", """
            _table = new int[10];
            {|#0:_initialized = true|};
            """, method: "EnsureInitialized", check: "!_initialized", recheck: "_initialized == false", moreFields: "private int[] _table;", returns: false),
        Expect(0, "_initialized", FlagReason, FlagFix));

    [Fact]
    public Task SilentOnTheClassicFormsAndSafeLookAlikes() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        class Cache { public int Size; public void Load() { } }
        class C
        {
            private readonly object _gate = new object();
            private Cache _cache;
            private Cache _other;
            private volatile bool _ready;
            private bool _loaded;
            private bool _single;
            private readonly Lazy<Cache> _lazy = new Lazy<Cache>(() => new Cache());
            private Cache _viaInitializer;

            Cache Classic()
            {
                if (_cache == null) { lock (_gate) { if (_cache == null) { _cache = new Cache(); } } }
                return _cache;
            }

            Cache WithInitializer()
            {
                if (_other == null) { lock (_gate) { if (_other == null) { _other = new Cache { Size = 3 }; } } }
                return _other;
            }

            Cache BuiltInALocal()
            {
                if (_other == null) { lock (_gate) { if (_other == null) { var c = new Cache(); c.Load(); _other = c; } } }
                return _other;
            }

            void VolatileFlag()
            {
                if (!_ready) { lock (_gate) { if (!_ready) { Load(); _ready = true; } } }
            }

            void VolatileWriteFlag()
            {
                if (!Volatile.Read(ref _loaded)) { lock (_gate) { if (!_loaded) { Load(); Volatile.Write(ref _loaded, true); } } }
            }

            void SingleCheckUnderLock()
            {
                lock (_gate) { if (!_single) { Load(); _single = true; } }
                lock (_gate) { if (_cache == null) { _cache = new Cache(); _cache.Load(); } }
            }

            Cache Lazy() => _lazy.Value;

            Cache ViaLazyInitializer() => LazyInitializer.EnsureInitialized(ref _viaInitializer, () => new Cache());

            void Load() { }
        }
        """);

    [Fact]
    public Task StoreThenConfigureIsBuiltInALocal() => Verify.Fix(
        DoubleChecked("_cache", "Cache", """
            {|#0:_cache = new Cache()|};
            _cache.Size = 3;
            this._cache.Load();
            """, header: CacheType),
        DoubleChecked("_cache", "Cache", """
            var cache = new Cache();
            cache.Size = 3;
            cache.Load();
            _cache = cache;
            """, header: CacheType),
        LocalKey,
        Expect(0, "_cache", Configured, BuildLocal));

    [Fact]
    public Task StoreOfALocalMovesLast() => Verify.Fix(
        DoubleChecked("s_items", "List<int>", """
            var items = new List<int>();
            {|#0:s_items = items|};
            items.Add(1);
            """, isStatic: true, method: "Items", header: "using System.Collections.Generic;\n"),
        DoubleChecked("s_items", "List<int>", """
            var items = new List<int>();
            items.Add(1);
            s_items = items;
            """, isStatic: true, method: "Items", header: "using System.Collections.Generic;\n"),
        LocalKey,
        Expect(0, "s_items", StoredFirst, BuildLocal));

    [Fact]
    public Task FlagBecomesVolatile() => Verify.Fix("""
        class C
        {
            private readonly object _gate = new object();
            private static bool s_loaded;
            bool _ready;

            static void Load()
            {
                if (!s_loaded) { lock (typeof(C)) { if (!s_loaded) { Work(); {|#0:s_loaded = true|}; } } }
            }

            void Prepare()
            {
                if (!_ready) { lock (_gate) { if (!_ready) { Work(); {|#1:_ready = true|}; } } }
            }

            static void Work() { }
        }
        """, """
        class C
        {
            private readonly object _gate = new object();
            private static volatile bool s_loaded;
            volatile bool _ready;

            static void Load()
            {
                if (!s_loaded) { lock (typeof(C)) { if (!s_loaded) { Work(); s_loaded = true; } } }
            }

            void Prepare()
            {
                if (!_ready) { lock (_gate) { if (!_ready) { Work(); _ready = true; } } }
            }

            static void Work() { }
        }
        """, VolatileKey, Expect(0, "s_loaded", FlagReason, FlagFix), Expect(1, "_ready", FlagReason, FlagFix));

    [Fact]
    public Task NoLocalFixWhenALaterStatementReturns() => Verify.NoFix(
        DoubleChecked("_cache", "Cache", """
            {|#0:_cache = new Cache()|};
            _cache.Load();
            return _cache;
            """, header: "class Cache { public void Load() { } }\n"),
        LocalKey,
        Expect(0, "_cache", Configured, BuildLocal));

    [Theory]
    [InlineData("class C { object _g = new object(); bool _d; void M() { if (!_d) { lock (_g) { if (!_d) { Load(); _d = true; } } } int x = ; } void Load() { } }")]
    [InlineData("class C { object _g = new object(); bool _d; void M() { if (!_d) { lock (_g) { if (!_d) { Missing(); _d = true; } } } } }")]
    [InlineData("class C { object _g = new object(); Unknown _x; void M() { if (_x == null) { lock (_g) { if (_x == null) { _x = new Unknown(); _x.Init(); } } } } }")]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);
}
