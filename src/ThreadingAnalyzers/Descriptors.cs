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
        "'{0}' is {1} without a lock by code started with {2} (line {3}), and {4}; updates can be lost",
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
        "Lock acquired without a try/finally release",
        "{0} is not followed by a try whose finally calls {1}: an exception before {1} leaves the lock held, and every thread that takes it next waits forever; {2}",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A release (Monitor.Exit, SpinLock.Exit, ReaderWriterLockSlim.Exit*Lock, ReaderWriterLock.Release*Lock, Mutex.ReleaseMutex, Semaphore(Slim).Release) that is not in a finally block is skipped when the code between the acquisition and the release throws (or returns early), and the lock stays held: every other thread that takes it blocks forever, or a semaphore loses a slot for good. The lock statement releases a Monitor on every path; for the other primitives, call the acquisition immediately before a try block whose finally releases it, or acquire inside the try and release in the finally when the acquisition succeeded.");

    public static readonly DiagnosticDescriptor THR010 = Rule(
        "THR010",
        "Lock on a publicly reachable or weak-identity object",
        "Do not lock on '{0}': {1}; lock on a private readonly object instead",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A lock is only as private as the object it locks. 'this' of a public type and a public field or property of a public type can be locked by code outside the assembly; a Type (typeof(...) or GetType()), a string, a Thread, a reflection object, a MarshalByRefObject, the runtime's preallocated exceptions and arrays of primitive types have weak identity and can be locked by unrelated code. Either can deadlock with this code or stall it. A boxed value type or a new object is a different object on every lock, so the lock excludes nothing. The same holds for Monitor.Enter and Monitor.TryEnter. Lock on a private readonly object that only this type can see.");

    public static readonly DiagnosticDescriptor THR011 = Rule(
        "THR011",
        "Thread.Sleep in an async method",
        "Thread.Sleep in {0} blocks its thread for the whole delay; use await Task.Delay(...), which frees the thread while it waits",
        Category.Performance,
        DiagnosticSeverity.Warning,
        "An async method runs on a thread pool thread after its first await (or on the caller's thread, such as a UI thread, before it). Thread.Sleep holds that thread for the whole delay, so it serves no other work: many such sleeps starve the thread pool, and one on a UI thread freezes it. await Task.Delay(...) waits without a thread and can take the method's CancellationToken.");

    public static readonly DiagnosticDescriptor THR012 = Rule(
        "THR012",
        "ParameterizedThreadStart with an object cast",
        "The thread body {0} casts its object argument to {1}, so the compiler cannot check what Start passes and a wrong argument fails at run time on the new thread; start a lambda that passes the typed argument instead: new Thread(() => Work(job)).Start()",
        Category.Maintainability,
        DiagnosticSeverity.Info,
        "A ParameterizedThreadStart receives its argument as object: Thread.Start(object) accepts anything, and the body casts it back to the type it needs. A wrong argument is not a compile error but an InvalidCastException (or a null from 'as') on the new thread, where nobody catches it. A lambda that calls the body with a typed argument, new Thread(() => Work(job)), lets the compiler check the argument, and Start() takes none.");

    public static readonly DiagnosticDescriptor THR013 = Rule(
        "THR013",
        "Field is synchronized inconsistently",
        "'{0}' is {1} here without holding '{2}', the lock that guards it in {3} (line {4}); a thread holding '{2}' can run at the same time. Take the same lock here.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A field that the type writes while holding a lock is shared between threads: that is why the lock is there. Another member of the type that writes the field (or, for a List, Dictionary or other collection that is not safe to share, reads or changes it) without that lock runs at the same time as the guarded code, so updates are lost and collections are corrupted. Take the same lock wherever the field is written after construction; a field written under two different locks is not protected by either.");

    public static readonly DiagnosticDescriptor THR014 = Rule(
        "THR014",
        "Locks are taken in opposite orders (deadlock)",
        "'{0}' then '{1}' here; {2}: threads taking these orders can each hold one lock and wait for the next forever. Take the locks in one order everywhere.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "When one path takes lock A and then, while holding it, lock B, and another path takes B and then A, two threads can each hold the first lock of their path and wait for the other's: a deadlock that depends on timing and shows up under load. Nesting counts through method calls: a method called while A is held that takes B orders A before B. Take nested locks in one global order, or avoid holding one lock while taking another.");

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

    public static readonly DiagnosticDescriptor THR018 = Rule(
        "THR018",
        "Lock on a field that is not readonly",
        "'{0}' is locked but is not readonly: {1}",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A lock excludes only the threads that lock the same object. When the locked field is assigned a new object while a thread holds the lock on the old one, the next thread locks the new object and enters at once: both run the protected code together, and one of them may still use the old object. A field that is locked should be readonly, assigned once where the object is constructed.");

    public static readonly DiagnosticDescriptor THR019 = Rule(
        "THR019",
        "System.Threading.Timer is not kept alive",
        "This System.Threading.Timer is {0}; once the method is done nothing references it, and the GC collects it and stops its callback at a moment that depends on memory pressure. Keep it in a field and dispose it where the type disposes.",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "A System.Threading.Timer is not rooted by the timer queue: the queue holds its callback, not the Timer object. A timer whose only reference is a local that goes out of scope, or a value that is discarded, is collected by the next garbage collection that finds it unreachable (in a Release build even while the method that made it still runs), its finalizer stops it and the callback silently stops firing. Keep the timer in a field (or anything that outlives the work), and dispose it when the work is over.");

    public static readonly DiagnosticDescriptor THR020 = Rule(
        "THR020",
        "Synchronous lock held across await",
        "{0} is still held at '{1}' (line {2}): {3}",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "The code after an await can resume on another thread. Monitor, Mutex, SpinLock and ReaderWriterLockSlim belong to the thread that took them: released from another thread they throw (SynchronizationLockException, ApplicationException) and the lock stays held, so every later taker waits forever; other threads wait (or spin) for the whole await. SemaphoreSlim.Wait() is not thread-affine, but it blocks a thread while it waits, in code written not to: await WaitAsync() waits without one. An async lock is SemaphoreSlim with await WaitAsync() and Release() in a finally.");

    public static readonly DiagnosticDescriptor THR021 = Rule(
        "THR021",
        "Check-then-act on a concurrent collection",
        "'{0}.{1}' checks key '{2}' and a separate call then stores it; another thread can add or remove '{2}' in between: {3} checks and stores in one atomic operation",
        Category.Reliability,
        DiagnosticSeverity.Info,
        "Each method of ConcurrentDictionary is atomic, but a ContainsKey or TryGetValue check followed by Add, TryAdd or an indexer store of the same key is two calls, and another thread can act between them: two threads both see the key missing and both compute and store a value (the later one wins, or Add throws), or an entry removed after the check is stored again. GetOrAdd, TryAdd and AddOrUpdate do the check and the store as one operation. Often the race is benign (the same value is computed twice), so the rule is informational.");

    public static readonly DiagnosticDescriptor THR022 = Rule(
        "THR022",
        "Monitor.Wait/Pulse without holding that lock",
        "Monitor.{0}({1}) is called without holding the lock on '{1}'; it throws SynchronizationLockException. Call it inside lock ({1}).",
        Category.Reliability,
        DiagnosticSeverity.Warning,
        "Monitor.Wait releases the lock on an object and waits to be pulsed; Monitor.Pulse and PulseAll wake the threads waiting on it. All three require the calling thread to hold that object's lock (a lock statement or Monitor.Enter on the same object), and throw SynchronizationLockException otherwise. The condition the waiter checks must be changed and checked under the same lock, or a pulse can be lost. Call them inside lock (obj) on the object they name.");

    public static readonly DiagnosticDescriptor THR023 = Rule(
        "THR023",
        "Threading analysis option entry not understood",
        "'{0}' in {1} is ignored: {2}",
        Category.Configuration,
        DiagnosticSeverity.Info,
        "The threading_analyzers.* options of .editorconfig or .globalconfig teach the analysis a code base's own thread pools, thread-safe types and lock methods by their documentation-comment ids. An entry that is malformed, or whose id names no method or type of the compilation and its references, is ignored, so the analysis silently works without it; this diagnostic names each such entry once per compilation so that a typo does not switch the option off unnoticed.",
        WellKnownDiagnosticTags.CompilationEnd);

    private static DiagnosticDescriptor Rule(
        string id, string title, string message, string category, DiagnosticSeverity severity, string description, params string[] customTags) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLinkBase + id + ".md", customTags: customTags);

    internal static class Category
    {
        public const string Reliability = nameof(Reliability);
        public const string Maintainability = nameof(Maintainability);
        public const string Performance = nameof(Performance);
        public const string Configuration = nameof(Configuration);
    }
}
