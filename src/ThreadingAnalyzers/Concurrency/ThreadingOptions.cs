using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// What a code base tells the analysis about its own threads, in <c>.editorconfig</c> or <c>.globalconfig</c>:
/// methods whose delegate argument runs concurrently, types whose instances need no lock, and acquire/release pairs
/// of its own lock types. Entries are documentation-comment ids (<c>M:MyCompany.Scheduler.Post(System.Action)</c>,
/// <c>T:MyCompany.SafeQueue`1</c>), separated by spaces or semicolons (ids hold commas); a trailing <c>*</c> matches
/// every method whose id starts with the text before it, so <c>M:MyCompany.Scheduler.Post*</c> is every overload.
/// Read once per compilation; resolved to symbols on first use, so a compilation without the keys pays nothing.
/// </summary>
internal sealed class ThreadingOptions
{
    public const string EntryPointsKey = "threading_analyzers.concurrent_entry_points";
    public const string ThreadSafeTypesKey = "threading_analyzers.thread_safe_types";
    public const string LockMethodsKey = "threading_analyzers.lock_methods";

    /// <summary>The suffix of an entry point whose delegate runs more than once at a time.</summary>
    public const string RepeatSuffix = "+repeat";

    private static readonly ConditionalWeakTable<Compilation, ThreadingOptions> Cache = new();

    public static readonly ThreadingOptions None = new(null, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty, ImmutableArray<string>.Empty);

    private readonly Compilation? _compilation;
    private readonly ImmutableArray<string> _entryPoints;
    private readonly ImmutableArray<string> _threadSafeTypes;
    private readonly ImmutableArray<string> _lockMethods;
    private Resolved? _resolved;

    private ThreadingOptions(Compilation? compilation, ImmutableArray<string> entryPoints, ImmutableArray<string> threadSafeTypes, ImmutableArray<string> lockMethods)
    {
        _compilation = compilation;
        _entryPoints = entryPoints;
        _threadSafeTypes = threadSafeTypes;
        _lockMethods = lockMethods;
    }

    /// <summary>No key is set: every question answers "not configured" without touching a symbol.</summary>
    public bool IsEmpty => _entryPoints.IsEmpty && _threadSafeTypes.IsEmpty && _lockMethods.IsEmpty;

    /// <summary>
    /// The options of <paramref name="compilation"/>: a key of the global options, or else the first value that a
    /// syntax tree's options give it (an <c>.editorconfig</c> section such as <c>[*.cs]</c>), read once.
    /// </summary>
    public static ThreadingOptions From(Compilation compilation, AnalyzerOptions options) =>
        Cache.GetValue(compilation, c => Read(c, options.AnalyzerConfigOptionsProvider));

    private static ThreadingOptions Read(Compilation compilation, AnalyzerConfigOptionsProvider provider)
    {
        var values = Values(compilation, provider, EntryPointsKey, ThreadSafeTypesKey, LockMethodsKey);
        var entryPoints = Entries(values[0]);
        var threadSafeTypes = Entries(values[1]);
        var lockMethods = Entries(values[2]);
        return entryPoints.IsEmpty && threadSafeTypes.IsEmpty && lockMethods.IsEmpty
            ? None
            : new ThreadingOptions(compilation, entryPoints, threadSafeTypes, lockMethods);
    }

    /// <summary>
    /// Each key's value: the global one, else the first file's that sets it. One pass over the files for all keys: a
    /// project's files are thousands, and asking each of them is most of what reading the options costs.
    /// </summary>
    private static string?[] Values(Compilation compilation, AnalyzerConfigOptionsProvider provider, params string[] keys)
    {
        var values = new string?[keys.Length];
        var missing = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (!provider.GlobalOptions.TryGetValue(keys[i], out values[i]))
            {
                missing++;
            }
        }

        AnalyzerConfigOptions? previous = null;
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (missing == 0)
            {
                break;
            }

            // Files under one set of .editorconfig sections (or none) share one options object: asked once.
            var options = provider.GetOptions(tree);
            if (ReferenceEquals(options, previous))
            {
                continue;
            }

            previous = options;
            for (var i = 0; i < keys.Length; i++)
            {
                if (values[i] is null && options.TryGetValue(keys[i], out var value))
                {
                    values[i] = value;
                    missing--;
                }
            }
        }

        return values;
    }

    private static ImmutableArray<string> Entries(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? ImmutableArray<string>.Empty
            : value!.Split(new[] { ' ', '\t', ';' }, StringSplitOptions.RemoveEmptyEntries).ToImmutableArray();

    /// <summary>Whether a call of <paramref name="method"/> runs its delegate arguments concurrently with the caller, and how often.</summary>
    public ConfiguredEntryPoint EntryPoint(IMethodSymbol method)
    {
        if (_entryPoints.IsEmpty)
        {
            return ConfiguredEntryPoint.No;
        }

        var resolved = Resolve();
        return resolved.RepeatedEntryPoints.Contains(method.OriginalDefinition) ? ConfiguredEntryPoint.RunsRepeatedly
            : resolved.EntryPoints.Contains(method.OriginalDefinition) ? ConfiguredEntryPoint.RunsOnce
            : method.ReducedFrom is { } extension ? EntryPoint(extension)
            : ConfiguredEntryPoint.No;
    }

    /// <summary>The simple names of the configured entry points, for the text filter that lets rules skip whole types.</summary>
    public ImmutableArray<string> EntryPointNames => _entryPoints.IsEmpty ? ImmutableArray<string>.Empty : Resolve().EntryPointNames;

    /// <summary>Whether instances of <paramref name="type"/> (any instantiation) are configured as safe to use from several threads.</summary>
    public bool IsThreadSafeType(ITypeSymbol? type) =>
        !_threadSafeTypes.IsEmpty && type is INamedTypeSymbol named && Resolve().ThreadSafeTypes.Contains(named.OriginalDefinition);

    /// <summary>Whether any acquire/release pair is configured: most compilations answer no before any symbol is asked.</summary>
    public bool HasLockMethods => !_lockMethods.IsEmpty;

    /// <summary>Whether <paramref name="method"/> acquires or releases one of the configured lock types, and which pair it belongs to.</summary>
    public LockMethodRole LockRole(IMethodSymbol method, out int pair)
    {
        pair = -1;
        if (_lockMethods.IsEmpty)
        {
            return LockMethodRole.None;
        }

        var resolved = Resolve();
        if (resolved.Acquires.TryGetValue(method.OriginalDefinition, out pair))
        {
            return LockMethodRole.Acquire;
        }

        return resolved.Releases.TryGetValue(method.OriginalDefinition, out pair) ? LockMethodRole.Release : LockMethodRole.None;
    }

    /// <summary>Every entry that is malformed or resolves to nothing, with its key and why: THR023 reports them.</summary>
    public ImmutableArray<OptionProblem> Problems => IsEmpty ? ImmutableArray<OptionProblem>.Empty : Resolve().Problems;

    private Resolved Resolve()
    {
        // Two threads may both resolve: they build equal answers, and either may be kept.
        return _resolved ??= new Resolved(_compilation!, _entryPoints, _threadSafeTypes, _lockMethods);
    }

    private sealed class Resolved
    {
        public readonly HashSet<ISymbol> EntryPoints = new(SymbolEqualityComparer.Default);
        public readonly HashSet<ISymbol> RepeatedEntryPoints = new(SymbolEqualityComparer.Default);
        public readonly HashSet<ISymbol> ThreadSafeTypes = new(SymbolEqualityComparer.Default);
        public readonly Dictionary<ISymbol, int> Acquires = new(SymbolEqualityComparer.Default);
        public readonly Dictionary<ISymbol, int> Releases = new(SymbolEqualityComparer.Default);
        public readonly ImmutableArray<string> EntryPointNames;
        public readonly ImmutableArray<OptionProblem> Problems;

        public Resolved(Compilation compilation, ImmutableArray<string> entryPoints, ImmutableArray<string> threadSafeTypes, ImmutableArray<string> lockMethods)
        {
            var problems = ImmutableArray.CreateBuilder<OptionProblem>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entryPoints)
            {
                var repeats = entry.EndsWith(RepeatSuffix, StringComparison.Ordinal);
                var id = repeats ? entry.Substring(0, entry.Length - RepeatSuffix.Length) : entry;
                var methods = DocumentationIds.Methods(compilation, id, out var problem);
                if (problem is not null)
                {
                    problems.Add(new OptionProblem(EntryPointsKey, entry, problem));
                    continue;
                }

                foreach (var method in methods)
                {
                    (repeats ? RepeatedEntryPoints : EntryPoints).Add(method.OriginalDefinition);
                    names.Add(method.Name);
                }
            }

            foreach (var entry in threadSafeTypes)
            {
                if (DocumentationIds.Type(compilation, entry, out var problem) is { } type)
                {
                    ThreadSafeTypes.Add(type.OriginalDefinition);
                }
                else
                {
                    problems.Add(new OptionProblem(ThreadSafeTypesKey, entry, problem!));
                }
            }

            for (var pair = 0; pair < lockMethods.Length; pair++)
            {
                var entry = lockMethods[pair];
                var parts = entry.Split('|');
                if (parts.Length != 2)
                {
                    problems.Add(new OptionProblem(LockMethodsKey, entry, "a pair is written 'M:acquire|M:release'"));
                    continue;
                }

                var acquires = DocumentationIds.Methods(compilation, parts[0], out var acquireProblem);
                var releases = DocumentationIds.Methods(compilation, parts[1], out var releaseProblem);
                if ((acquireProblem ?? releaseProblem) is { } problem)
                {
                    problems.Add(new OptionProblem(LockMethodsKey, entry, problem));
                    continue;
                }

                foreach (var method in acquires)
                {
                    Acquires[method.OriginalDefinition] = pair;
                }

                foreach (var method in releases)
                {
                    Releases[method.OriginalDefinition] = pair;
                }
            }

            EntryPointNames = names.ToImmutableArray();
            Problems = problems.ToImmutable();
        }
    }
}

internal enum ConfiguredEntryPoint
{
    No,
    RunsOnce,
    RunsRepeatedly,
}

internal enum LockMethodRole
{
    None,
    Acquire,
    Release,
}

/// <summary>An option entry the analysis could not use: the key, the entry as written, and why.</summary>
internal sealed class OptionProblem
{
    public OptionProblem(string key, string entry, string reason)
    {
        Key = key;
        Entry = entry;
        Reason = reason;
    }

    public string Key { get; }

    public string Entry { get; }

    public string Reason { get; }
}
