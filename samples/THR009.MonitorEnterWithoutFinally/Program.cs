// THR009: Monitor.Enter whose Exit is not in a finally, next to the lock statement and the try/finally patterns.

Console.WriteLine("THR009 sample: Monitor.Enter without try/finally against lock.");

var account = new Account();
account.DepositUnsafe(10);
account.Deposit(20);
account.DepositWithMonitor(30);
account.DepositWithLockTaken(40);
Console.WriteLine($"balance: {account.Balance}");
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
