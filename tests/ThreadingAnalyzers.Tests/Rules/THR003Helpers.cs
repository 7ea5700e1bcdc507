namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>What the THR003 test classes share: the suggested replacements and a method to put a statement in.</summary>
internal static class THR003Helpers
{
    public const string Handshake = "a ManualResetEventSlim or SemaphoreSlim handshake";
    public const string Cancellation = "cooperative cancellation with a CancellationToken";
    public const string ThreadLocalStorage = "ThreadLocal<T>, AsyncLocal<T> or [ThreadStatic]";

    public static string InMethod(string body) => $$"""
        using System;
        using System.Threading;
        class C
        {
            int _field;
            object _box;
            Thread _worker = new Thread(() => { });

            void M(Thread t, LocalDataStoreSlot slot)
            {
                {{body}}
            }
        }
        """;
}
