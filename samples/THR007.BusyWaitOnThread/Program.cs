// THR007: waiting for a thread by polling IsAlive or ThreadState, next to the Join() that replaces it.

Console.WriteLine("THR007 sample: busy-waiting on a thread against joining it.");

// Hazard: the loop wakes up every 10 ms to ask whether the worker has ended.
var polled = new Thread(() => Thread.Sleep(50)) { IsBackground = true };
polled.Start();
while (polled.IsAlive) // expect: THR007
{
    Thread.Sleep(10);
}

Console.WriteLine("polled worker ended (noticed up to 10 ms late)");

// Hazard: the same wait spelled with ThreadState, spinning without a pause.
var spun = new Thread(() => Thread.Sleep(20)) { IsBackground = true };
spun.Start();
while (spun.ThreadState != ThreadState.Stopped) // expect: THR007
{
    Thread.Yield();
}

Console.WriteLine("spun worker ended (a core was busy meanwhile)");

// Fixed: Join blocks until the thread has ended, without spinning, and returns at once when it has.
var joined = new Thread(() => Thread.Sleep(20));
joined.Start();
joined.Join();
Console.WriteLine("joined worker ended");

// Not flagged: the loop does real work while the thread runs (here it reports progress).
var reported = new Thread(() => Thread.Sleep(30)) { IsBackground = true };
reported.Start();
while (reported.IsAlive)
{
    Console.WriteLine("still working...");
    Thread.Sleep(10);
}

Console.WriteLine("Done.");
