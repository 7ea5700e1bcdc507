// THR002: threads that update the same variable without a lock lose updates.
using System.Threading;

const int Iterations = 1_000_000;
Console.WriteLine("THR002 sample: counting to {0:N0} in parallel.", Iterations);

// Hazard: count++ is read, add, write; two threads that read the same value both write value + 1.
var lost = 0;
Parallel.For(0, Iterations, i =>
{
    lost++; // expect: THR002
});
Console.WriteLine($"unsynchronized: {lost:N0} (updates were lost)");

// Fixed: Interlocked makes the read-add-write one atomic step.
var atomic = 0;
Parallel.For(0, Iterations, i =>
{
    Interlocked.Increment(ref atomic);
});
Console.WriteLine($"Interlocked:    {atomic:N0}");

// Fixed: each partition counts on its own and adds its total once, under a lock.
var partitioned = 0;
var gate = new Lock();
Parallel.For(0, Iterations, () => 0, (i, state, local) => local + 1, local =>
{
    lock (gate)
    {
        partitioned += local;
    }
});
Console.WriteLine($"partitioned:    {partitioned:N0}");

// Hazard and fix on fields, in a class: two tasks share one Tally.
var tally = new Tally();
tally.CountOnTwoTasks(Iterations / 2);
Console.WriteLine($"Tally: unsafe {tally.Unsafe:N0} (can be less), safe {tally.Safe:N0}, words {tally.WordCount} (can be fewer than 20)");

internal sealed class Tally
{
    private readonly Lock _sync = new();
    private readonly List<string> _words = new();
    private readonly List<string> _checked = new();
    private int _unsafe;
    private int _safe;

    public int Unsafe => _unsafe;

    public int Safe => _safe;

    public int WordCount => _words.Count;

    public void CountOnTwoTasks(int perTask)
    {
        var first = Task.Run(() => Count(perTask));
        var second = Task.Run(() => Count(perTask));
        Task.WaitAll(first, second);
    }

    private void Count(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _unsafe++; // expect: THR002
            Interlocked.Increment(ref _safe);
            if (i % 100_000 == 0)
            {
                _words.Add($"word{i}"); // expect: THR002
                lock (_sync)
                {
                    _checked.Add($"checked{i}");
                }
            }
        }
    }
}
