using System;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The last few values computed on this thread from a key (a starter, a function), found by reference, while an
/// analysis scope is open. One analysis asks for the same function's facts many times in a row (once per entry point,
/// once per write), and a <see cref="System.Runtime.CompilerServices.ConditionalWeakTable{TKey, TValue}"/> would take a
/// lock and a GC handle for every new key. Nothing is shared across threads, so nothing is locked; closing the outermost
/// scope forgets everything, so no operation tree (and the compilation behind it) outlives the analysis. Outside a
/// scope nothing is cached.
/// </summary>
internal static class RecentlyComputed
{
    private const int Size = 16;

    [ThreadStatic]
    private static object?[]? s_keys;

    [ThreadStatic]
    private static object?[]? s_values;

    [ThreadStatic]
    private static int s_next;

    [ThreadStatic]
    private static int s_depth;

    /// <summary>Opens a scope on this thread: values computed until it is disposed may be reused.</summary>
    public static Scope Open()
    {
        s_depth++;
        return default;
    }

    public static TValue GetOrAdd<TKey, TValue>(TKey key, Func<TKey, TValue> compute)
        where TKey : class
        where TValue : class
    {
        if (s_depth == 0)
        {
            return compute(key);
        }

        var keys = s_keys ??= new object?[Size];
        var values = s_values ??= new object?[Size];
        for (var index = 0; index < Size; index++)
        {
            if (ReferenceEquals(keys[index], key) && values[index] is TValue known)
            {
                return known;
            }
        }

        var value = compute(key);
        keys[s_next] = key;
        values[s_next] = value;
        s_next = (s_next + 1) % Size;
        return value;
    }

    public readonly struct Scope : IDisposable
    {
        public void Dispose()
        {
            if (--s_depth == 0 && s_keys is { } keys && s_values is { } values)
            {
                Array.Clear(keys, 0, keys.Length);
                Array.Clear(values, 0, values.Length);
                s_next = 0;
            }
        }
    }
}
