// THR011: Thread.Sleep in async code holds its thread (a thread pool thread after the first await) for the whole
// delay; await Task.Delay waits without one.

Console.WriteLine("THR011 sample: waiting in async code.");

using var cancellation = new CancellationTokenSource();
await Poller.PollBlockingAsync(3);
await Poller.PollAsync(3, cancellation.Token);

// Hazard: each task holds a pool thread while it waits.
var blocking = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
{
    await Task.Yield();
    Thread.Sleep(50); // expect: THR011
}));
await Task.WhenAll(blocking);
Console.WriteLine("hazard: four pool threads slept");

// Fixed: no thread is held during the delay.
var waiting = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
{
    await Task.Yield();
    await Task.Delay(50);
}));
await Task.WhenAll(waiting);
Console.WriteLine("fixed: four delays, no thread held");

// Not flagged: a dedicated thread may sleep, and a synchronous lambda is not part of the async code around it.
var worker = new Thread(() => Thread.Sleep(10));
worker.Start();
worker.Join();
await Task.Run(() => Thread.Sleep(10));

Console.WriteLine("Done.");

static class Poller
{
    public static async Task PollBlockingAsync(int attempts)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            await Task.Yield();
            Thread.Sleep(20); // expect: THR011
        }

        Console.WriteLine("hazard: polled with Thread.Sleep");
    }

    public static async Task PollAsync(int attempts, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            await Task.Yield();
            await Task.Delay(20, cancellationToken);
        }

        Console.WriteLine("fixed: polled with await Task.Delay");
    }
}
