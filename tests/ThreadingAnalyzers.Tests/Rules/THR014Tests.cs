using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using ThreadingAnalyzers.Rules;
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
    // Re-entered: Connect holds both locks when Disconnect takes them again, so Disconnect's order waits for nothing.
    [InlineData("public void Connect() { lock (_a) { lock (_b) { Disconnect(); } } } public void Disconnect() { lock (_a) { lock (_b) { } } }")]
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

    [Fact]
    public Task CycleThroughStaticLocksOfTwoTypes() => Verify.Diagnostic("""
        static class Gates
        {
            public static readonly object A = new object();
            public static readonly object B = new object();
        }
        class One { public void Run() { {|#2:lock (Gates.A) { {|#0:lock (Gates.B) { }|} }|} } }
        class Two { public void Run() { {|#3:lock (Gates.B) { {|#1:lock (Gates.A) { }|} }|} } }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("A", "B", "'B' then 'A' in Two.Run (line 7)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("B", "A", "'A' then 'B' in One.Run (line 6)"));

    [Fact]
    public Task CycleThroughCallsIntoAnotherType() => Verify.Diagnostic("""
        class Accounts
        {
            private static readonly object s_accounts = new object();
            private readonly Audit _audit = new Audit();
            public void Transfer() { {|#2:lock (s_accounts) { _audit.Record(); }|} }
            public static void Touch() { {|#1:lock (s_accounts) { }|} }
        }
        class Audit
        {
            private static readonly object s_audit = new object();
            public void Record() { Write(); }
            private static void Write() { {|#0:lock (s_audit) { }|} }
            public static void Flush() { {|#3:lock (s_audit) { Accounts.Touch(); }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("s_accounts", "s_audit", "'s_audit' then 's_accounts' in Audit.Flush (line 6)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("s_audit", "s_accounts", "'s_accounts' then 's_audit' in Accounts.Transfer (line 12)"));

    [Fact]
    public Task CycleThroughAParameterAndASealedOverride() => Verify.Diagnostic("""
        abstract class Sink { public abstract void Write(); }
        sealed class Audit : Sink
        {
            private static readonly object s_audit = new object();
            public override void Write() { {|#0:lock (s_audit) { }|} }
            public static void Flush(Ledger ledger) { {|#3:lock (s_audit) { ledger.Touch(); }|} }
        }
        class Ledger
        {
            private static readonly object s_ledger = new object();
            public void Post(Audit audit) { {|#2:lock (s_ledger) { audit.Write(); }|} }
            public void Touch() { {|#1:lock (s_ledger) { }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("s_ledger", "s_audit", "'s_audit' then 's_ledger' in Audit.Flush (line 12)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("s_audit", "s_ledger", "'s_ledger' then 's_audit' in Ledger.Post (line 5)"));

    [Fact]
    public Task ReenteredLocksStillOrderTheOthers() => Verify.Diagnostic("""
        class Device
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            public void Connect() { {|#2:lock (_b) { {|#0:lock (_a) { Disconnect(); }|} }|} }
            public void Disconnect() { {|#3:lock (_a) { {|#1:lock (_b) { }|} }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("_b", "_a", "'_a' then '_b' in Device.Disconnect (line 6)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("_a", "_b", "'_b' then '_a' in Device.Connect (line 5)"));

    [Fact]
    public Task CycleThroughAPublicHelperAndFieldsOfOtherTypes() => Verify.Diagnostic("""
        class Ledger
        {
            private static readonly object s_ledger = new object();
            private readonly Audit _audit = new Audit();
            public void Post() { {|#2:lock (s_ledger) { Log(); }|} }
            public void Log() { _audit.Record(); }
            public static void Touch() { {|#1:lock (s_ledger) { }|} }
        }
        class Audit
        {
            private readonly Journal _journal = new Journal();
            public void Record() { _journal.Write(); }
        }
        class Journal
        {
            private static readonly object s_journal = new object();
            public void Write() { {|#0:lock (s_journal) { }|} }
            public static void Flush() { {|#3:lock (s_journal) { Ledger.Touch(); }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("s_ledger", "s_journal", "'s_journal' then 's_ledger' in Journal.Flush (line 7)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("s_journal", "s_ledger", "'s_ledger' then 's_journal' in Ledger.Post (line 17)"));

    [Fact]
    public Task CycleThroughFourLocks() => Verify.Diagnostic("""
        class Store
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            private readonly object _c = new object();
            private readonly object _d = new object();
            public void One() { {|#4:lock (_a) { {|#0:lock (_b) { }|} }|} }
            public void Two() { {|#5:lock (_b) { {|#1:lock (_c) { }|} }|} }
            public void Three() { {|#6:lock (_c) { {|#2:lock (_d) { }|} }|} }
            public void Four() { {|#7:lock (_d) { {|#3:lock (_a) { }|} }|} }
        }
        """,
        Verify.Expect("THR014", 0).WithLocation(5).WithLocation(1).WithLocation(6).WithLocation(2).WithLocation(7).WithLocation(3)
            .WithArguments("_a", "_b", "'_b' then '_c' in Store.Two (line 8), '_c' then '_d' in Store.Three (line 9), and '_d' then '_a' in Store.Four (line 10)"),
        Verify.Expect("THR014", 1).WithLocation(6).WithLocation(2).WithLocation(7).WithLocation(3).WithLocation(4).WithLocation(0)
            .WithArguments("_b", "_c", "'_c' then '_d' in Store.Three (line 9), '_d' then '_a' in Store.Four (line 10), and '_a' then '_b' in Store.One (line 7)"),
        Verify.Expect("THR014", 2).WithLocation(7).WithLocation(3).WithLocation(4).WithLocation(0).WithLocation(5).WithLocation(1)
            .WithArguments("_c", "_d", "'_d' then '_a' in Store.Four (line 10), '_a' then '_b' in Store.One (line 7), and '_b' then '_c' in Store.Two (line 8)"),
        Verify.Expect("THR014", 3).WithLocation(4).WithLocation(0).WithLocation(5).WithLocation(1).WithLocation(6).WithLocation(2)
            .WithArguments("_d", "_a", "'_a' then '_b' in Store.One (line 7), '_b' then '_c' in Store.Two (line 8), and '_c' then '_d' in Store.Three (line 9)"));

    [Fact]
    public Task CycleThroughFiveStaticLocksOfThreeTypes() => Verify.Diagnostic("""
        static class P
        {
            public static readonly object A = new object();
            public static readonly object B = new object();
        }
        static class Q
        {
            public static readonly object C = new object();
            public static readonly object D = new object();
            public static void AB() { {|#5:lock (P.A) { {|#0:lock (P.B) { }|} }|} }
            public static void BC() { {|#6:lock (P.B) { {|#1:lock (C) { }|} }|} }
        }
        static class R
        {
            public static readonly object E = new object();
            public static void CD() { {|#7:lock (Q.C) { {|#2:lock (Q.D) { }|} }|} }
            public static void DE() { {|#8:lock (Q.D) { TakeE(); }|} }
            public static void EA() { {|#9:lock (E) { {|#4:lock (P.A) { }|} }|} }
            private static void TakeE() { {|#3:lock (E) { }|} }
        }
        """,
        Verify.Expect("THR014", 0).WithLocation(6).WithLocation(1).WithLocation(7).WithLocation(2).WithLocation(8).WithLocation(3).WithLocation(9).WithLocation(4)
            .WithArguments("A", "B", "'B' then 'C' in Q.BC (line 11), 'C' then 'D' in R.CD (line 16), 'D' then 'E' in R.DE (line 19), and 'E' then 'A' in R.EA (line 18)"),
        Verify.Expect("THR014", 1).WithLocation(7).WithLocation(2).WithLocation(8).WithLocation(3).WithLocation(9).WithLocation(4).WithLocation(5).WithLocation(0)
            .WithArguments("B", "C", "'C' then 'D' in R.CD (line 16), 'D' then 'E' in R.DE (line 19), 'E' then 'A' in R.EA (line 18), and 'A' then 'B' in Q.AB (line 10)"),
        Verify.Expect("THR014", 2).WithLocation(8).WithLocation(3).WithLocation(9).WithLocation(4).WithLocation(5).WithLocation(0).WithLocation(6).WithLocation(1)
            .WithArguments("C", "D", "'D' then 'E' in R.DE (line 19), 'E' then 'A' in R.EA (line 18), 'A' then 'B' in Q.AB (line 10), and 'B' then 'C' in Q.BC (line 11)"),
        Verify.Expect("THR014", 3).WithLocation(9).WithLocation(4).WithLocation(5).WithLocation(0).WithLocation(6).WithLocation(1).WithLocation(7).WithLocation(2)
            .WithArguments("D", "E", "'E' then 'A' in R.EA (line 18), 'A' then 'B' in Q.AB (line 10), 'B' then 'C' in Q.BC (line 11), and 'C' then 'D' in R.CD (line 16)"),
        Verify.Expect("THR014", 4).WithLocation(5).WithLocation(0).WithLocation(6).WithLocation(1).WithLocation(7).WithLocation(2).WithLocation(8).WithLocation(3)
            .WithArguments("E", "A", "'A' then 'B' in Q.AB (line 10), 'B' then 'C' in Q.BC (line 11), 'C' then 'D' in R.CD (line 16), and 'D' then 'E' in R.DE (line 19)"));

    [Fact]
    public Task OtherOrderInAnotherFileNamesTheFile()
    {
        var test = new Verifier<THR014LockOrderAnalyzer, EmptyCodeFixProvider>.Test();
        test.TestState.Sources.Add(("/0/Ledger.cs", """
            class Ledger
            {
                private static readonly object s_ledger = new object();
                public static void Post() { {|#0:lock (s_ledger) { Journal.Write(); }|} }
                public static void Read() { {|#1:lock (s_ledger) { }|} }
            }
            """));
        test.TestState.Sources.Add(("/0/Journal.cs", """
            class Journal
            {
                private static readonly object s_journal = new object();
                public static void Write() { {|#2:lock (s_journal) { }|} }
                public static void Flush() { {|#3:lock (s_journal) { Ledger.Read(); }|} }
            }
            """));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR014", 1).WithLocation(0).WithLocation(2)
            .WithArguments("s_journal", "s_ledger", "'s_ledger' then 's_journal' in Ledger.Post (line 4 of Journal.cs)"));
        test.ExpectedDiagnostics.Add(Verify.Expect("THR014", 2).WithLocation(3).WithLocation(1)
            .WithArguments("s_ledger", "s_journal", "'s_journal' then 's_ledger' in Journal.Flush (line 5 of Ledger.cs)"));
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    // Under a common outer lock.
    [InlineData("class One { public void Run() { lock (G.Outer) { lock (G.A) { Two.TakeB(); } } } } class Two { public static void TakeB() { lock (G.B) { } } public void Run() { lock (G.Outer) { lock (G.B) { lock (G.A) { } } } } }")]
    // One order everywhere.
    [InlineData("class One { public void Run() { lock (G.A) { Two.TakeB(); } } } class Two { public static void TakeB() { lock (G.B) { } } public void Run() { lock (G.A) { lock (G.B) { } } } }")]
    // Instance locks reached through other objects: two objects, two locks, as far as the code shows.
    [InlineData("class One { private readonly object _a = new object(); private Two _two = new Two(); public void Run() { lock (_a) { _two.Take(); } } public void Take() { lock (_a) { } } } class Two { private readonly object _b = new object(); private One _one = new One(); public void Take() { lock (_b) { } } public void Run() { lock (_b) { _one.Take(); } } }")]
    // An instance lock on one side, a static one on the other: the instance may not be the one the other side locks.
    [InlineData("class One { private readonly object _a = new object(); public void Run() { lock (_a) { Two.TakeB(); } } public void Take() { lock (_a) { } } } class Two { public static void TakeB() { lock (G.B) { } } public static void Run(One one) { lock (G.B) { one.Take(); } } }")]
    // The callee takes the lock on one branch only.
    [InlineData("class One { public void Run() { lock (G.A) { Two.TakeB(false); } } } class Two { public static void TakeB(bool really) { if (really) { lock (G.B) { } } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    // A TryEnter with a timeout gives up: it cannot wait forever.
    [InlineData("class One { public void Run() { lock (G.A) { if (System.Threading.Monitor.TryEnter(G.B, 100)) { System.Threading.Monitor.Exit(G.B); } } } } class Two { public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    [InlineData("class One { public void Run() { lock (G.A) { if (System.Threading.Monitor.TryEnter(G.B)) { System.Threading.Monitor.Exit(G.B); } } } } class Two { public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    // An overridable method may run as an override that takes no lock.
    [InlineData("class One { public void Run(Two two) { lock (G.A) { two.TakeB(); } } } class Two { public virtual void TakeB() { lock (G.B) { } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    [InlineData("class One { public void Run(ITwo two) { lock (G.A) { two.TakeB(); } } } interface ITwo { void TakeB(); } class Two : ITwo { public void TakeB() { lock (G.B) { } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    // A generic type's static is one object per type argument.
    [InlineData("static class Cache<T> { public static readonly object Gate = new object(); } class One { public void Run() { lock (G.A) { lock (Cache<int>.Gate) { } } } } class Two { public void Run() { lock (Cache<string>.Gate) { lock (G.A) { } } } }")]
    // A lambda that runs elsewhere holds nothing of its creator.
    [InlineData("class One { public void Run() { lock (G.A) { System.Threading.Tasks.Task.Run(() => Two.TakeB()); } } } class Two { public static void TakeB() { lock (G.B) { } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    public Task SilentOnLookAlikesAcrossTypes(string types) => Verify.Diagnostic($$"""
        static class G
        {
            public static readonly object Outer = new object();
            public static readonly object A = new object();
            public static readonly object B = new object();
        }
        {{types}}
        """);

    [Fact]
    public Task TryEnterWaitingForeverIsAnAcquisition() => Verify.Diagnostic("""
        using System.Threading;
        class Node
        {
            private readonly object _a = new object();
            private readonly object _b = new object();
            public void One() { {|#2:lock (_a) { if ({|#0:Monitor.TryEnter(_b, Timeout.Infinite)|}) { Monitor.Exit(_b); } }|} }
            public void Two() { {|#3:lock (_b) { {|#1:lock (_a) { }|} }|} }
        }
        """,
        Verify.Expect("THR014").WithLocation(3).WithLocation(1).WithArguments("_a", "_b", "'_b' then '_a' in Node.Two (line 7)"),
        Verify.Expect("THR014", 1).WithLocation(2).WithLocation(0).WithArguments("_b", "_a", "'_a' then '_b' in Node.One (line 6)"));

    [Theory]
    [InlineData("class One { public void Run() { lock (G.A) { Missing.TakeB(); } } } class Two { public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    [InlineData("class One { public void Run() { lock (G.A) { Two.TakeB(); } } } class Two { public static void TakeB() { lock (G.B { } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    [InlineData("class One { public void Run() { lock (G.A) { Two.TakeB(; } } } class Two { public static void TakeB() { lock (G.B) { } } public void Run() { lock (G.B) { lock (G.A) { } } } }")]
    public Task SilentOnBrokenCodeAcrossTypes(string types) => Verify.NoDiagnosticInBrokenCode($$"""
        static class G
        {
            public static readonly object A = new object();
            public static readonly object B = new object();
        }
        {{types}}
        """);
}
