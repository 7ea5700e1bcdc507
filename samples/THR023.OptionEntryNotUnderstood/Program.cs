// THR023: an option entry that names nothing is reported once for the project, since it belongs to no line.
// expect: THR023 (project)
namespace Samples;

/// <summary>A work queue of the code base's own: the analysis knows it runs its delegates on another thread only
/// because .editorconfig says so (threading_analyzers.concurrent_entry_points).</summary>
public sealed class WorkQueue
{
    public void Post(Action work) => ThreadPool.UnsafeQueueUserWorkItem(_ => work(), null);
}

public static class Program
{
    public static void Main()
    {
        var queue = new WorkQueue();
        using var done = new ManualResetEventSlim();
        queue.Post(() =>
        {
            Console.WriteLine("Ran on the queue's thread.");
            done.Set();
        });
        done.Wait();
    }
}
