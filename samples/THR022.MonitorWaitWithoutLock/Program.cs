// THR022: Monitor.Wait/Pulse called without holding the lock on the object they name.

using System.Threading;

Console.WriteLine("THR022 sample: Monitor.Pulse outside the lock against inside it.");

var mailbox = new Mailbox();
mailbox.Post(1);
try
{
    mailbox.PostCarelessly(2);
}
catch (SynchronizationLockException)
{
    Console.WriteLine("PostCarelessly threw SynchronizationLockException.");
}

Console.WriteLine($"taken: {mailbox.Take()}");
Console.WriteLine("Done.");

sealed class Mailbox
{
    private readonly object _gate = new object();
    private readonly Queue<int> _messages = new Queue<int>();

    // Fixed: Pulse inside lock (_gate), on the object it names.
    public void Post(int message)
    {
        lock (_gate)
        {
            _messages.Enqueue(message);
            Signal();
        }
    }

    // Hazard: the lock on _gate is not held here, so Pulse throws.
    public void PostCarelessly(int message)
    {
        Monitor.Pulse(_gate);                        // expect: THR022
    }

    public int Take()
    {
        lock (_gate)
        {
            while (_messages.Count == 0)
            {
                Monitor.Wait(_gate);
            }

            return _messages.Dequeue();
        }
    }

    // Called only inside lock (_gate): the caller's lock counts.
    private void Signal() => Monitor.Pulse(_gate);
}
