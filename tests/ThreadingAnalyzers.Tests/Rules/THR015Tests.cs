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

    private static DiagnosticResult Expect(int key, string field, string reason, string fix) =>
        Verify.Expect("THR015", key).WithArguments(field, reason, fix).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

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
    public Task StoreOfALocalBeforeItIsConfiguredIsFlagged() => Verify.Diagnostic("""
        using System.Collections.Generic;
        class C
        {
            private static readonly object s_gate = new object();
            private static Dictionary<string, int> s_map;

            static Dictionary<string, int> Map()
            {
                if (s_map == null)
                {
                    lock (s_gate)
                    {
                        if (s_map == null)
                        {
                            var map = new Dictionary<string, int>();
                            {|#0:s_map = map|};
                            {|#1:map.Add("a", 1);|}
                        }
                    }
                }

                return s_map;
            }
        }
        """, Verify.Expect("THR015", 0).WithLocation(1).WithArguments("s_map", StoredFirst, BuildLocal));

    [Fact]
    public Task PlainFlagAfterTheWorkIsFlagged() => Verify.Diagnostic("""
        class C
        {
            private readonly object _gate = new object();
            private bool _initialized;
            private int[] _table;

            void EnsureInitialized()
            {
                if (!_initialized)
                {
                    lock (_gate)
                    {
                        if (_initialized == false)
                        {
                            _table = new int[10];
                            {|#0:_initialized = true|};
                        }
                    }
                }
            }
        }
        """, Expect(0, "_initialized", FlagReason, FlagFix));

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
    public Task StoreThenConfigureIsBuiltInALocal() => Verify.Fix("""
        class Cache { public int Size; public void Load() { } }
        class C
        {
            private readonly object _gate = new object();
            private Cache _cache;

            Cache Get()
            {
                if (_cache == null)
                {
                    lock (_gate)
                    {
                        if (_cache == null)
                        {
                            {|#0:_cache = new Cache()|};
                            _cache.Size = 3;
                            this._cache.Load();
                        }
                    }
                }

                return _cache;
            }
        }
        """, """
        class Cache { public int Size; public void Load() { } }
        class C
        {
            private readonly object _gate = new object();
            private Cache _cache;

            Cache Get()
            {
                if (_cache == null)
                {
                    lock (_gate)
                    {
                        if (_cache == null)
                        {
                            var cache = new Cache();
                            cache.Size = 3;
                            cache.Load();
                            _cache = cache;
                        }
                    }
                }

                return _cache;
            }
        }
        """, LocalKey, Expect(0, "_cache", Configured, BuildLocal));

    [Fact]
    public Task StoreOfALocalMovesLast() => Verify.Fix("""
        using System.Collections.Generic;
        class C
        {
            private static readonly object s_gate = new object();
            private static List<int> s_items;

            static List<int> Items()
            {
                if (s_items == null)
                {
                    lock (s_gate)
                    {
                        if (s_items == null)
                        {
                            var items = new List<int>();
                            {|#0:s_items = items|};
                            items.Add(1);
                        }
                    }
                }

                return s_items;
            }
        }
        """, """
        using System.Collections.Generic;
        class C
        {
            private static readonly object s_gate = new object();
            private static List<int> s_items;

            static List<int> Items()
            {
                if (s_items == null)
                {
                    lock (s_gate)
                    {
                        if (s_items == null)
                        {
                            var items = new List<int>();
                            items.Add(1);
                            s_items = items;
                        }
                    }
                }

                return s_items;
            }
        }
        """, LocalKey, Expect(0, "s_items", StoredFirst, BuildLocal));

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
    public Task NoLocalFixWhenALaterStatementReturns() => Verify.NoFix("""
        class Cache { public void Load() { } }
        class C
        {
            private readonly object _gate = new object();
            private Cache _cache;

            Cache Get()
            {
                if (_cache == null)
                {
                    lock (_gate)
                    {
                        if (_cache == null)
                        {
                            {|#0:_cache = new Cache()|};
                            _cache.Load();
                            return _cache;
                        }
                    }
                }

                return _cache;
            }
        }
        """, LocalKey, Expect(0, "_cache", Configured, BuildLocal));

    [Theory]
    [InlineData("class C { object _g = new object(); bool _d; void M() { if (!_d) { lock (_g) { if (!_d) { Load(); _d = true; } } } int x = ; } void Load() { } }")]
    [InlineData("class C { object _g = new object(); bool _d; void M() { if (!_d) { lock (_g) { if (!_d) { Missing(); _d = true; } } } } }")]
    [InlineData("class C { object _g = new object(); Unknown _x; void M() { if (_x == null) { lock (_g) { if (_x == null) { _x = new Unknown(); _x.Init(); } } } } }")]
    public Task BrokenCodeIsSilent(string source) => Verify.NoDiagnosticInBrokenCode(source);
}
