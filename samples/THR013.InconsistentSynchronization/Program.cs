// THR013: a field that the type guards with a lock in one member and writes without it in another.

using System.Collections.Generic;

Console.WriteLine("THR013 sample: a field guarded by a lock in one member and not in another.");

var cache = new PriceCache();
cache.Put("apple", 3);
cache.Reset();
cache.Evict("apple");
Console.WriteLine($"hits: {cache.Hits}, items: {cache.Count}");
Console.WriteLine("Done.");

sealed class PriceCache
{
    private readonly object _sync = new object();
    private readonly Dictionary<string, int> _prices = new Dictionary<string, int>();
    private int _hits;
    private int _version;

    public PriceCache()
    {
        // The constructor runs before any other thread can see the object: silent.
        _hits = 0;
        _prices.Clear();
    }

    public int Hits => _hits;                        // a plain read of an int: silent

    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _prices.Count;
            }
        }
    }

    public void Put(string name, int price)
    {
        lock (_sync)
        {
            _prices[name] = price;
            _hits++;
            Touch();
        }
    }

    public bool TryGet(string name, out int price)
    {
        lock (_sync)
        {
            return _prices.TryGetValue(name, out price);
        }
    }

    // Hazard: Put holds _sync while it changes these fields; here another thread's Put runs at the same time.
    public void Reset()
    {
        _hits = 0;                                   // expect: THR013
        _prices.Clear();                             // expect: THR013
    }

    // Fixed: the same lock as Put.
    public void Evict(string name)
    {
        lock (_sync)
        {
            _prices.Remove(name);
            Touch();
        }
    }

    // Called only while _sync is held: protected by its callers' lock.
    private void Touch() => _version++;
}
