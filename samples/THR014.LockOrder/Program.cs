// THR014: two locks taken in opposite orders by two methods of one type, and by two types through their static locks.

Console.WriteLine("THR014 sample: locks taken in opposite orders can deadlock.");

var bank = new Bank();
bank.Transfer(10);
bank.Flush();
bank.Report();
Ledger.Post();
Journal.Flush();
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

// Across types: each class takes its own static lock while holding the other's, one of them in a method it calls.
static class Ledger
{
    private static readonly object s_ledger = new object();
    private static int s_posted;

    // Takes s_ledger, then (in Journal.Write) s_journal.
    public static void Post()
    {
        lock (s_ledger)
        {
            s_posted++;
            Journal.Write($"posted {s_posted}");
        }
    }

    public static int Posted()
    {
        lock (s_ledger)                              // expect: THR014
        {
            return s_posted;
        }
    }
}

static class Journal
{
    private static readonly object s_journal = new object();
    private static readonly List<string> s_lines = new List<string>();

    public static void Write(string line)
    {
        lock (s_journal)                             // expect: THR014
        {
            s_lines.Add(line);
        }
    }

    // Hazard: holds s_journal while Ledger.Posted takes s_ledger: a thread here and one in Ledger.Post can wait for
    // each other forever. Reading Ledger.Posted() before taking s_journal is the fix.
    public static void Flush()
    {
        lock (s_journal)
        {
            Console.WriteLine($"{s_lines.Count} lines, {Ledger.Posted()} posted");
            s_lines.Clear();
        }
    }
}
