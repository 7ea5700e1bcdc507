// THR014: two locks taken in opposite orders by two methods of one type.

Console.WriteLine("THR014 sample: locks taken in opposite orders can deadlock.");

var bank = new Bank();
bank.Transfer(10);
bank.Flush();
bank.Report();
Console.WriteLine("Done.");

sealed class Bank
{
    private readonly object _accounts = new object();
    private readonly object _audit = new object();
    private int _balance;
    private int _entries;

    // Takes _accounts, then _audit.
    public void Transfer(int amount)
    {
        lock (_accounts)
        {
            _balance += amount;
            lock (_audit)                            // expect: THR014
            {
                _entries++;
            }
        }
    }

    // Hazard: takes _audit, then _accounts: a thread here and one in Transfer can wait for each other forever.
    public void Flush()
    {
        lock (_audit)
        {
            _entries = 0;
            lock (_accounts)                         // expect: THR014
            {
                _balance = 0;
            }
        }
    }

    // Also reported: the same order as Transfer, so Flush's opposite order can deadlock with it too. Taking the locks
    // in this order in Flush as well is the fix.
    public void Report()
    {
        lock (_accounts)
        {
            lock (_audit)                            // expect: THR014
            {
                Console.WriteLine($"balance {_balance}, entries {_entries}");
            }
        }
    }
}
