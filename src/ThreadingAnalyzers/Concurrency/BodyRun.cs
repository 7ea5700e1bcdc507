using System.Collections.Immutable;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>One body of one entry point, with what it (and the methods it calls) touches.</summary>
internal sealed class BodyRun
{
    public BodyRun(EntryPoint entry, RunWindow window, bool runsMoreThanOnceAtATime, ImmutableArray<Access> accesses)
    {
        Entry = entry;
        Window = window;
        RunsMoreThanOnceAtATime = runsMoreThanOnceAtATime;
        Accesses = accesses;
    }

    public EntryPoint Entry { get; }

    public RunWindow Window { get; }

    public bool RunsMoreThanOnceAtATime { get; }

    public ImmutableArray<Access> Accesses { get; }
}
