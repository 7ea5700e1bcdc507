using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR014LockOrderAnalyzer>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR014Tests
{
    [Fact]
    public Task OppositeOrdersInTwoMethods() => Verify.Diagnostic("""
        class Bank
        {
            private readonly object _accounts = new object();
            private readonly object _audit = new object();
            public void Transfer() { {|#2:lock (_accounts) { {|#0:lock (_audit) { }|} }|} }
            public void Flush() { {|#3:lock (_audit) { {|#1:lock (_accounts) { }|} }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("_accounts", "_audit", "'_audit' then '_accounts' in Bank.Flush (line 6)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("_audit", "_accounts", "'_accounts' then '_audit' in Bank.Transfer (line 5)"));

    [Fact]
    public Task NestingThroughACallAndMonitorEnter() => Verify.Diagnostic("""
        using System.Threading;
        class Bank
        {
            private static readonly object s_a = new object();
            private static readonly object s_b = new object();
            public void One() { {|#2:lock (s_a) { TakeB(); }|} }
            public void TakeB() { {|#0:lock (s_b) { }|} }
            public void Two()
            {
                {|#3:Monitor.Enter(s_b)|};
                try { {|#1:Monitor.Enter(s_a)|}; Monitor.Exit(s_a); }
                finally { Monitor.Exit(s_b); }
            }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("s_a", "s_b", "'s_b' then 's_a' in Bank.Two (line 11)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("s_b", "s_a", "'s_a' then 's_b' in Bank.One (line 7)"));

    [Fact]
    public Task CycleThroughThreeLocks() => Verify.Diagnostic("""
        class Store
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private readonly object _c = new object();
            public void One() { {|#3:lock (_a) { {|#0:lock (_b) { }|} }|} }
            public void Two() { {|#4:lock (_b) { {|#1:lock (_c) { }|} }|} }
            public void Three() { {|#5:lock (_c) { {|#2:lock (_a) { }|} }|} }
        }
        """,
        Verify.Expect("THR014", 0).WithLocation(4).WithLocation(1).WithLocation(5).WithLocation(2)
            .WithArguments("_a", "_b", "'_b' then '_c' in Store.Two (line 7), and '_c' then '_a' in Store.Three (line 8)"),
        Verify.Expect("THR014", 1).WithLocation(5).WithLocation(2).WithLocation(3).WithLocation(0)
            .WithArguments("_b", "_c", "'_c' then '_a' in Store.Three (line 8), and '_a' then '_b' in Store.One (line 6)"),
        Verify.Expect("THR014", 2).WithLocation(3).WithLocation(0).WithLocation(4).WithLocation(1)
            .WithArguments("_c", "_a", "'_a' then '_b' in Store.One (line 6), and '_b' then '_c' in Store.Two (line 7)"));

    [Fact]
    public Task ThreeLocksInOneOrderAreSilent() => Verify.Diagnostic("""
        class Store
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private readonly object _c = new object();
            public void One() { lock (_a) { lock (_b) { } } }
            public void Two() { lock (_b) { lock (_c) { } } }
            public void Three() { lock (_a) { lock (_c) { } } }
        }
        """);

    [Theory]
    [InlineData("public void One() { lock (_a) { lock (_b) { } } } public void Two() { lock (_a) { lock (_b) { } } }")]
    [InlineData("public void One() { lock (_gate) { lock (_a) { lock (_b) { } } } } public void Two() { lock (_gate) { lock (_b) { lock (_a) { } } } }")]
    [InlineData("public static void Move(Node x, Node y) { lock (x._a) { lock (y._a) { } } }")]
    [InlineData("public void One() { lock (_a) { } lock (_b) { } } public void Two() { lock (_b) { } lock (_a) { } }")]
    [InlineData("public void One() { lock (_a) { System.Threading.Tasks.Task.Run(() => { lock (_b) { } }); } } public void Two() { lock (_b) { lock (_a) { } } }")]
    [InlineData("public void One(object x) { lock (_a) { lock (x) { } } } public void Two(object x) { lock (x) { lock (_a) { } } }")]
    [InlineData("public void One() { lock (_a) { lock (_a) { } } }")]
    [InlineData("public void One() { lock (_a) { Get(false); } } public void Two() { lock (_b) { Get(true); } } void Get(bool first) { if (first) { lock (_a) { } return; } lock (_b) { } }")]
    public Task SilentOnLookAlikes(string members) => Verify.Diagnostic($$"""
        class Node
        {
            private readonly object _gate = new object();
            private readonly object _a = new object();
            private readonly object _b = new object();
            {{members}}
        }
        """);

    [Theory]
    [InlineData("public void One() { lock (_a) { lock (_b { } } } public void Two() { lock (_b) { lock (_a) { } } }")]
    [InlineData("public void One() { lock (_a) { lock (Missing) { } } } public void Two() { lock (Missing) { lock (_a) { } } }")]
    public Task SilentOnBrokenCode(string members) => Verify.NoDiagnosticInBrokenCode($$"""
        class Node
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            {{members}}
        }
        """);
}
