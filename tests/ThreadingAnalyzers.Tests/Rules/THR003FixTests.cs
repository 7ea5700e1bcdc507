using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using static ThreadingAnalyzers.Tests.Rules.THR003Helpers;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR003LegacyThreadApiAnalyzer, ThreadingAnalyzers.CodeFixes.THR003LegacyThreadApiCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR003 fixes: the mechanical rewrites to the modern API, with the usings they need, and the members left unfixed.</summary>
public class THR003FixTests
{
    private const string Key = "THR003.UseModernApi";

    [Fact]
    public Task FixSetApartmentStateKeepsComments() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                // configure before start
                {|#0:t.ApartmentState = /* single */ ApartmentState.STA|}; // trailing
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                // configure before start
                t.SetApartmentState(/* single */ ApartmentState.STA); // trailing
            }
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.ApartmentState", "Thread.SetApartmentState"));

    [Fact]
    public Task FixSetApartmentStateKeepsLineComment() => Verify.Fix("""
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                {|#0:t.ApartmentState = // single-threaded apartment
                    ApartmentState.STA|};
            }
        }
        """, """
        using System.Threading;
        class C
        {
            void M(Thread t)
            {
                t.SetApartmentState(// single-threaded apartment
        ApartmentState.STA);
            }
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.ApartmentState", "Thread.SetApartmentState"));

    [Fact]
    public Task FixGetApartmentState() => Verify.Fix("""
        using System.Threading;
        class C
        {
            ApartmentState? M(Thread t, Thread maybe)
            {
                var state = /* read */ {|#0:t.ApartmentState|} /* done */;
                if ({|#1:Thread.CurrentThread.ApartmentState|} == ApartmentState.STA)
                {
                    return state;
                }

                return maybe?{|#2:.ApartmentState|};
            }
        }
        """, """
        using System.Threading;
        class C
        {
            ApartmentState? M(Thread t, Thread maybe)
            {
                var state = /* read */ t.GetApartmentState() /* done */;
                if (Thread.CurrentThread.GetApartmentState() == ApartmentState.STA)
                {
                    return state;
                }

                return maybe?.GetApartmentState();
            }
        }
        """, Key,
        Verify.Expect("THR003", 0).WithArguments("Thread.ApartmentState", "Thread.GetApartmentState"),
        Verify.Expect("THR003", 1).WithArguments("Thread.ApartmentState", "Thread.GetApartmentState"),
        Verify.Expect("THR003", 2).WithArguments("Thread.ApartmentState", "Thread.GetApartmentState"));

    [Fact]
    public Task FixVolatileReadAndWriteDoesNotDuplicateUsing() => Verify.Fix("""
        using System.Threading;
        class C
        {
            int _ready;
            object _value;

            void Publish(object value)
            {
                {|#0:Thread.VolatileWrite(ref _value, value)|};
                {|#1:Thread.VolatileWrite(ref _ready, 1)|}; // publish
            }

            object Read() => {|#2:Thread.VolatileRead(ref _ready)|} == 1 ? {|#3:Thread.VolatileRead(ref _value)|} : null;
        }
        """, """
        using System.Threading;
        class C
        {
            int _ready;
            object _value;

            void Publish(object value)
            {
                Volatile.Write(ref _value, value);
                Volatile.Write(ref _ready, 1); // publish
            }

            object Read() => Volatile.Read(ref _ready) == 1 ? Volatile.Read(ref _value) : null;
        }
        """, Key,
        Verify.Expect("THR003", 0).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
        Verify.Expect("THR003", 1).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
        Verify.Expect("THR003", 2).WithArguments("Thread.VolatileRead", "Volatile.Read"),
        Verify.Expect("THR003", 3).WithArguments("Thread.VolatileRead", "Volatile.Read"));

    [Fact]
    public Task FixStripsPositionalArgumentNames() => Verify.Fix("""
        using System.Threading;
        class C
        {
            long _total;

            void M()
            {
                {|#0:Thread.VolatileWrite(
                    address: ref _total,
                    value: 5)|};
            }
        }
        """, """
        using System.Threading;
        class C
        {
            long _total;

            void M()
            {
                Volatile.Write(
                    ref _total,
                    5);
            }
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.VolatileWrite", "Volatile.Write"));

    [Fact]
    public Task FixMemoryBarrierUnderUsingStaticAddsUsing() => Verify.Fix("""
        using static System.Threading.Thread;
        class C
        {
            void M()
            {
                {|#0:MemoryBarrier()|};
            }
        }
        """, """
        using System.Threading;
        using static System.Threading.Thread;
        class C
        {
            void M()
            {
                Interlocked.MemoryBarrier();
            }
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"));

    [Fact]
    public Task FixFullyQualifiedMemoryBarrier() => Verify.Fix("""
        class C
        {
            void M()
            {
                {|#0:global::System.Threading.Thread.MemoryBarrier()|};
                System.Action barrier = {|#1:System.Threading.Thread.MemoryBarrier|};
            }
        }
        """, """
        using System.Threading;

        class C
        {
            void M()
            {
                Interlocked.MemoryBarrier();
                System.Action barrier = Interlocked.MemoryBarrier;
            }
        }
        """, Key,
        Verify.Expect("THR003", 0).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"),
        Verify.Expect("THR003", 1).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"));

    [Fact]
    public Task FixCurrentManagedThreadIdAddsUsingSystem() => Verify.Fix("""
        using System.Threading;
        class C
        {
            int M()
            {
                var current = Thread.CurrentThread;
                var first = {|#0:current.ManagedThreadId|};
                return first + /* again */ {|#1:Thread.CurrentThread.ManagedThreadId|};
            }
        }
        """, """
        using System;
        using System.Threading;
        class C
        {
            int M()
            {
                var current = Thread.CurrentThread;
                var first = Environment.CurrentManagedThreadId;
                return first + /* again */ Environment.CurrentManagedThreadId;
            }
        }
        """, Key,
        Verify.Expect("THR003", 0).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"),
        Verify.Expect("THR003", 1).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"));

    [Fact]
    public Task FixGetDomain() => Verify.Fix("""
        using System;
        using System.Threading;
        class C
        {
            string M() => {|#0:Thread.GetDomain()|}.FriendlyName;
        }
        """, """
        using System;
        using System.Threading;
        class C
        {
            string M() => AppDomain.CurrentDomain.FriendlyName;
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.GetDomain", "AppDomain.CurrentDomain"));

    [Fact]
    public Task FixKeepsQualificationWhenAUserTypeHidesTheName() => Verify.Fix("""
        using System.Threading;
        class Volatile { }
        class C
        {
            int _field;
            int M() => {|#0:Thread.VolatileRead(ref _field)|};
        }
        """, """
        using System.Threading;
        class Volatile { }
        class C
        {
            int _field;
            int M() => System.Threading.Volatile.Read(ref _field);
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.VolatileRead", "Volatile.Read"));

    [Fact]
    public Task FixDoesNotAddAUsingThatMakesAnotherNameAmbiguous() => Verify.Fix("""
        using System.Timers;
        using static System.Threading.Thread;
        class C
        {
            Timer _timer = new Timer(1000);

            void M()
            {
                {|#0:MemoryBarrier()|};
            }
        }
        """, """
        using System.Timers;
        using static System.Threading.Thread;
        class C
        {
            Timer _timer = new Timer(1000);

            void M()
            {
                System.Threading.Interlocked.MemoryBarrier();
            }
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"));

    [Fact]
    public Task FixKeepsTheFileHeaderAboveTheAddedUsing() => Verify.Fix("""
        // Copyright (c) Contoso.
        using System.Threading;

        class C
        {
            int M() => {|#0:Thread.CurrentThread.ManagedThreadId|};
        }
        """, """
        // Copyright (c) Contoso.
        using System;
        using System.Threading;

        class C
        {
            int M() => Environment.CurrentManagedThreadId;
        }
        """, Key, Verify.Expect("THR003").WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"));

    [Fact]
    public Task FixUsesAGlobalUsingFromAnotherFile()
    {
        var test = new Verify.Test
        {
            TestState =
            {
                Sources =
                {
                    """
                    class C
                    {
                        void M()
                        {
                            {|#0:System.Threading.Thread.MemoryBarrier()|};
                        }
                    }
                    """,
                    "global using System.Threading;\n",
                },
            },
            FixedState =
            {
                Sources =
                {
                    """
                    class C
                    {
                        void M()
                        {
                            Interlocked.MemoryBarrier();
                        }
                    }
                    """,
                    "global using System.Threading;\n",
                },
            },
            CodeActionEquivalenceKey = Key,
        };
        test.ExpectedDiagnostics.Add(Verify.Expect("THR003").WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task FixAllRewritesEverySiteIncludingNestedOnes()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading;
                class C
                {
                    int _a;
                    int _b;

                    void M(Thread t, Thread u)
                    {
                        {|#0:Thread.VolatileWrite(ref _a, {|#1:Thread.VolatileRead(ref _b)|})|};
                        {|#2:t.ApartmentState = {|#3:u.ApartmentState|}|};
                        {|#4:Thread.MemoryBarrier()|};
                        {|#5:Thread.VolatileWrite(ref _b, {|#6:Thread.CurrentThread.ManagedThreadId|})|};
                        {|#7:t.Abort()|};
                    }
                }
                """,
            FixedCode = """
                using System;
                using System.Threading;
                class C
                {
                    int _a;
                    int _b;

                    void M(Thread t, Thread u)
                    {
                        Volatile.Write(ref _a, Volatile.Read(ref _b));
                        t.SetApartmentState(u.GetApartmentState());
                        Interlocked.MemoryBarrier();
                        Volatile.Write(ref _b, Environment.CurrentManagedThreadId);
                        {|#0:t.Abort()|};
                    }
                }
                """,
            CodeActionEquivalenceKey = Key,
        };
        test.ExpectedDiagnostics.AddRange(new[]
        {
            Verify.Expect("THR003", 0).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
            Verify.Expect("THR003", 1).WithArguments("Thread.VolatileRead", "Volatile.Read"),
            Verify.Expect("THR003", 2).WithArguments("Thread.ApartmentState", "Thread.SetApartmentState"),
            Verify.Expect("THR003", 3).WithArguments("Thread.ApartmentState", "Thread.GetApartmentState"),
            Verify.Expect("THR003", 4).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"),
            Verify.Expect("THR003", 5).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
            Verify.Expect("THR003", 6).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"),
            Verify.Expect("THR003", 7).WithArguments("Thread.Abort", Cancellation),
        });

        // Abort has no mechanical rewrite: it stays, still reported.
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.FixedState.ExpectedDiagnostics.Add(Verify.Expect("THR003", 0).WithArguments("Thread.Abort", Cancellation));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task FixOutputCompilesOnNet10() => Verify.Fix("""
        #pragma warning disable SYSLIB0054 // Thread.VolatileRead/VolatileWrite are obsolete on .NET 9 and later
        using System;
        using System.Threading;
        class C
        {
            long _total;
            object _box;

            string M(Thread t)
            {
                {|#0:Thread.VolatileWrite(ref _total, {|#1:Thread.VolatileRead(ref _total)|} + 1)|};
                {|#2:Thread.VolatileWrite(ref _box, "boxed")|};
                {|#3:Thread.MemoryBarrier()|};
                {|#4:t.ApartmentState = ApartmentState.MTA|};
                return $"{{|#5:Thread.CurrentThread.ManagedThreadId|}} {{|#6:t.ApartmentState|}} {{|#7:Thread.GetDomain()|}.FriendlyName}";
            }
        }
        """, """
        #pragma warning disable SYSLIB0054 // Thread.VolatileRead/VolatileWrite are obsolete on .NET 9 and later
        using System;
        using System.Threading;
        class C
        {
            long _total;
            object _box;

            string M(Thread t)
            {
                Volatile.Write(ref _total, Volatile.Read(ref _total) + 1);
                Volatile.Write(ref _box, "boxed");
                Interlocked.MemoryBarrier();
                t.SetApartmentState(ApartmentState.MTA);
                return $"{Environment.CurrentManagedThreadId} {t.GetApartmentState()} {AppDomain.CurrentDomain.FriendlyName}";
            }
        }
        """, Key, net10: true,
        Verify.Expect("THR003", 0).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
        Verify.Expect("THR003", 1).WithArguments("Thread.VolatileRead", "Volatile.Read"),
        Verify.Expect("THR003", 2).WithArguments("Thread.VolatileWrite", "Volatile.Write"),
        Verify.Expect("THR003", 3).WithArguments("Thread.MemoryBarrier", "Interlocked.MemoryBarrier"),
        Verify.Expect("THR003", 4).WithArguments("Thread.ApartmentState", "Thread.SetApartmentState"),
        Verify.Expect("THR003", 5).WithArguments("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId"),
        Verify.Expect("THR003", 6).WithArguments("Thread.ApartmentState", "Thread.GetApartmentState"),
        Verify.Expect("THR003", 7).WithArguments("Thread.GetDomain", "AppDomain.CurrentDomain"));

    [Theory]
    [InlineData("{|#0:t.Abort()|};", "Thread.Abort", Cancellation)]
    [InlineData("{|#0:t.Suspend()|};", "Thread.Suspend", Handshake)]
    [InlineData("var s = {|#0:Thread.AllocateDataSlot()|};", "Thread.AllocateDataSlot", ThreadLocalStorage)]
    [InlineData("var stack = {|#0:t.GetCompressedStack()|};", "Thread.GetCompressedStack", "ExecutionContext")]
    [InlineData("{|#0:Thread.GetDomain()|};", "Thread.GetDomain", "AppDomain.CurrentDomain")]
    [InlineData("Func<AppDomain> f = {|#0:Thread.GetDomain|};", "Thread.GetDomain", "AppDomain.CurrentDomain")]
    [InlineData("var w = new Thread(() => { }) { {|#0:ApartmentState = ApartmentState.STA|} };", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("var s = {|#0:t.ApartmentState = ApartmentState.STA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("{|#0:Thread.VolatileWrite(value: 1, address: ref _field)|};", "Thread.VolatileWrite", "Volatile.Write")]
    [InlineData("{|#0:t.ApartmentState |= ApartmentState.MTA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    [InlineData("Func<ApartmentState> f = () => {|#0:t.ApartmentState = ApartmentState.MTA|};", "Thread.ApartmentState", "Thread.SetApartmentState")]
    public Task NoFixWhereTheRewriteIsNotMechanical(string statement, string legacy, string replacement) =>
        Verify.NoFix(InMethod(statement), Key, Verify.Expect("THR003").WithArguments(legacy, replacement));
}
