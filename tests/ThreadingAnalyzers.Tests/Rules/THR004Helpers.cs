using ThreadingAnalyzers.CodeFixes;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>What the THR004 test classes share: the fix keys and a method to put a body in.</summary>
internal static class THR004Helpers
{
    public const string TaskRun = THR004CpuBoundDedicatedThreadCodeFix.UseTaskRunKey;
    public const string ParallelFor = THR004CpuBoundDedicatedThreadCodeFix.UseParallelForKey;

    /// <summary>A class whose method M holds <paramref name="body"/>, with CPU-bound and blocking helpers to call.</summary>
    public static string InMethod(string body, string members = "") => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        class C
        {
            private long _sum;
            private volatile bool _stop;
        {{members}}
            void M(int[] data, int n)
            {
        {{body}}
            }
            static long Sum(int[] data) { long s = 0; foreach (var x in data) s += x; return s; }
            static long SumRange(int[] data, int from, int to) { long s = 0; for (var i = from; i < to; i++) s += data[i]; return s; }
            static int Fib(int n) => n < 2 ? n : Fib(n - 1) + Fib(n - 2);
            static void Run() => Step();
            static void Step() { var s = 0.0; for (var i = 0; i < 1000; i++) s += Math.Sqrt(i); }
            static void Work(object? state) { var n = (int)state!; var s = 0; for (var i = 0; i < n; i++) s += i; }
        }
        """;
}
