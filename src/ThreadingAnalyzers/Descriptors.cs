using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers;

/// <summary>Every rule's id, title, message, category, severity and help link, in one place so ids never collide.</summary>
internal static class Descriptors
{
    internal const string HelpLinkBase = "https://github.com/ThreadingAnalyzers/ThreadingAnalyzers/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor THR001 = Rule(
        "THR001",
        "Foreground thread is started but never joined",
        "Thread '{0}' is started but never joined and is not a background thread; it keeps the process alive after Main returns. Join it or set IsBackground = true.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A Thread created with new Thread(...) is a foreground thread unless IsBackground is set to true. A started foreground thread that nobody joins keeps the process alive after Main returns, and its failures are invisible to the code that started it. Join the thread where its work must be finished, or mark it as a background thread if the process may end without it.");

    public static readonly DiagnosticDescriptor THR002 = Rule(
        "THR002",
        "Shared state is mutated without synchronization",
        "'{0}' is {1} by code started with {2} without a lock; other threads can lose updates",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A field, captured local or non-thread-safe collection that several threads can reach is written by code that runs concurrently, without a lock, Monitor, Interlocked or another synchronization primitive. Concurrent read-modify-write operations lose updates and non-thread-safe collections corrupt their internal state. Use Interlocked for counters, a lock for other writes, or a concurrent collection.");

    public static readonly DiagnosticDescriptor THR003 = Rule(
        "THR003",
        "Legacy Thread API: use the modern equivalent",
        "'{0}' is a legacy Thread API; use {1}",
        Category.Maintainability,
        DiagnosticSeverity.Warning,
        "Some Thread members are obsolete, throw on .NET Core, or are superseded by clearer APIs, as the setName()/setDaemon() accessor style is in other languages. Use the modern equivalent: Volatile, Interlocked, Environment.CurrentManagedThreadId, SetApartmentState, CancellationToken, ThreadLocal<T> and friends.");

    public static readonly DiagnosticDescriptor THR004 = Rule(
        "THR004",
        "CPU-bound work runs on a dedicated thread",
        "Thread '{0}' runs a finite CPU-bound computation on a dedicated thread; use {1} so the thread pool sizes the work to the cores",
        Category.Performance,
        DiagnosticSeverity.Info,
        "A dedicated Thread costs about 1 MB of stack and a kernel thread, and many of them oversubscribe the cores. Finite CPU-bound work belongs on the thread pool, which sizes itself to the machine: Task.Run for one piece of work, Parallel.For for partitioned work.");

    public static readonly DiagnosticDescriptor THR005 = Rule(
        "THR005",
        "Thread is created but never started",
        "Thread '{0}' is created but never started, so its work never runs; call {0}.Start() or remove it",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A Thread does nothing until Start is called. A thread held in a local that the method never starts and never hands to other code is dead: the work it was made for silently never runs, and Join on it throws ThreadStateException. Start the thread, or remove it.");

    public static readonly DiagnosticDescriptor THR006 = Rule(
        "THR006",
        "Loop variable captured by a concurrently running delegate",
        "'{0}' is changed by the loop while the code started with {1} may still read it; copy it to a local inside the loop and capture the copy",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A lambda captures variables, not values. A for loop variable, or a variable declared before a loop and changed in it, is one variable for all iterations: a thread, task or timer started in the loop that reads it sees its value when it runs, usually a later iteration's or the final one. Copy the variable to a local declared inside the loop and capture the copy. foreach iteration variables are new in every iteration and are not affected.");

    public static readonly DiagnosticDescriptor THR007 = Rule(
        "THR007",
        "Busy-waiting on IsAlive/ThreadState",
        "This loop busy-waits until '{0}' is false; call Join() on the thread instead of polling it",
        Category.Performance,
        DiagnosticSeverity.Warning,
        "A loop that does nothing but poll Thread.IsAlive or Thread.ThreadState, with an empty body or only Sleep, Yield or SpinWait calls, burns a core (or wakes up needlessly) while it waits, and with Sleep it notices the end of the thread late. Thread.Join() blocks until the thread ends, without spinning, and returns at once when it has.");

    public static readonly DiagnosticDescriptor THR008 = Rule(
        "THR008",
        "Result of Join(timeout) is ignored",
        "The result of '{0}.Join(timeout)' is ignored; it is false when the thread is still running after the timeout, so check it before relying on the thread having finished",
        Category.Reliability,
        DiagnosticSeverity.Info,
        "Thread.Join(int) and Thread.Join(TimeSpan) wait at most the given time and return whether the thread has ended. Called as a statement, the answer is dropped and the code goes on as if the thread had finished, though it may still be running: its results may be incomplete and its state may still change. Check the result, or discard it with '_ =' where going on regardless is intended.");

    public static readonly DiagnosticDescriptor THR009 = Rule(
        "THR009",
        "Monitor.Enter without try/finally Exit",
        "Monitor.Enter({0}) is not followed by a try/finally that calls Monitor.Exit({0}); an exception before the Exit leaves the lock held forever. Use a lock statement.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "Monitor.Exit that is not in a finally block is skipped when the code between Enter and Exit throws (or returns early), and the lock stays held: every other thread that takes it blocks forever. The lock statement releases the lock on every path; where Monitor is needed, call Enter immediately before a try block whose finally calls Exit, or use the Enter(obj, ref lockTaken) overload inside the try.");

    public static readonly DiagnosticDescriptor THR010 = Rule(
        "THR010",
        "Lock on a publicly reachable or weak-identity object",
        "Do not lock on '{0}': {1}; lock on a private readonly object instead",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A lock is only as private as the object it locks. 'this', a Type (typeof(...) or GetType()), a string and a public field can be locked by code outside the type, which can deadlock with it or stall it; a boxed value type is a new object on every lock, so the lock excludes nothing. Lock on a private readonly object that only this type can see.");

    public static readonly DiagnosticDescriptor THR011 = Rule(
        "THR011",
        "Thread.Sleep in an async method",
        "Thread.Sleep in {0} blocks its thread for the whole delay; use await Task.Delay(...), which frees the thread while it waits",
        Category.Performance,
        DiagnosticSeverity.Warning,
        "An async method runs on a thread pool thread after its first await (or on the caller's thread, such as a UI thread, before it). Thread.Sleep holds that thread for the whole delay, so it serves no other work: many such sleeps starve the thread pool, and one on a UI thread freezes it. await Task.Delay(...) waits without a thread and can take the method's CancellationToken.");

    public static readonly DiagnosticDescriptor THR015 = Rule(
        "THR015",
        "Lazy initialization publishes before it is complete",
        "Double-checked initialization of '{0}' is visible before it is complete: {1}; a thread that checks '{0}' without the lock can use it half-done. To fix it, {2}.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "Double-checked lazy initialization tests a field without the lock and again under it. A thread that sees the field set takes no lock, so the field must be set last, with a write that releases what was done before it. Storing a newly constructed object is such a release in the .NET memory model, so the classic form 'if (_x == null) lock (g) if (_x == null) _x = new X();' is safe. Storing the object and then configuring it (_x = new X(); _x.Init();) lets other threads use it before Init ran; a plain bool flag set after the work (Load(); _loaded = true;) is no release, so another thread can see the flag before the work's writes. Build the object in a local and assign the field last; make the flag volatile.");

    public static readonly DiagnosticDescriptor THR016 = Rule(
        "THR016",
        "Non-atomic update of a volatile field",
        "'{0}' reads volatile field '{1}' and writes it back in two steps, so an update that another thread makes in between is lost; {2}",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "volatile orders each read and each write of a field with the memory operations around it, but it does not make a read and the write that follows it one step: ++, -- and compound assignments such as += read the field, compute, and write. Two threads that update the field at the same time both read the old value and one update is lost. Use Interlocked.Increment, Decrement or Add for int and long fields, or hold one lock around every write of the field.");

    public static readonly DiagnosticDescriptor THR017 = Rule(
        "THR017",
        "Loop waits on a field that is not volatile",
        "This loop waits for '{0}' to change, but '{0}' is not volatile and the loop does not write it: the compiler may read it once and wait forever for the write by {1} on line {2}. Read it with Volatile.Read or make it volatile.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A loop that only waits (an empty body, or only Sleep, Yield or SpinWait) for a field or captured variable that another thread sets reads it again and again. A plain read may be hoisted out of the loop: the JIT sees that the loop does not write the field, reads it once, and the loop never ends, typically only in a Release build. Read it with Volatile.Read (or declare the field volatile), so that every iteration reads it from memory; better still, wait on a ManualResetEventSlim, a TaskCompletionSource or a CancellationToken.");

    private static DiagnosticDescriptor Rule(string id, string title, string message, string category, DiagnosticSeverity severity, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md");

    internal static class Category
    {
        public const string Reliability = nameof(Reliability);
        public const string Maintainability = nameof(Maintainability);
        public const string Performance = nameof(Performance);
    }
}
