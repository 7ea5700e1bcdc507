using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;
using ThreadingAnalyzers.Tests.Concurrency;
using Xunit;

namespace ThreadingAnalyzers.Tests.Internals;

public class FieldWritesTests
{
    [Theory]
    [InlineData("_f = new object();", true)]
    [InlineData("this._f = new object();", true)]
    [InlineData("(_f) = new object();", true)]
    [InlineData("_f ??= new object();", true)]
    [InlineData("(_f, _g) = (new object(), new object());", true)]
    [InlineData("((_f, _g), _h) = ((1, 2), 3);", true)]
    [InlineData("Interlocked.Exchange(ref _f, new object());", true)]
    [InlineData("Take(out _f);", true)]
    [InlineData("ref var alias = ref _f;", true)]
    [InlineData("_n++;", true)]
    [InlineData("--_n;", true)]
    [InlineData("_n += 2;", true)]
    [InlineData("var copy = _f;", false)]
    [InlineData("Read(in _f);", false)]
    [InlineData("(_g, _h) = (_f, 1);", false)]
    [InlineData("lock (_f) { }", false)]
    [InlineData("Monitor.Enter(this._f);", false)]
    [InlineData("_g = _f;", false)]
    public void IsWrittenFindsEveryStore(string statement, bool written)
    {
        var (_, root) = EntryPointsTests.Compile($$"""
            using System.Threading;
            class C
            {
                private object _f, _g, _h;
                private int _n;
                void M()
                {
                    {{statement}}
                }
                static void Take(out object o) => o = null;
                static void Read(in object o) { }
            }
            """);
        var reference = root.Descendants().OfType<IFieldReferenceOperation>().First(r => r.Field.Name is "_f" or "_n");

        Assert.Equal(written, ValueWrites.IsWritten(reference));

        // The syntax-only test that spares binding reads must let every store through; of these reads, only the tuple
        // (a deconstruction's source, not its target) looks like one.
        Assert.Equal(written || statement is "(_g, _h) = (_f, 1);", FieldWrites.MayBeWritten(reference.Syntax));
    }

    [Theory]
    [InlineData("C() { _f = new object(); }", null)]
    [InlineData("C() { this._f = new object(); }", null)]
    [InlineData("object F { init { _f = value; } }", null)]
    [InlineData("C(C other) { other._f = new object(); }", "the constructor of C")]
    [InlineData("C() { System.Action a = () => _f = new object(); }", "a lambda in the constructor of C")]
    [InlineData("void Reset() { _f = new object(); }", "Reset")]
    [InlineData("object P { set { _f = value; } }", "P")]
    [InlineData("void Outer() { void Inner() => _f = null; }", "local function Inner in Outer")]
    [InlineData("class Nested { void N(C c) => c._f = null; }", "N")]
    [InlineData("static C() { s_f = new object(); }", null)]
    [InlineData("C() { s_f = new object(); }", "the constructor of C")]
    public void FirstWriteReadonlyForbids(string member, string? expected)
    {
        var (compilation, _) = EntryPointsTests.Compile($$"""
            class C
            {
                private object _f = new object();
                private static object s_f = new object();
                void M() { lock (_f) { } lock (s_f) { } }
                {{member}}
            }
            """);
        var type = compilation.GetTypeByMetadataName("C")!;
        var name = member.Contains("s_f") ? "s_f" : "_f";
        var field = type.GetMembers(name).OfType<IFieldSymbol>().Single();

        Assert.Equal(expected, FieldWrites.FirstWriteReadonlyForbids(field, compilation, CancellationToken.None)?.MemberName);
    }
}
