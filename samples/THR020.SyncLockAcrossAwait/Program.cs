// THR020: a synchronous lock (Monitor, SemaphoreSlim.Wait) held across an await, next to the SemaphoreSlim.WaitAsync
// form that locks asynchronous code.

Console.WriteLine("THR020 sample: synchronous lock held across await.");

var store = new Store();
await store.SaveUnsafeAsync("a");
await store.FlushBlockingAsync(CancellationToken.None);
await store.SaveAsync("b", CancellationToken.None);
Console.WriteLine($"saved: {store.Count}");
Console.WriteLine("Done.");

sealed class Store
{
    private readonly object _gate = new object();
    private readonly SemaphoreSlim _sem = new SemaphoreSlim(1, 1);
    private readonly List<string> _items = new List<string>();
    private readonly List<string> _drafts = new List<string>();

    public int Count => _items.Count;

    // Hazard: the Exit after the await may run on another thread, where it throws and the lock stays held.
    public async Task SaveUnsafeAsync(string item)
    {
        var lockTaken = false;
        try
        {
            Monitor.Enter(_gate, ref lockTaken); // expect: THR020
            _drafts.Add(item);
            await Task.Yield();
        }
        catch (SynchronizationLockException)
        {
            Console.WriteLine("Monitor.Exit ran on another thread.");
        }
        finally
        {
            if (lockTaken && Monitor.IsEntered(_gate))
            {
                Monitor.Exit(_gate);
            }
        }
    }

    // Hazard: Wait() blocks a pool thread while it waits (the fix: await WaitAsync(cancellationToken)).
    public async Task FlushBlockingAsync(CancellationToken cancellationToken)
    {
        _sem.Wait(); // expect: THR020
        try
        {
            await Task.Delay(1, cancellationToken);
        }
        finally
        {
            _sem.Release();
        }
    }

    // Not flagged: the asynchronous lock.
    public async Task SaveAsync(string item, CancellationToken cancellationToken)
    {
        await _sem.WaitAsync(cancellationToken);
        try
        {
            _items.Add(item);
            await Task.Delay(1, cancellationToken);
        }
        finally
        {
            _sem.Release();
        }
    }
}
