using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The threading types of one compilation, resolved once and shared by every rule.
/// A rule bails out at compilation start when the type it needs is absent.
/// </summary>
internal sealed class ThreadingTypes
{
    private static readonly ConditionalWeakTable<Compilation, ThreadingTypes> Cache = new();

    private ThreadingTypes(Compilation compilation)
    {
        Compilation = compilation;
        Thread = compilation.GetTypeByMetadataName("System.Threading.Thread");
        ThreadStart = compilation.GetTypeByMetadataName("System.Threading.ThreadStart");
        ParameterizedThreadStart = compilation.GetTypeByMetadataName("System.Threading.ParameterizedThreadStart");
        Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
        Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
        Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
        ThreadPool = compilation.GetTypeByMetadataName("System.Threading.ThreadPool");
        Timer = compilation.GetTypeByMetadataName("System.Threading.Timer");
        Lock = compilation.GetTypeByMetadataName("System.Threading.Lock");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskFactory = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory");
        TaskFactoryOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskFactory`1");
        Parallel = compilation.GetTypeByMetadataName("System.Threading.Tasks.Parallel");
        ParallelEnumerable = compilation.GetTypeByMetadataName("System.Linq.ParallelEnumerable");
        AppDomain = compilation.GetTypeByMetadataName("System.AppDomain");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Console = compilation.GetTypeByMetadataName("System.Console");
        BlockingCollection = compilation.GetTypeByMetadataName("System.Collections.Concurrent.BlockingCollection`1");
        ListOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1");
        Environment = compilation.GetTypeByMetadataName("System.Environment");
    }

    public Compilation Compilation { get; }
    public INamedTypeSymbol? Thread { get; }
    public INamedTypeSymbol? ThreadStart { get; }
    public INamedTypeSymbol? ParameterizedThreadStart { get; }
    public INamedTypeSymbol? Monitor { get; }
    public INamedTypeSymbol? Interlocked { get; }
    public INamedTypeSymbol? Volatile { get; }
    public INamedTypeSymbol? ThreadPool { get; }
    public INamedTypeSymbol? Timer { get; }
    /// <summary><c>System.Threading.Lock</c> (.NET 9 and later); null on older frameworks.</summary>
    public INamedTypeSymbol? Lock { get; }
    public INamedTypeSymbol? Task { get; }
    public INamedTypeSymbol? TaskFactory { get; }
    /// <summary><c>TaskFactory&lt;TResult&gt;</c> (<c>Task&lt;T&gt;.Factory</c>).</summary>
    public INamedTypeSymbol? TaskFactoryOfT { get; }
    public INamedTypeSymbol? Parallel { get; }
    public INamedTypeSymbol? ParallelEnumerable { get; }
    public INamedTypeSymbol? AppDomain { get; }
    public INamedTypeSymbol? CancellationToken { get; }
    public INamedTypeSymbol? Console { get; }
    /// <summary><c>BlockingCollection&lt;T&gt;</c>, the open generic definition.</summary>
    public INamedTypeSymbol? BlockingCollection { get; }
    /// <summary><c>List&lt;T&gt;</c>, the open generic definition.</summary>
    public INamedTypeSymbol? ListOfT { get; }
    public INamedTypeSymbol? Environment { get; }

    public static ThreadingTypes From(Compilation compilation) =>
        Cache.GetValue(compilation, static c => new ThreadingTypes(c));

    public bool IsThread(ITypeSymbol? type) =>
        type is not null && Thread is not null && SymbolEqualityComparer.Default.Equals(type, Thread);
}
