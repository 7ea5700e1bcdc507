using System.Collections.Immutable;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>A concurrent body that can be seen and compiles, with the accesses of its own code.</summary>
internal sealed class BodyScope
{
    public BodyScope(FunctionScope function, ImmutableArray<Access> own, ImmutableArray<CallSite> calls, AwaitSplit? split = null)
    {
        Function = function;
        Own = own;
        Calls = calls;
        Split = split;
    }

    /// <summary>For a body that runs concurrently only from its first await on, where that is; its own accesses and calls are already those after it.</summary>
    public AwaitSplit? Split { get; }

    public FunctionScope Function { get; }

    public ImmutableArray<Access> Own { get; }

    /// <summary>The calls the body's own code makes to methods of this compilation (as <see cref="Reach.CallsIn"/> finds them).</summary>
    public ImmutableArray<CallSite> Calls { get; }
}
