// THR003: Thread members that are obsolete or superseded, each next to the modern API that replaces it.
// The compiler also reports CS0618, SYSLIB0003, SYSLIB0006 or SYSLIB0054 on the obsolete ones. They are silenced here so
// that the build shows THR003 alone, whose diagnostic carries the fix (docs/rules/THR003.md shows how).
#pragma warning disable CS0618, SYSLIB0003, SYSLIB0006, SYSLIB0054

Console.WriteLine("THR003 sample: legacy Thread APIs and their modern equivalents.");

// Hazard: the current thread's id through Thread.CurrentThread.
Console.WriteLine($"legacy id: {Thread.CurrentThread.ManagedThreadId}"); // expect: THR003
var current = Thread.CurrentThread;
Console.WriteLine($"legacy id through a local: {current.ManagedThreadId}"); // expect: THR003
// Fixed: one call, no Thread object.
Console.WriteLine($"modern id: {Environment.CurrentManagedThreadId}");

// Hazard and fix: publishing a value with a full fence and volatile accesses.
var flag = new Flag();
flag.PublishLegacy();
flag.PublishModern();

// Hazard and fix: the application domain.
Console.WriteLine($"legacy domain: {Thread.GetDomain().FriendlyName}"); // expect: THR003
Console.WriteLine($"modern domain: {AppDomain.CurrentDomain.FriendlyName}");

// Hazard: the ApartmentState property hides failure (off Windows every state but Unknown fails).
var worker = new Thread(() => Console.WriteLine("worker ran"));
worker.ApartmentState = ApartmentState.MTA; // expect: THR003
Console.WriteLine($"legacy apartment: {worker.ApartmentState}"); // expect: THR003
// Fixed: SetApartmentState reports failure, so it is called where apartments exist.
if (OperatingSystem.IsWindows())
{
    worker.SetApartmentState(ApartmentState.MTA);
}

Console.WriteLine($"modern apartment: {worker.GetApartmentState()}");
worker.Start();
// The id of another thread is what ManagedThreadId is for: not flagged.
Console.WriteLine($"worker id: {worker.ManagedThreadId}");
worker.Join();

// Hazard: thread-local storage through untyped data slots.
var slot = Thread.AllocateDataSlot(); // expect: THR003
Thread.SetData(slot, 42); // expect: THR003
Console.WriteLine($"legacy slot: {Thread.GetData(slot)}"); // expect: THR003
// Fixed: typed and disposable.
using var answer = new ThreadLocal<int>(() => 42);
Console.WriteLine($"modern thread-local: {answer.Value}");

// On .NET Core and later these members throw; they run only when asked for.
if (args.Contains("--throwing"))
{
    Throwing(worker);
}

Console.WriteLine("Done.");

static void Throwing(Thread thread)
{
    // Replace with a ManualResetEventSlim or SemaphoreSlim handshake.
    thread.Suspend(); // expect: THR003
    thread.Resume(); // expect: THR003
    // Replace with cooperative cancellation through a CancellationToken.
    thread.Abort(); // expect: THR003
    Thread.ResetAbort(); // expect: THR003
    // Replace with ExecutionContext.
    var stack = thread.GetCompressedStack(); // expect: THR003
    thread.SetCompressedStack(stack); // expect: THR003
}

sealed class Flag
{
    private int _value;
    private int _ready;

    public void PublishLegacy()
    {
        _value = 1;
        Thread.MemoryBarrier(); // expect: THR003
        Thread.VolatileWrite(ref _ready, 1); // expect: THR003
        Console.WriteLine($"legacy read: {Thread.VolatileRead(ref _ready)}, value {_value}"); // expect: THR003
    }

    public void PublishModern()
    {
        _value = 2;
        Interlocked.MemoryBarrier();
        Volatile.Write(ref _ready, 1);
        Console.WriteLine($"modern read: {Volatile.Read(ref _ready)}, value {_value}");
    }
}
