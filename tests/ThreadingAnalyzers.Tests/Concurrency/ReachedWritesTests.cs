using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class ReachedWritesTests
{
    /// <summary>What <see cref="ReachedWrites.MayBringUnlockedWrite"/> says of the lambda that M passes to Task.Run ("open" for null).</summary>
    private static string Answer(string lambdaBody)
    {
        var (compilation, root) = ModelSource.Compile($$"""
            using System.Runtime.CompilerServices;
            using System.Threading.Tasks;
            class C
            {
                private static int s_n;
                private readonly object _gate = new object();
                private readonly C _other = null;
                private int _n;
                void M()
                {
                    Task.Run(() => { {{lambdaBody}} });
                }
                void Bump() { _n++; }
                void BumpStatic() { s_n++; }
                [MethodImpl(MethodImplOptions.Synchronized)]
                void Synced() { _n++; Bump(); }
                void MakeCounting() { new Counting(); }
                void MakeOwn() { new Own(); }
                void A1() { A2(); }
                void A2() { A3(); }
                void A3() { A4(); }
                void A4() { A5(); }
                void A5() { A6(); }
                void A6() { _n++; }
                class Counting { public Counting() { s_n++; } }
                class Own { private int _o; public Own() { _o++; } }
            }
            """);
        var lambda = root.Descendants().OfType<IAnonymousFunctionOperation>().First();
        var types = ThreadingTypes.From(compilation);
        var reach = Reach.For(compilation);
        var scope = new FunctionScope(types, reach, lambda, null, lambda.Symbol, Sharing.StarterThis, isStarter: false);
        return ReachedWrites.MayBringUnlockedWrite(scope, reach.CallsIn(lambda), types, reach, CancellationToken.None) switch
        {
            true => "yes",
            false => "no",
            null => "open",
        };
    }

    [Theory]
    [InlineData("Bump();", "yes")]
    [InlineData("_other.Bump();", "yes")]
    [InlineData("new C().BumpStatic();", "yes")]
    [InlineData("MakeCounting();", "yes")]
    // A write the body's full walk drops: below a lock, on an object the body cannot name, in a Synchronized method.
    [InlineData("lock (_gate) { Bump(); }", "no")]
    [InlineData("new C().Bump();", "no")]
    [InlineData("Synced();", "no")]
    [InlineData("MakeOwn();", "no")]
    [InlineData("System.Console.WriteLine(_n);", "no")]
    // Deeper than the full walk goes: it may still reach A6 by a shorter path, so the search cannot say no.
    [InlineData("A1();", "open")]
    public void AnswersForTheWriteTheFullWalkKeeps(string lambdaBody, string expected) => Assert.Equal(expected, Answer(lambdaBody));
}
