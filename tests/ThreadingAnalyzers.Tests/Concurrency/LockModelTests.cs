using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class LockModelTests
{
    /// <summary>The locks held at the statement that follows <c>/*here*/</c>, by name, in order.</summary>
    private static string Held(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var model = compilation.GetSemanticModel(tree);
        var marker = tree.GetRoot().DescendantTrivia().Single(t => t.ToString() == "/*here*/");
        var statement = tree.GetRoot().DescendantTokens().First(t => t.SpanStart >= marker.Span.End).Parent!.FirstAncestorOrSelf<StatementSyntax>()!;
        var held = LockModel.For(compilation).HeldAt(model.GetOperation(statement)!);
        return string.Join(", ", held.Select(h => h.Identity.Name + (h.IsMonitor ? "" : "(other)")));
    }

    private const string Fields = "object _a = new object(); object _b = new object(); static object s_gate = new object(); int _n;";

    [Fact]
    public void InsideNestedLocks() => Assert.Equal("_b, _a", Held($$"""
        class C
        {
            {{Fields}}
            void M() { lock (_a) { lock (_b) { /*here*/ _n++; } } }
        }
        """));

    [Fact]
    public void ThisTypeOfAndStaticField() => Assert.Equal("s_gate, typeof(C), this", Held($$"""
        class C
        {
            {{Fields}}
            void M() { lock (this) lock (typeof(C)) lock (s_gate) { /*here*/ _n++; } }
        }
        """));

    [Fact]
    public void NothingAfterTheLockStatement() => Assert.Equal("", Held($$"""
        class C
        {
            {{Fields}}
            void M() { lock (_a) { _n++; } /*here*/ _n++; }
        }
        """));

    [Fact]
    public void MonitorSectionUntilExit()
    {
        var source = $$"""
            using System.Threading;
            class C
            {
                {{Fields}}
                void M()
                {
                    Monitor.Enter(_a);
                    try { INSIDE _n++; } finally { Monitor.Exit(_a); }
                    AFTER _n++;
                }
            }
            """;
        Assert.Equal("_a", Held(source.Replace("INSIDE", "/*here*/").Replace("AFTER", "")));
        Assert.Equal("", Held(source.Replace("INSIDE", "").Replace("AFTER", "/*here*/")));
    }

    [Fact]
    public void SemaphoreSectionIsNotAMonitor() => Assert.Equal("_s(other)", Held("""
        using System.Threading;
        class C
        {
            SemaphoreSlim _s = new SemaphoreSlim(1, 1); int _n;
            void M() { _s.Wait(); try { /*here*/ _n++; } finally { _s.Release(); } }
        }
        """));

    [Fact]
    public void PrivateHelperCalledOnlyUnderTheLock() => Assert.Equal("_a", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { Helper(); } }
            public void N() { lock (_a) { lock (_b) { Helper(); } } }
            private void Helper() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void PrivateHelperWithACallerOutsideTheLock() => Assert.Equal("", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { Helper(); } }
            public void N() { Helper(); }
            private void Helper() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void HelperOfAHelperAndRecursion() => Assert.Equal("_a", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { Outer(3); } }
            private void Outer(int depth) { if (depth > 0) Outer(depth - 1); Inner(); }
            private void Inner() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void HelperPassedAsADelegateHoldsNothing() => Assert.Equal("", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { Helper(); } System.Threading.Tasks.Task.Run(Helper); }
            private void Helper() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void HelperCalledFromALambdaHoldsNothing() => Assert.Equal("", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { Helper(); System.Threading.Tasks.Task.Run(() => Helper()); } }
            private void Helper() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void LambdaInsideTheLockRunsElsewhere() => Assert.Equal("", Held($$"""
        class C
        {
            {{Fields}}
            public void M() { lock (_a) { System.Threading.Tasks.Task.Run(() => { /*here*/ _n++; }); } }
        }
        """));

    [Fact]
    public void SynchronousLambdaIsPartOfItsFunction() => Assert.Equal("_a", Held($$"""
        class C
        {
            {{Fields}}
            public void M(System.Collections.Generic.List<int> items) { lock (_a) { items.ForEach(i => { /*here*/ _n += i; }); } }
        }
        """));

    [Fact]
    public void HelperCalledOnAnotherInstanceHoldsAnUnnamedLock() => Assert.Equal("?", Held($$"""
        class C
        {
            {{Fields}}
            public void M(C other) { lock (_a) { other.Helper(); } }
            private void Helper() { /*here*/ _n++; }
        }
        """));

    [Fact]
    public void SynchronizedMethods()
    {
        Assert.Equal("this", Held("""
            using System.Runtime.CompilerServices;
            class C
            {
                int _n;
                [MethodImpl(MethodImplOptions.Synchronized)]
                public void M() { /*here*/ _n++; }
            }
            """));
        Assert.Equal("typeof(C)", Held("""
            using System.Runtime.CompilerServices;
            class C
            {
                static int s_n;
                [MethodImpl(MethodImplOptions.Synchronized)]
                public static void M() { Helper(); }
                private static void Helper() { /*here*/ s_n++; }
            }
            """));
    }

    [Fact]
    public void SameFieldOfTwoObjectsIsOneIdentity()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            class C
            {
                object _sync = new object();
                void M(C a, C b) { lock (a._sync) { lock (b._sync) { } } lock (_sync) { } }
            }
            """);
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80);
        var model = compilation.GetSemanticModel(tree);
        var locks = tree.GetRoot().DescendantNodes().OfType<LockStatementSyntax>()
            .Select(l => LockIdentity.Of(model.GetOperation(l.Expression))).ToList();
        Assert.Equal(locks[0], locks[1]);
        Assert.NotEqual(locks[0], locks[2]);
        Assert.False(locks[0].IsTypeWide);
        Assert.True(locks[2].IsTypeWide);
    }
}
