// THR018: a lock on a field that is not readonly. When the field gets a new object while a thread holds the old one,
// the next thread locks the new object and enters too; a readonly field is the same object for the object's lifetime.
Console.WriteLine("THR018 sample: what a locked field should be.");

var inbox = new Inbox();
Parallel.For(0, 100, i =>
{
    inbox.Add($"message {i}");
    if (i % 10 == 0)
    {
        inbox.StartBatch();
    }
});
Console.WriteLine($"hazard: {inbox.Count} messages in {inbox.Batches} batches (two threads may have been in List.Add together)");

var mailbox = new Mailbox();
Parallel.For(0, 100, i => mailbox.Add($"message {i}"));
mailbox.StartBatch();
Console.WriteLine($"fixed: {mailbox.Count} messages");

// Hazard: one field that is never reassigned but could be, one that is reassigned while other threads hold it.
public class Inbox
{
    private object _sync = new object();
    private object _batchGate = new object();
    private readonly List<string> _messages = new();
    private int _batches;

    public int Count
    {
        get
        {
            lock (_batchGate) // expect: THR018
            {
                return _messages.Count;
            }
        }
    }

    public int Batches
    {
        get
        {
            lock (_sync) // expect: THR018
            {
                return _batches;
            }
        }
    }

    public void Add(string message)
    {
        lock (_batchGate) // expect: THR018
        {
            _messages.Add(message);
        }
    }

    public void StartBatch()
    {
        lock (_sync) // expect: THR018
        {
            // A thread inside Add still holds the old object; the next Add locks this one and runs beside it.
            _batchGate = new object();
            _batches++;
        }
    }
}

// Fixed: readonly gates, created once; a new batch resets the state the gate protects, not the gate.
public class Mailbox
{
    private readonly object _gate = new object();
    private readonly List<string> _messages = new();
    private int _batches;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _messages.Count;
            }
        }
    }

    public void Add(string message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    public void StartBatch()
    {
        lock (_gate)
        {
            _batches++;
        }
    }
}
