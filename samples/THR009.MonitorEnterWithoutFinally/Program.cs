// THR009: a lock whose release is not in a finally (Monitor, ReaderWriterLockSlim, SemaphoreSlim), next to the
// lock statement and the try/finally patterns.

Console.WriteLine("THR009 sample: lock acquired without a try/finally release.");

var account = new Account();
account.DepositUnsafe(10);
account.Deposit(20);
account.DepositWithMonitor(30);
account.DepositWithLockTaken(40);
Console.WriteLine($"balance: {account.Balance}");
var cache = new Cache();
cache.PutUnsafe("a", 1);
cache.Put("b", 2);
Console.WriteLine($"a={cache.Get("a")} b={cache.Get("b")} busy={cache.TryPut("c", 3)}");
Console.WriteLine("Done.");

sealed class Account
{
    private readonly object _gate = new object();
    private int _balance;

    public int Balance
    {
        get
        {
            lock (_gate)
            {
                return _balance;
            }
        }
    }

    // Hazard: if the code between Enter and Exit throws, Exit never runs and the lock is held forever.
    public void DepositUnsafe(int amount)
    {
        Monitor.Enter(_gate); // expect: THR009
        Validate(amount);
        _balance += amount;
        Monitor.Exit(_gate);
    }

    // Fixed: the lock statement releases the lock on every path.
    public void Deposit(int amount)
    {
        lock (_gate)
        {
            Validate(amount);
            _balance += amount;
        }
    }

    // Not flagged: Enter immediately followed by a try whose finally exits.
    public void DepositWithMonitor(int amount)
    {
        Monitor.Enter(_gate);
        try
        {
            Validate(amount);
            _balance += amount;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    // Not flagged: the Enter(obj, ref lockTaken) pattern, which is what lock compiles to.
    public void DepositWithLockTaken(int amount)
    {
        var lockTaken = false;
        try
        {
            Monitor.Enter(_gate, ref lockTaken);
            Validate(amount);
            _balance += amount;
        }
        finally
        {
            if (lockTaken)
            {
                Monitor.Exit(_gate);
            }
        }
    }

    private static void Validate(int amount)
    {
        if (amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount));
        }
    }
}

sealed class Cache
{
    private readonly ReaderWriterLockSlim _rw = new ReaderWriterLockSlim();
    private readonly SemaphoreSlim _writer = new SemaphoreSlim(1, 1);
    private readonly Dictionary<string, int> _items = new Dictionary<string, int>();

    // Hazard: an exception in Add (a duplicate key) leaves the write lock held, and every reader then waits forever.
    public void PutUnsafe(string key, int value)
    {
        _rw.EnterWriteLock(); // expect: THR009
        _items.Add(key, value);
        _rw.ExitWriteLock();
    }

    // Fixed: the release is in the finally.
    public void Put(string key, int value)
    {
        _rw.EnterWriteLock();
        try
        {
            _items[key] = value;
        }
        finally
        {
            _rw.ExitWriteLock();
        }
    }

    // Not flagged: a tested semaphore that leaves when busy, then the try/finally.
    public bool TryPut(string key, int value)
    {
        if (!_writer.Wait(0))
        {
            return false;
        }

        try
        {
            Put(key, value);
            return true;
        }
        finally
        {
            _writer.Release();
        }
    }

    public int Get(string key)
    {
        _rw.EnterReadLock();
        try
        {
            return _items.TryGetValue(key, out var value) ? value : 0;
        }
        finally
        {
            _rw.ExitReadLock();
        }
    }
}
