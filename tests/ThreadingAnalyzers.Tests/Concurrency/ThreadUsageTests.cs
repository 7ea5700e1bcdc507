using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class ThreadUsageTests
{
    private static string InMethod(string statement) => $$"""
        using System.Threading;
        class C
        {
            private Thread _t = new Thread(() => { });
            void M(bool flag)
            {
                var t = new Thread(() => { });
                {{statement}}
            }
            static void Keep(Thread thread) { }
        }
        """;

    /// <summary>What the last reference to the local <c>t</c> in <paramref name="statement"/> does with it.</summary>
    private static ThreadUse Classify(string statement, bool broken = false)
    {
        var (compilation, root) = ModelSource.Compile(InMethod(statement), broken);
        var reference = root.Descendants().OfType<ILocalReferenceOperation>().Last(r => r.Local.Name == "t");
        return ThreadUsage.Classify(reference, ThreadingTypes.From(compilation));
    }

    [Theory]
    [InlineData("t.Start();", "Start")]
    [InlineData("t.Start(42);", "Start")]
    [InlineData("t.UnsafeStart();", "Start")]
    [InlineData("t?.Start();", "Start")]
    [InlineData("t.Join();", "Join")]
    [InlineData("t.Join(1000);", "Join")]
    [InlineData("t.IsBackground = true;", "MadeBackground")]
    [InlineData("t.IsBackground = false;", "Harmless")]
    [InlineData("t.IsBackground = flag;", "BackgroundUnknown")]
    [InlineData("t.Name = \"worker\";", "Harmless")]
    [InlineData("var alive = t.IsAlive;", "Harmless")]
    [InlineData("t.Interrupt();", "Harmless")]
    [InlineData("if (t != null) { }", "Harmless")]
    [InlineData("if (t is null) { }", "Harmless")]
    [InlineData("var name = nameof(t);", "Harmless")]
    [InlineData("t = new Thread(() => { });", "Assigned")]
    [InlineData("Keep(t);", "Escapes")]
    [InlineData("_t = t;", "Escapes")]
    [InlineData("var alias = t;", "Escapes")]
    public void ClassifiesEachUse(string statement, string expected) => Assert.Equal(expected, Classify(statement).Kind.ToString());

    [Fact]
    public void AssignedValueIsTheNewThread()
    {
        var use = Classify("t = new Thread(() => { });");

        Assert.IsAssignableFrom<IObjectCreationOperation>(use.AssignedValue);
    }

    [Theory]
    [InlineData("t.Start();", true)]
    [InlineData("t.Start(42);", true)]
    [InlineData("t.UnsafeStart();", true)]
    [InlineData("t.UnsafeStart(42);", true)]
    [InlineData("t.Join();", false)]
    [InlineData("new Worker().Start();", false)]
    public void IsStartOnlyForThreadStarts(string statement, bool expected)
    {
        var (compilation, root) = ModelSource.Compile($$"""
            using System.Threading;
            class Worker { public void Start() { } }
            class C
            {
                void M(Thread t) { {{statement}} }
            }
            """);
        var call = root.Descendants().OfType<IInvocationOperation>().Single();

        Assert.Equal(expected, ThreadUsage.IsStart(call, ThreadingTypes.From(compilation)));
    }

    [Fact]
    public void IsStartSaysNoWithoutThreadingReferences()
    {
        var (compilation, root) = ModelSource.Compile("""
            class Thread { public void Start() { } }
            class C
            {
                void M(Thread t) { t.Start(); }
            }
            """);

        Assert.False(ThreadUsage.IsStart(root.Descendants().OfType<IInvocationOperation>().Single(), ThreadingTypes.From(compilation)));
    }

    [Fact]
    public void PrivateThreadFieldsOfTheTypeItself()
    {
        var (compilation, _) = ModelSource.Compile("""
            using System.Threading;
            class C
            {
                private Thread _a;
                private static Thread s_b;
                public Thread Shown;
                private object _notAThread;
                class Nested { private Thread _inner; }
                void M() { }
            }
            class Thread2 { private Worker _w; }
            class Worker { }
            """);
        var type = compilation.GetTypeByMetadataName("C")!;
        var nested = compilation.GetTypeByMetadataName("C+Nested")!;
        var types = ThreadingTypes.From(compilation);

        Assert.Equal(new[] { "_a", "s_b" }, ThreadUsage.PrivateThreadFields(type, types).Select(f => f.Name));
        Assert.False(ThreadUsage.IsPrivateThreadFieldOf((IFieldSymbol)nested.GetMembers("_inner").Single(), type, types));
        Assert.True(ThreadUsage.IsPrivateThreadFieldOf((IFieldSymbol)nested.GetMembers("_inner").Single(), nested, types));
        Assert.Empty(ThreadUsage.PrivateThreadFields(compilation.GetTypeByMetadataName("Thread2")!, types));
    }

    [Theory]
    [InlineData("new Thread(() => { })", "")]
    [InlineData("new Thread(() => { }) { Name = \"w\" }", "")]
    [InlineData("new Thread(() => { }) { IsBackground = true }", "MadeBackground")]
    [InlineData("new Thread(() => { }) { IsBackground = false }", "Harmless")]
    [InlineData("new Thread(() => { }) { IsBackground = flag }", "BackgroundUnknown")]
    public void BackgroundInInitializer(string creation, string expected)
    {
        var (_, root) = ModelSource.Compile($$"""
            using System.Threading;
            class C
            {
                void M(bool flag) { var t = {{creation}}; }
            }
            """);

        Assert.Equal(expected, ThreadUsage.BackgroundInInitializer(root.Descendants().OfType<IObjectCreationOperation>().Single())?.ToString() ?? "");
    }

    [Theory]
    [InlineData("t.Sta", "Escapes")]
    [InlineData("t.Start(", "Start")]
    [InlineData("t.IsBackground = ;", "BackgroundUnknown")]
    public void HalfTypedUses(string statement, string expected) => Assert.Equal(expected, Classify(statement, broken: true).Kind.ToString());
}
