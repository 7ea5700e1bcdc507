using System.Collections.Generic;
using System.Linq;
using System.Threading;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Internals;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class SharingTests
{
    /// <summary>Each unlocked write of a concurrent body in M, in source order, with the other execution it meets ("none" when it races with nothing).</summary>
    private static string Conflicts(string body, bool broken = false)
    {
        var (compilation, root) = ModelSource.Compile($$"""
            using System.Threading;
            using System.Threading.Tasks;
            class C
            {
                private readonly object _gate = new object();
                private int _n;
                private volatile int _v;
                void M()
                {
                    {{body}}
                }
            }
            """, broken);
        var owner = compilation.GetTypeByMetadataName("C")!.GetMembers("M").Single();
        var sharing = Sharing.Analyze(root, owner, EntryPointText.Positions(root.Syntax.SyntaxTree), ThreadingTypes.From(compilation), Reach.For(compilation), CancellationToken.None);
        var found = new List<(int Position, string Text)>();
        foreach (var run in sharing.Runs)
        {
            foreach (var access in run.Accesses.Where(a => a.IsUnlockedWrite))
            {
                found.Add((access.Operation.Syntax.SpanStart, $"{access.Operation.Syntax}: {sharing.ConflictOf(run, access)?.Kind.ToString() ?? "none"}"));
            }
        }

        return string.Join("; ", found.OrderBy(f => f.Position).Select(f => f.Text));
    }

    [Theory]
    [InlineData("Parallel.For(0, 10, i => _n++);", "_n++: SameBodyAgain")]
    [InlineData("Parallel.For(0, 10, i => { _n = i; });", "_n = i: SameBodyAgain")]
    [InlineData("var t = Task.Run(() => _n++); _n = 5; t.Wait();", "_n++: Starter")]
    [InlineData("var t = Task.Run(() => _n++); var seen = _n; t.Wait();", "_n++: Starter")]
    [InlineData("var a = Task.Run(() => _n++); var b = Task.Run(() => { _n = System.Environment.TickCount; }); Task.WaitAll(a, b);", "_n++: OtherBody; _n = System.Environment.TickCount: OtherBody")]
    public void WritesThatMeetAnotherExecution(string body, string expected) => Assert.Equal(expected, Conflicts(body));

    [Theory]
    // Locked, atomic or benign (constant, volatile) writes are no unlocked write at all.
    [InlineData("Parallel.For(0, 10, i => { lock (_gate) { _n++; } });", "")]
    [InlineData("Parallel.For(0, 10, i => { _n = 1; });", "")]
    [InlineData("Parallel.For(0, 10, i => Interlocked.Increment(ref _n));", "")]
    [InlineData("Parallel.For(0, 10, i => { _v = 1; });", "")]
    // A local of the body is new in every run.
    [InlineData("Parallel.For(0, 10, i => { var local = 0; local++; });", "")]
    // The starter touches the field only after waiting for the body: the write is seen, and meets nothing.
    [InlineData("var t = Task.Run(() => _n++); t.Wait(); _n = 5;", "_n++: none")]
    [InlineData("Task.Run(() => _n++).Wait(); _n = 5;", "")]
    // Two bodies that never run at the same time.
    [InlineData("Task.Run(() => _n++).Wait(); Task.Run(() => _n++).Wait();", "")]
    public void LookAlikesThatRaceWithNothing(string body, string expected) => Assert.Equal(expected, Conflicts(body));

    // The model answers for what it can see; the rules do not ask it about members with syntax errors (BrokenCode).
    [Theory]
    [InlineData("Parallel.For(0, 10, i => _n++; Missing(", "_n++: SameBodyAgain")]
    [InlineData("Parallel.For(0, 10, i => _n.Missing());", "")]
    public void BrokenCodeDoesNotThrow(string body, string expected) => Assert.Equal(expected, Conflicts(body, broken: true));
}
