// THR016: volatile orders each read and each write of a field, but ++ and += still read, add and write in three
// steps: two threads that update the field at once lose updates. Interlocked does the update in one step.
Console.WriteLine("THR016 sample: counting on four threads.");

var legacy = new VolatileCounter();
var modern = new InterlockedCounter();
var locked = new LockedCounter();
Hammer(legacy.Hit);
Hammer(modern.Hit);
Hammer(locked.Hit);

Console.WriteLine($"hazard: {legacy.Hits} of 400000 hits counted");
Console.WriteLine($"fixed: {modern.Hits} of 400000 hits counted");
Console.WriteLine($"not flagged (every write holds one lock): {locked.Hits} of 400000 hits counted");

// Four threads call hit 100000 times each.
static void Hammer(Action hit) => Parallel.For(0, 4, _ =>
{
    for (var i = 0; i < 100_000; i++)
    {
        hit();
    }
});

// Hazard: the volatile field is read, incremented and written back in separate steps.
class VolatileCounter
{
    private volatile int _hits;

    public int Hits => _hits;

    public void Hit() => _hits++; // expect: THR016
}

// Fixed: one atomic step.
class InterlockedCounter
{
    private int _hits;

    public int Hits => Volatile.Read(ref _hits);

    public void Hit() => Interlocked.Increment(ref _hits);
}

// Not flagged: every write of the field holds the same lock, so no update can come in between.
class LockedCounter
{
    private readonly object _gate = new object();
    private volatile int _hits;

    public int Hits => _hits;

    public void Hit()
    {
        lock (_gate)
        {
            _hits++;
        }
    }
}
