// THR010: locks on objects that other code can also lock (this, a Type, a string, a public field, an array of a
// primitive type), or on a boxed value or a new object that is different every time, next to the private readonly
// gate that replaces them.
Console.WriteLine("THR010 sample: what a lock statement should lock.");

var account = new Account();
account.Deposit(10);
account.DepositBoxed(5);
account.Audit();
Console.WriteLine($"legacy balance: {account.Balance}");

var ledger = new Ledger();
ledger.Deposit(10);
Console.WriteLine($"modern balance: {ledger.Balance}");

// Any caller can lock the account too: while it holds the lock, Deposit waits for it.
lock (account)
{
    Console.WriteLine("a caller holds the account's own lock");
}

// Hazard: every lock here can be taken by code outside the type, or excludes nothing at all.
public class Account
{
    private static int _instances;
    private readonly string _name = "account";
    private int _balance;
    private int _deposits;
    private readonly byte[] _checksum = new byte[4];

    public readonly object SyncRoot = new object();

    public Account()
    {
        lock (typeof(Account)) // expect: THR010
        {
            _instances++;
        }
    }

    public int Balance
    {
        get
        {
            lock (this) // expect: THR010
            {
                return _balance;
            }
        }
    }

    public void Deposit(int amount)
    {
        lock (this) // expect: THR010
        {
            _balance += amount;
        }

        lock (_name) // expect: THR010
        {
            Console.WriteLine($"{_name}: deposit {amount}");
        }

        lock (SyncRoot) // expect: THR010
        {
            _deposits++;
        }
    }

    public void DepositBoxed(int amount)
    {
        // A new box on every call: two threads never wait for each other here.
        lock ((object)_balance) // expect: THR010
        {
            _balance += amount;
        }

        // A new object on every call: this lock excludes nothing either.
        lock (new object()) // expect: THR010
        {
            _deposits++;
        }
    }

    public void Audit()
    {
        lock (_checksum) // expect: THR010
        {
            _checksum[0] = (byte)_balance;
        }

        // Monitor.Enter locks the same object as lock (this) would.
        var taken = false;
        try
        {
            Monitor.Enter(this, ref taken); // expect: THR010
            Console.WriteLine($"audited {_deposits} deposits");
        }
        finally
        {
            if (taken)
            {
                Monitor.Exit(this);
            }
        }
    }
}

// Fixed: one private readonly gate per thing to protect, invisible outside the type.
public class Ledger
{
    private static readonly object InstancesGate = new object();
    private static int _instances;
    private readonly object _gate = new object();
    private int _balance;

    public Ledger()
    {
        lock (InstancesGate)
        {
            _instances++;
        }
    }

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

    public void Deposit(int amount)
    {
        lock (_gate)
        {
            _balance += amount;
        }
    }
}
