using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR014: one path takes lock A and, while holding it, lock B; another takes B and then A. Two threads that run one
/// path each can each hold one lock and wait forever for the other. Nesting is followed into the methods of the same
/// type that a function calls on <c>this</c> while it holds a lock, and into private helpers through the locks their
/// callers hold (<see cref="LockModel"/>). A type's own cycles are found when the type ends; cycles through the static
/// locks of several types (taken directly, or in the methods of other types called while holding one) when the
/// compilation ends. Silent when the orders run under a common outer lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR014LockOrderAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR014);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(
            compilationStart =>
            {
                var program = new ProgramOrders();
                compilationStart.RegisterSymbolStartAction(
                    symbolStart =>
                    {
                        // The outermost type answers for its nested types: an order in one and the opposite in another is one graph.
                        // One lock is enough to order it before another type's.
                        if (symbolStart.Symbol is INamedTypeSymbol { ContainingType: null, TypeKind: TypeKind.Class or TypeKind.Struct } type
                            && HasLock(type, symbolStart.CancellationToken))
                        {
                            LockingTypes.AnalyzeAtEnd(symbolStart, typeEnd => AnalyzeType(typeEnd, program));
                        }
                        else if (symbolStart.Symbol is INamedTypeSymbol { ContainingType: not null } nested
                            && LockingTypes.Outermost(nested) is { TypeKind: TypeKind.Class or TypeKind.Struct } outermost
                            && HasLock(outermost, symbolStart.CancellationToken))
                        {
                            LockingTypes.BuildNested(symbolStart);
                        }
                    },
                    SymbolKind.NamedType);
                compilationStart.RegisterCompilationEndAction(compilationEnd => AnalyzeProgram(compilationEnd, program));
            });
    }

    /// <summary>What the types leave for the end of the compilation: the orders and calls that may close a cycle through other types.</summary>
    private sealed class ProgramOrders
    {
        public ConcurrentBag<LockOrder> Orders { get; } = new();

        public ConcurrentBag<LockedCall> Calls { get; } = new();

        /// <summary>The inner acquisitions reported when their types ended.</summary>
        public ConcurrentDictionary<(SyntaxTree, TextSpan), bool> Reported { get; } = new();
    }

    private static void AnalyzeType(SymbolAnalysisContext context, ProgramOrders program)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var locks = LockModel.For(context.Compilation).ForType(type);
        var orders = new List<LockOrder>();
        var calls = new List<LockedCall>();
        var taken = new LocksTaken(locks);
        using (RecentlyComputed.Open())
        {
            foreach (var function in locks.Functions)
            {
                if (!function.HasErrors)
                {
                    LockOrders.Collect(function, locks, taken, context.Compilation.Assembly, orders, calls);
                }
            }
        }

        if (orders.Count >= 2)
        {
            ReportCycles(orders, program, context.ReportDiagnostic, context.CancellationToken);
        }

        foreach (var order in orders)
        {
            if (order.IsGlobal)
            {
                program.Orders.Add(order);
            }
        }

        foreach (var call in calls)
        {
            program.Calls.Add(call);
        }
    }

    /// <summary>
    /// The cycles that only the whole program shows: through another type's static locks, taken directly or in the
    /// methods called while holding one. Each inner acquisition is reported once, here or when its type ended.
    /// </summary>
    private static void AnalyzeProgram(CompilationAnalysisContext context, ProgramOrders program)
    {
        if (program.Calls.IsEmpty && program.Orders.Count < 2)
        {
            return;
        }

        var orders = new List<LockOrder>(program.Orders);
        var taken = new LocksTaken(Reach.For(context.Compilation), context.Compilation.Assembly);
        using (RecentlyComputed.Open())
        {
            foreach (var call in program.Calls)
            {
                context.CancellationToken.ThrowIfCancellationRequested();
                call.AddOrders(taken, orders);
            }
        }

        // The types end in any order on concurrent threads: sorted, the same code gives the same reports.
        orders.Sort(CompareOrders);

        // The descriptor has no CompilationEnd tag on purpose: most THR014 reports come from the type's end and show
        // live in an editor; only these wait for a full analysis.
        ReportCycles(orders, program, context.ReportDiagnostic, context.CancellationToken);
    }

    /// <summary>Reports each order that closes a cycle, once per inner acquisition across the type ends and the compilation end.</summary>
    private static void ReportCycles(List<LockOrder> orders, ProgramOrders program, System.Action<Diagnostic> report, System.Threading.CancellationToken cancellationToken)
    {
        var cycles = new LockCycles(orders);
        foreach (var order in orders)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = KeyOf(order.InnerAcquisition);
            if (!program.Reported.ContainsKey(key) && cycles.Closing(order) is { } others && program.Reported.TryAdd(key, true))
            {
                report(Create(order, others));
            }
        }
    }

    private static Diagnostic Create(LockOrder order, LockOrder[] others)
    {
        var location = order.InnerAcquisition.Syntax.GetLocation();
        var additional = new List<Location>();
        var described = new List<string>();
        foreach (var other in others)
        {
            if (other.OuterAcquisition is { } otherOuter)
            {
                additional.Add(otherOuter.Syntax.GetLocation());
            }

            var inner = other.InnerAcquisition.Syntax.GetLocation();
            additional.Add(inner);
            var line = (inner.GetLineSpan().StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture);
            var where = inner.SourceTree == location.SourceTree ? "line " + line : "line " + line + " of " + Path.GetFileName(inner.SourceTree?.FilePath ?? string.Empty);
            var member = other.Member.ContainingType.Name + "." + Symbols.MemberName(other.Member);
            described.Add($"'{other.Outer.Name}' then '{other.Inner.Name}' in {member} ({where})");
        }

        // Two or three orders read "A, and B" as they always have; longer cycles list the others, the last after "and".
        var text = described.Count <= 2 ? string.Join(", and ", described) : string.Join(", ", described.GetRange(0, described.Count - 1)) + ", and " + described[described.Count - 1];
        return Diagnostic.Create(Descriptors.THR014, location, additional, order.Outer.Name, order.Inner.Name, text);
    }

    private static (SyntaxTree, TextSpan) KeyOf(IOperation acquisition) => (acquisition.Syntax.SyntaxTree, acquisition.Syntax.Span);

    private static int CompareOrders(LockOrder x, LockOrder y)
    {
        var compared = ComparePositions(x.InnerAcquisition, y.InnerAcquisition);
        if (compared == 0)
        {
            compared = ComparePositions(x.Site, y.Site);
        }

        if (compared == 0)
        {
            compared = x.OuterAcquisition is null || y.OuterAcquisition is null
                ? (x.OuterAcquisition is null ? 0 : 1) - (y.OuterAcquisition is null ? 0 : 1)
                : ComparePositions(x.OuterAcquisition, y.OuterAcquisition);
        }

        return compared != 0 ? compared : string.CompareOrdinal(x.Outer.Symbol?.ToDisplayString(), y.Outer.Symbol?.ToDisplayString());
    }

    private static int ComparePositions(IOperation x, IOperation y)
    {
        var compared = string.CompareOrdinal(x.Syntax.SyntaxTree.FilePath, y.Syntax.SyntaxTree.FilePath);
        return compared != 0 ? compared : x.Syntax.SpanStart.CompareTo(y.Syntax.SpanStart);
    }

    /// <summary>Whether the declarations hold a <c>lock</c> keyword or an <c>Enter</c> or <c>Synchronized</c> name: no order without one.</summary>
    private static bool HasLock(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken) =>
        LockingTypes.MayTakeLock(type, static name => name is "Enter" or "TryEnter" or "Synchronized", cancellationToken);
}
