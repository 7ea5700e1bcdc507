// THR017: a loop that only waits for a field another thread sets may read the field once: the JIT sees that the
// loop does not write it and hoists the read, and the loop spins forever (in a Release build). Volatile.Read makes
// every iteration read it again.
Console.WriteLine("THR017 sample: waiting for a flag set by another thread.");

var legacy = new LegacyWorker();
legacy.Start();
legacy.WaitUntilReady();
Console.WriteLine("hazard: the wait ended this time");

var modern = new ModernWorker();
modern.Start();
modern.WaitUntilReady();
Console.WriteLine("fixed: every iteration reads the flag");

using var ready = new ManualResetEventSlim();
Task.Run(ready.Set);
ready.Wait();
Console.WriteLine("not flagged: an event waits without spinning");

// Hazard: _ready is a plain field, and the loop body never writes it.
class LegacyWorker
{
    private bool _ready;

    public void Start() => Task.Run(() => _ready = true);

    public void WaitUntilReady()
    {
        while (!_ready) // expect: THR017
        {
            Thread.Sleep(1);
        }
    }
}

// Fixed: Volatile.Read cannot be hoisted out of the loop.
class ModernWorker
{
    private bool _ready;

    public void Start() => Task.Run(() => _ready = true);

    public void WaitUntilReady()
    {
        while (!Volatile.Read(ref _ready))
        {
            Thread.Sleep(1);
        }
    }
}
