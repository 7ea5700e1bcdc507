// THR021: each ConcurrentDictionary call is atomic, but a check followed by a store of the same key is two calls;
// another thread can add or remove the key between them.
using System.Collections.Concurrent;

Console.WriteLine("THR021 sample: four threads fill one cache.");

var sessions = new ConcurrentDictionary<int, string>();
var created = 0;
var workers = Enumerable.Range(0, 4).Select(_ => new Thread(Fill)).ToList();
workers.ForEach(t => t.Start());
workers.ForEach(t => t.Join());
Console.WriteLine($"{sessions.Count} sessions, {created} created (more than {sessions.Count} means work was done twice)");

void Fill()
{
    for (var id = 0; id < 100; id++)
    {
        // Hazard: two threads can both miss, both create a session, and the later store wins.
        if (!sessions.TryGetValue(id, out var session)) // expect: THR021
        {
            session = Create(id);
            sessions[id] = session;
        }

        // Hazard: the check and the store are two steps; TryAdd is one.
        var nameKey = id + 1000;
        var name = $"user{id}";
        if (!sessions.ContainsKey(nameKey)) // expect: THR021
        {
            sessions[nameKey] = name;
        }

        // Fixed: GetOrAdd and TryAdd check and store in one atomic operation.
        var shared = sessions.GetOrAdd(id + 2000, key => Create(key));
        sessions.TryAdd(id + 3000, shared);
    }
}

string Create(int id)
{
    Interlocked.Increment(ref created);
    return $"session {id}";
}
