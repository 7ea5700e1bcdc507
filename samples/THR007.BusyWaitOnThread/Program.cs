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

// Hazard: printing progress while polling is still polling; while (!reported.Join(10)) prints the same dots.
var reported = new Thread(() => Thread.Sleep(30)) { IsBackground = true };
reported.Start();
while (reported.IsAlive) // expect: THR007
{
    Console.Write(".");
    Thread.Sleep(10);
}

Console.WriteLine();

// Hazard: polling a whole group; foreach (var t in group) t.Join(); waits for each.
var group = Enumerable.Range(0, 3).Select(_ => new Thread(() => Thread.Sleep(20)) { IsBackground = true }).ToList();
group.ForEach(t => t.Start());
while (group.Any(t => t.IsAlive)) // expect: THR007
{
    Thread.Sleep(5);
}

// Not flagged: the loop does real work while the thread runs (it drains a queue the worker fills).
var queue = new System.Collections.Concurrent.ConcurrentQueue<int>();
var producer = new Thread(() => { for (var i = 0; i < 3; i++) { queue.Enqueue(i); Thread.Sleep(5); } }) { IsBackground = true };
producer.Start();
while (producer.IsAlive)
{
    while (queue.TryDequeue(out var item))
    {
        Console.WriteLine($"handled {item}");
    }
}

Console.WriteLine("Done.");
