// THR019: the timer queue holds a System.Threading.Timer's callback, not the Timer. A timer whose only reference is a
// local (or a discarded value) is collected by the next GC that finds it unreachable, and its callback stops firing.

Console.WriteLine("THR019 sample: timers that stay alive.");
using (var poller = new Poller())
{
    poller.Start();
    Thread.Sleep(350);
}

Console.WriteLine("Done.");

internal sealed class Poller : IDisposable
{
    private Timer? _heartbeat;
    private int _ticks;

    public void Start()
    {
        // Hazard: the local dies with this method; a GC collects the timer and the polling stops.
        var timer = new Timer(_ => Interlocked.Increment(ref _ticks), null, 0, 100); // expect: THR019

        // Hazard: the value is discarded at once.
        _ = new Timer(_ => Interlocked.Increment(ref _ticks), null, 0, 100); // expect: THR019

        // Fixed: the field keeps the timer until Dispose.
        _heartbeat = new Timer(_ => Console.WriteLine("fixed: heartbeat"), null, 0, 100);

        // Not flagged: disposed at the end of the scope, and a timer that waits for Change.
        using var once = new Timer(_ => Console.WriteLine("not flagged: once"), null, 0, Timeout.Infinite);
        var idle = new Timer(_ => Console.WriteLine("never"));
        Thread.Sleep(50);
    }

    public void Dispose()
    {
        _heartbeat?.Dispose();
        Console.WriteLine($"ticks: {Volatile.Read(ref _ticks)}");
    }
}
