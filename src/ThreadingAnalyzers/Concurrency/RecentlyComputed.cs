using System;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The last few values computed on this thread from a key (an operation tree, a starter), found by reference. An
/// analysis asks for the same function's facts many times in a row (once per entry point, once per write), and a
/// <see cref="System.Runtime.CompilerServices.ConditionalWeakTable{TKey, TValue}"/> would take a lock and a GC
/// handle for every new key. One cache per value type; nothing is shared across threads, so nothing is locked.
/// </summary>
internal static class RecentlyComputed<TValue>
    where TValue : class
{
    private const int Size = 8;

    [ThreadStatic]
    private static object?[]? s_keys;

    [ThreadStatic]
    private static TValue?[]? s_values;

    [ThreadStatic]
    private static int s_next;

    public static TValue GetOrAdd<TKey>(TKey key, Func<TKey, TValue> compute)
        where TKey : class
    {
        var keys = s_keys ??= new object?[Size];
        var values = s_values ??= new TValue?[Size];
        for (var index = 0; index < Size; index++)
        {
            if (ReferenceEquals(keys[index], key))
            {
                return values[index]!;
            }
        }

        var value = compute(key);
        keys[s_next] = key;
        values[s_next] = value;
        s_next = (s_next + 1) % Size;
        return value;
    }
}
