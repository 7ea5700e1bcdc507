using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The threading types of one compilation, each resolved on first use and shared by every rule. Any symbol question
/// (even which assemblies are referenced) makes the compiler bind the references and merge the declarations of every
/// source file, work it does anyway before it binds code. Asked at compilation start, on a compilation nothing has
/// touched yet, that work is charged to the asking rule (45% of THR002's sampled time when it ran alone on the benchmark corpus): so a rule
/// registers its actions without asking, and its first action asks <see cref="ThreadIsReferenced"/> or
/// <see cref="CanStartConcurrentCode"/> (answered once per compilation) and does nothing when the types are absent.
/// </summary>
internal sealed class ThreadingTypes
{
    private static readonly ConditionalWeakTable<Compilation, ThreadingTypes> Cache = new();

    private readonly ConcurrentDictionary<string, INamedTypeSymbol?> _types = new(StringComparer.Ordinal);
    private readonly Func<string, INamedTypeSymbol?> _lookUp;
    private readonly ConcurrentDictionary<string, bool> _referenced = new();
    private ThreadingOptions? _options;
    private int _threadIsReferenced;
    private int _canStartConcurrentCode;

    private ThreadingTypes(Compilation compilation)
    {
        Compilation = compilation;
        // The one place that looks types up by metadata name; everything else asks Resolve (src/BannedSymbols.txt).
#pragma warning disable RS0030
        _lookUp = compilation.GetTypeByMetadataName;
#pragma warning restore RS0030
    }

    public const string ThreadName = "System.Threading.Thread";

    public Compilation Compilation { get; }
    public INamedTypeSymbol? Thread => Resolve(ThreadName);
    public INamedTypeSymbol? ThreadStart => Resolve("System.Threading.ThreadStart");
    public INamedTypeSymbol? ParameterizedThreadStart => Resolve("System.Threading.ParameterizedThreadStart");
    public INamedTypeSymbol? Monitor => Resolve("System.Threading.Monitor");
    public INamedTypeSymbol? Interlocked => Resolve("System.Threading.Interlocked");
    public INamedTypeSymbol? Volatile => Resolve("System.Threading.Volatile");
    public INamedTypeSymbol? ThreadPool => Resolve("System.Threading.ThreadPool");
    public INamedTypeSymbol? Timer => Resolve("System.Threading.Timer");
    public INamedTypeSymbol? TimersTimer => Resolve("System.Timers.Timer");
    public INamedTypeSymbol? ActionBlock => Resolve("System.Threading.Tasks.Dataflow.ActionBlock`1");
    public INamedTypeSymbol? TransformBlock => Resolve("System.Threading.Tasks.Dataflow.TransformBlock`2");
    public INamedTypeSymbol? TransformManyBlock => Resolve("System.Threading.Tasks.Dataflow.TransformManyBlock`2");
    /// <summary><c>System.Threading.Lock</c> (.NET 9 and later); null on older frameworks.</summary>
    public INamedTypeSymbol? Lock => Resolve("System.Threading.Lock");
    public INamedTypeSymbol? Task => Resolve("System.Threading.Tasks.Task");
    public INamedTypeSymbol? TaskOfT => Resolve("System.Threading.Tasks.Task`1");
    public INamedTypeSymbol? TaskFactory => Resolve("System.Threading.Tasks.TaskFactory");
    /// <summary><c>TaskFactory&lt;TResult&gt;</c> (<c>Task&lt;T&gt;.Factory</c>).</summary>
    public INamedTypeSymbol? TaskFactoryOfT => Resolve("System.Threading.Tasks.TaskFactory`1");
    public INamedTypeSymbol? Parallel => Resolve("System.Threading.Tasks.Parallel");
    public INamedTypeSymbol? ParallelEnumerable => Resolve("System.Linq.ParallelEnumerable");
    public INamedTypeSymbol? AppDomain => Resolve("System.AppDomain");
    public INamedTypeSymbol? CancellationToken => Resolve("System.Threading.CancellationToken");
    public INamedTypeSymbol? Console => Resolve("System.Console");
    /// <summary><c>BlockingCollection&lt;T&gt;</c>, the open generic definition.</summary>
    public INamedTypeSymbol? BlockingCollection => Resolve("System.Collections.Concurrent.BlockingCollection`1");
    /// <summary><c>ConcurrentDictionary&lt;TKey, TValue&gt;</c>, the open generic definition.</summary>
    public INamedTypeSymbol? ConcurrentDictionary => Resolve("System.Collections.Concurrent.ConcurrentDictionary`2");
    /// <summary><c>List&lt;T&gt;</c>, the open generic definition.</summary>
    public INamedTypeSymbol? ListOfT => Resolve("System.Collections.Generic.List`1");
    public INamedTypeSymbol? Environment => Resolve("System.Environment");
    public INamedTypeSymbol? ImmutableInterlocked => Resolve("System.Collections.Immutable.ImmutableInterlocked");
    public INamedTypeSymbol? ThreadStaticAttribute => Resolve("System.ThreadStaticAttribute");
    public INamedTypeSymbol? GeneratedCodeAttribute => Resolve("System.CodeDom.Compiler.GeneratedCodeAttribute");

    /// <summary>Whether <paramref name="symbol"/> carries an attribute of class <paramref name="attributeClass"/> (one of the types above).</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attributeClass)
    {
        if (attributeClass is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeClass))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] UnsynchronizedCollectionNames =
    {
        "System.Collections.Generic.List`1", "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Queue`1", "System.Collections.Generic.Stack`1", "System.Collections.Generic.SortedList`2",
        "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedSet`1",
        "System.Collections.SortedList",
    };

    /// <summary>
    /// The simple names of <see cref="UnsynchronizedCollectionNames"/> ("List", "SortedList", ...), compared before any
    /// symbol, each with the metadata names of the collections of that name (two are called SortedList); a
    /// collection's type is resolved only once a reference of a type of its name is met.
    /// </summary>
    /// <remarks>Only read after it is built, so it is safe to share between threads.</remarks>
    private static readonly Dictionary<string, string[]> UnsynchronizedCollectionsBySimpleName = UnsynchronizedCollectionNames
        .GroupBy(name => name.Substring(name.LastIndexOf('.') + 1).Split('`')[0], StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);

    /// <summary>
    /// Whether <c>System.Threading.Thread</c> comes from a referenced assembly (a type of that name declared in the
    /// compilation's own sources is not the framework's). Answered once per compilation; ask it from actions only.
    /// </summary>
    public bool ThreadIsReferenced => Answer(ref _threadIsReferenced, ThreadNames);

    /// <summary>Whether a referenced assembly declares Thread, Task, ThreadPool or Parallel. Answered once per compilation; ask it from actions only.</summary>
    public bool CanStartConcurrentCode => Answer(ref _canStartConcurrentCode, EntryPointTypeNames);

    private static readonly string[] ThreadNames = { ThreadName };

    private static readonly string[] EntryPointTypeNames =
        { ThreadName, "System.Threading.Tasks.Task", "System.Threading.ThreadPool", "System.Threading.Tasks.Parallel" };

    /// <summary>0 unknown, 1 yes, 2 no; two threads may both compute it and get the same answer.</summary>
    private bool Answer(ref int state, string[] metadataNames)
    {
        var answer = System.Threading.Volatile.Read(ref state);
        if (answer == 0)
        {
            answer = IsReferenced(metadataNames) ? 1 : 2;
            System.Threading.Volatile.Write(ref state, answer);
        }

        return answer == 1;
    }

    /// <summary>
    /// Whether an assembly that the compilation references declares one of <paramref name="metadataNames"/>, without
    /// resolving names in the compilation's own sources; each name is looked up once per compilation.
    /// </summary>
    public bool IsReferenced(params string[] metadataNames)
    {
        foreach (var name in metadataNames)
        {
            if (_referenced.GetOrAdd(name, DeclaredByAReference))
            {
                return true;
            }
        }

        return false;
    }

    private bool DeclaredByAReference(string metadataName)
    {
        foreach (var assembly in Compilation.SourceModule.ReferencedAssemblySymbols)
        {
            if (assembly.GetTypeByMetadataName(metadataName) is not null)
            {
                return true;
            }
        }

        return false;
    }

    public static ThreadingTypes From(Compilation compilation) =>
        Cache.GetValue(compilation, static c => new ThreadingTypes(c));

    /// <summary>
    /// The types of <paramref name="compilation"/>, with the code base's own threading options (.editorconfig,
    /// .globalconfig) attached for the shared model to ask. Every analyzer passes the same options in one compilation.
    /// </summary>
    public static ThreadingTypes From(Compilation compilation, AnalyzerOptions options)
    {
        var types = From(compilation);
        if (types._options is null)
        {
            // Two analyzers may both read them: ThreadingOptions.From answers both with the same instance.
            types._options = ThreadingOptions.From(compilation, options);
        }

        return types;
    }

    /// <summary>What the code base's options say about its own entry points, thread-safe types and locks; none when not attached.</summary>
    public ThreadingOptions Options => _options ?? ThreadingOptions.None;

    /// <summary>
    /// Whether <paramref name="type"/> is one of the BCL collections that are not safe to mutate from several threads
    /// (List&lt;T&gt;, Dictionary&lt;K,V&gt;, ..., any instantiation).
    /// </summary>
    /// <remarks>Asked for every variable reference the concurrency walks meet: the name is compared before the symbol.</remarks>
    public bool IsUnsynchronizedCollection(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } named
            || !UnsynchronizedCollectionsBySimpleName.TryGetValue(named.Name, out var metadataNames))
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        foreach (var metadataName in metadataNames)
        {
            if (Resolve(metadataName) is { } collection
                && SymbolEqualityComparer.Default.Equals(definition, collection))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The type of that metadata name, looked up once per compilation. Keyed by the name itself, so that a property
    /// can only ever return the type it names; two threads may both look it up and get the same symbol.
    /// </summary>
    public INamedTypeSymbol? Resolve(string metadataName) => _types.GetOrAdd(metadataName, _lookUp);

    /// <summary>Whether <paramref name="type"/> is the framework's Thread; false when no reference declares one.</summary>
    public bool IsThread(ITypeSymbol? type) =>
        type is not null && ThreadIsReferenced && Thread is { } thread && SymbolEqualityComparer.Default.Equals(type, thread);
}
