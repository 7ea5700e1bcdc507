using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Robustness;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class EntryPointTextTests
{
    [Theory]
    [InlineData("Task.Run(() => 1);", true)]
    [InlineData("System.Threading.Tasks.Task.Run(() => 1);", true)]
    [InlineData("factory.StartNew(() => { });", true)]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { });", true)]
    [InlineData("Parallel.For(0, 10, i => { });", true)]
    [InlineData("items.AsParallel().ForAll(i => { });", true)]
    [InlineData("new Thread(() => { }).Start();", true)]
    [InlineData("new System.Threading.Thread(() => { }).Start();", true)]
    [InlineData("var timer = new Timer(_ => { }, null, 0, 100);", true)]
    [InlineData("new Task(() => { }).Start();", true)]
    [InlineData("Thread t = new(() => { });", true)]
    [InlineData("Thread t = new (Work);", true)]
    [InlineData("Action a = new(() => { });", true)]
    [InlineData("Thread.Sleep(10);", false)]
    [InlineData("var name = Thread.CurrentThread.Name;", false)]
    [InlineData("var list = new List<int>();", false)]
    [InlineData("Console.WriteLine(\"Task.Run\"); // new Thread(Work)", true)]
    [InlineData("Task.Delay(10).Wait();", false)]
    public void FindsPlacesAroundTheWords(string statement, bool expected)
    {
        // Text only: a word in a string or a comment is a place too (the walk for entry points finds nothing there).
        var type = TypeAround(statement, out var tree);
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();

        Assert.Equal(expected, EntryPointText.PlacesIn(type, ThreadingOptions.None)?.MayStartConcurrentCode(method) ?? false);
    }

    [Theory]
    [InlineData("ThreadPool.UnsafeQueueUserWorkItem(_ => { }, null);", true)]
    [InlineData("Task.Run<int>(() => 1);", true)]
    [InlineData("new Task<int>(() => 1).Start();", true)]
    [InlineData("System.Threading.Thread.Sleep(1); var t = new Timer { Interval = 5 };", 0)]
    [InlineData("var id = Thread.CurrentThread.ManagedThreadId;", 0)]
    [InlineData("Thread.Sleep(1); Thread worker; Timer timer; void M(Thread t, Timer u) { }", 0)]
    [InlineData("object gate = new(); List<int> list = new( ); Thread t = new(Work); Timer u = new (_ => { }, null, 0, 0);", 2)]
    [InlineData("var a = new Thread(M); var b = new\n  Timer(M); var c = new System.Threading.Thread(M); var d = new global::System.Threading.Timer(M); var e = new @Thread(M);", 5)]
    [InlineData("Task.RunSynchronously(); var t = new TaskCompletionSource<int>(); var p = MyParallel.X; var s = renew(1);", 0)]
    [InlineData("Thread t = new(de", 1)]
    [InlineData("x => y = new(Work", 1)]
    [InlineData("new(Work", 1)]
    [InlineData("var timer = _timerFactory.NewTimer(); ThreadLocal<int> local = null; var pool = IsThreadPoolThread;", 0)]
    // A combining mark continues a C# identifier but is no letter or digit here: the file is searched word by word.
    [InlineData("var s = \"\u0301Task.Run\"; var t = xTask.Run(); var u = Task.Run_;", 1)]
    public void WordsAreWholeWhereAnEntryPointWritesThem(string statement, object expected)
    {
        // The words count only where they stand alone ("Thread" in "new Thread(" but not in "ThreadPool" or
        // "System.Threading"), except QueueUserWorkItem, which UnsafeQueueUserWorkItem also ends with; the type names
        // Thread and Timer only where a creation can name them (after "new" or a qualifier, before the arguments).
        var tree = CSharpSyntaxTree.ParseText(statement);
        var count = EntryPointText.Positions(tree).Length;
        if (expected is bool mentions)
        {
            Assert.Equal(mentions, count > 0);
        }
        else
        {
            Assert.Equal((int)expected, count);
        }
    }

    [Theory]
    [InlineData("Thread worker = new(Work);", true)]
    [InlineData("Thread @worker = new (Work);", true)]
    [InlineData("System.Threading.Timer timer = new(Tick, null, 0, 100);", true)]
    [InlineData("Task<int> task = new(Compute);", true)]
    [InlineData("Thread first = null, second = new(Work);", true)]
    [InlineData("Action a = new(() => { });", true)]
    [InlineData("EventHandler h = new(delegate { });", true)]
    [InlineData("Lazy<int> value = new(() => 1, true);", true)]
    [InlineData("ManualResetEventSlim stop = new(false);", false)]
    [InlineData("Dictionary<string, int> byName = new(StringComparer.Ordinal);", false)]
    [InlineData("Dictionary<string, List<Task>> byName = new(StringComparer.Ordinal);", false)]
    [InlineData("System.Threading.Tasks.Task<List<int>> task = new(Compute);", true)]
    [InlineData("ThreadStart start = new(Work);", false)]
    [InlineData("Thread? maybe = new(Work);", false)]
    [InlineData("bool same = other == new(1);", false)]
    [InlineData("_worker = new(Work);", false)]
    public void PlacesNeedAWordThatCanStartCode(string statement, bool hasPlaces)
    {
        // A target-typed new( is a place only where its text can be entry-point-shaped: a lambda or anonymous method among
        // its arguments, or a Thread, Timer or Task (generic too; any second declarator) declared by it. The word itself
        // still counts (THR004 and the entry point walk read every word).
        var type = TypeAround(statement, out _);

        Assert.True(EntryPointText.Mentions(type, ThreadingOptions.None));
        Assert.Equal(hasPlaces, EntryPointText.PlacesIn(type, ThreadingOptions.None) is not null);
    }

    /// <summary>Class C with <paramref name="statement"/> in its method M, compiled without references.</summary>
    private static INamedTypeSymbol TypeAround(string statement, out SyntaxTree tree)
    {
        tree = CSharpSyntaxTree.ParseText($$"""
            class C
            {
                void M(object factory, int[] items, object other)
                {
                    {{statement}}
                }
            }
            """);
        return CSharpCompilation.Create("T", new[] { tree }).GetTypeByMetadataName("C")!;
    }

    [Fact]
    public void MentionsLooksOnlyInsideTheSpan()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class A { void M() { System.Threading.Tasks.Task.Run(() => { }); } }
            class B { void N() { var x = 1; } }
            """);
        var types = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>().ToArray();

        Assert.True(EntryPointText.Mentions(tree, types[0].Span));
        Assert.False(EntryPointText.Mentions(tree, types[1].Span));
    }

    [Fact]
    public void IsReferencedReadsReferencedAssembliesOnly()
    {
        var tree = CSharpSyntaxTree.ParseText("namespace Own { class Gate { } }");
        var withFramework = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80);
        var withoutReferences = CSharpCompilation.Create("T", new[] { tree });

        Assert.True(ThreadingTypes.From(withFramework).IsReferenced(ThreadingTypes.ThreadName));
        Assert.False(ThreadingTypes.From(withFramework).IsReferenced("Own.Gate"));
        Assert.False(ThreadingTypes.From(withoutReferences).IsReferenced(ThreadingTypes.ThreadName));
        Assert.Null(ThreadingTypes.From(withoutReferences).Thread);
        Assert.NotNull(ThreadingTypes.From(withFramework).Thread);
    }

    [Fact]
    public void AThreadTypeDeclaredInSourceIsNotTheFrameworksThread()
    {
        // A polyfill or a half-configured project: System.Threading.Thread exists only in the project's own sources.
        var tree = CSharpSyntaxTree.ParseText("namespace System.Threading { public class Thread { } }");
        var withoutReferences = ThreadingTypes.From(CSharpCompilation.Create("T", new[] { tree }));
        var withFramework = ThreadingTypes.From(CSharpCompilation.Create("T", new[] { CSharpSyntaxTree.ParseText("class C { }") }, TestReferences.Net80));

        Assert.NotNull(withoutReferences.Thread);
        Assert.False(withoutReferences.ThreadIsReferenced);
        Assert.False(withoutReferences.CanStartConcurrentCode);
        Assert.False(withoutReferences.IsThread(withoutReferences.Thread));

        Assert.True(withFramework.ThreadIsReferenced);
        Assert.True(withFramework.CanStartConcurrentCode);
        Assert.True(withFramework.IsThread(withFramework.Thread));
    }

    [Fact]
    public async Task RulesStaySilentOnASourceDeclaredThread()
    {
        // The rules register their actions without asking the compilation anything (see ThreadingTypes); the question,
        // asked later from their actions, still keeps a Thread declared in the project's own sources out.
        const string app = """
            namespace App
            {
                using System.Threading;
                public class C
                {
                    private int _count;
                    public void M()
                    {
                        var worker = new Thread(() => { for (var i = 0; i < 1000; i++) { _count++; } });
                        worker.Start();
                        _count++;
                    }
                }
            }
            """;
        const string polyfill = """
            namespace System.Threading
            {
                public delegate void ThreadStart();
                public class Thread
                {
                    public Thread(ThreadStart start) { }
                    public void Start() { }
                }
            }
            """;
        var runtimeOnly = TestReferences.Net80.Where(reference => Path.GetFileName(reference.Display) == "System.Runtime.dll").ToArray();
        var withFramework = CSharpCompilation.Create("T", new[] { CSharpSyntaxTree.ParseText(app) }, TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var withPolyfill = CSharpCompilation.Create("T", new[] { CSharpSyntaxTree.ParseText(app), CSharpSyntaxTree.ParseText(polyfill) }, runtimeOnly, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(withPolyfill.GetDiagnostics().Where(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error));
        Assert.False(ThreadingTypes.From(withPolyfill).ThreadIsReferenced);

        var (flagged, flaggedExceptions) = await Harness.AnalyzeAsync(withFramework, Harness.Analyzers(), concurrent: true);
        var (silent, silentExceptions) = await Harness.AnalyzeAsync(withPolyfill, Harness.Analyzers(), concurrent: true);

        Assert.Equal(new[] { "THR001", "THR002", "THR004" }, flagged.Select(diagnostic => diagnostic.Id).OrderBy(id => id));
        Assert.Empty(silent);
        Assert.Empty(flaggedExceptions);
        Assert.Empty(silentExceptions);
    }

    [Fact]
    public void NamespacesAndCollectionsAreMatchedByFullName()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            namespace My.System.Linq { public class List<T> { } public static class Enumerable { } }
            class C { System.Collections.Generic.List<int> a; My.System.Linq.List<int> b; System.Collections.Generic.Dictionary<string, int> d; int i; }
            """);
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80);
        var types = ThreadingTypes.From(compilation);
        var c = compilation.GetTypeByMetadataName("C")!;
        var own = compilation.GetTypeByMetadataName("My.System.Linq.Enumerable")!;
        var linq = compilation.GetTypeByMetadataName("System.Linq.Enumerable")!;

        Assert.True(Symbols.IsNamespace(linq.ContainingNamespace, Symbols.LinqNamespace));
        Assert.False(Symbols.IsNamespace(own.ContainingNamespace, Symbols.LinqNamespace));
        Assert.False(Symbols.IsNamespace(linq.ContainingNamespace, Symbols.SystemNamespace));
        Assert.Equal(
            new[] { true, false, true, false },
            new[] { "a", "b", "d", "i" }.Select(name => types.IsUnsynchronizedCollection(((IFieldSymbol)c.GetMembers(name).Single()).Type)));
    }

    [Fact]
    public void RecentlyComputedReusesValuesOnlyInsideAScope()
    {
        var key = new object();
        var computed = 0;
        string Compute(object _) => (++computed).ToString();

        Assert.Equal("1", RecentlyComputed.GetOrAdd(key, Compute));
        Assert.Equal("2", RecentlyComputed.GetOrAdd(key, Compute));
        using (RecentlyComputed.Open())
        {
            Assert.Equal("3", RecentlyComputed.GetOrAdd(key, Compute));
            Assert.Equal("3", RecentlyComputed.GetOrAdd(key, Compute));
            Assert.Equal(new[] { 'x' }, RecentlyComputed.GetOrAdd(key, _ => new[] { 'x' }));
        }

        using (RecentlyComputed.Open())
        {
            Assert.Equal("4", RecentlyComputed.GetOrAdd(key, Compute));
        }
    }
}
