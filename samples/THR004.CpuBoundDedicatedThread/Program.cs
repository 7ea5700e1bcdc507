// THR004: finite CPU-bound work on dedicated threads. Each Thread costs a kernel thread and about 1 MB of stack,
// and many of them oversubscribe the cores; the thread pool (Task.Run, Parallel.For) sizes the same work to the machine.
using System.Diagnostics;
using System.Threading;

const int Partitions = 256;
var data = new int[4_000_000];
for (var i = 0; i < data.Length; i++)
{
    data[i] = i % 1000;
}

Console.WriteLine($"THR004 sample: sum {data.Length:N0} numbers in {Partitions} partitions on {Environment.ProcessorCount} cores.");

// A warm-up round first, so that neither version pays for JIT compilation in the measured round.
SumWithThreads(data, Partitions);
SumWithParallelFor(data, Partitions);

var threadsTime = Measure(() => SumWithThreads(data, Partitions), out var threadsSum);
var parallelTime = Measure(() => SumWithParallelFor(data, Partitions), out var parallelSum);
Console.WriteLine($"{"version",-22} {"wall time",10} {"sum",16}");
Console.WriteLine($"{"dedicated threads",-22} {threadsTime,7:F1} ms {threadsSum,16:N0}");
Console.WriteLine($"{"Parallel.For",-22} {parallelTime,7:F1} ms {parallelSum,16:N0}");

Console.WriteLine($"checksum: dedicated thread {ChecksumOnThread(data)}, Task.Run {ChecksumOnPool(data)}");

using var log = new System.Collections.Concurrent.BlockingCollection<string>();
log.Add("log worker: done");
log.CompleteAdding();
LogWorker(log);

static double Measure(Func<long> run, out long result)
{
    var watch = Stopwatch.StartNew();
    result = run();
    return watch.Elapsed.TotalMilliseconds;
}

// Hazard: one dedicated thread per partition, each created, started and joined by hand.
static long SumWithThreads(int[] data, int partitions)
{
    var sums = new long[partitions];
    var threads = new Thread[partitions];
    for (var p = 0; p < partitions; p++)
    {
        var part = p;
        threads[p] = new Thread(() => sums[part] = SumPartition(data, part, partitions)); // expect: THR004
        threads[p].Start();
    }

    foreach (var thread in threads)
    {
        thread.Join();
    }

    return sums.Sum();
}

// Fixed: the code fix's Parallel.For; the pool runs the partitions on as many threads as there are cores.
static long SumWithParallelFor(int[] data, int partitions)
{
    var sums = new long[partitions];
    Parallel.For(0, partitions, part => sums[part] = SumPartition(data, part, partitions));
    return sums.Sum();
}

// Hazard: a single computation started on its own thread and joined.
static long ChecksumOnThread(int[] data)
{
    var result = new long[1];
    var worker = new Thread(() => result[0] = Checksum(data)); // expect: THR004
    worker.Start();
    worker.Join();
    return result[0];
}

// Fixed: the code fix's Task.Run and Wait.
static long ChecksumOnPool(int[] data)
{
    var task = Task.Run(() => Checksum(data));
    task.Wait();
    return task.Result;
}

// Not flagged: a worker that blocks on its queue is not CPU-bound work; it owns its thread for as long as it runs.
static void LogWorker(System.Collections.Concurrent.BlockingCollection<string> lines)
{
    var writer = new Thread(() =>
    {
        foreach (var line in lines.GetConsumingEnumerable())
        {
            Console.WriteLine(line);
        }
    });
    writer.Start();
    writer.Join();
}

static long SumPartition(int[] data, int part, int partitions)
{
    var chunk = (data.Length + partitions - 1) / partitions;
    var end = Math.Min(data.Length, (part + 1) * chunk);
    long sum = 0;
    for (var i = part * chunk; i < end; i++)
    {
        sum += data[i];
    }

    return sum;
}

static long Checksum(int[] data)
{
    long hash = 17;
    foreach (var value in data)
    {
        hash = unchecked(hash * 31 + value);
    }

    return hash;
}
