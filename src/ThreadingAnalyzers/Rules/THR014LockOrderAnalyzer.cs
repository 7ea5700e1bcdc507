using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR014: one path takes lock A and, while holding it, lock B; another takes B and then A. Two threads that run one
/// path each can each hold one lock and wait forever for the other. Nesting is followed into the methods of the same
/// type that a function calls on <c>this</c> while it holds a lock, and into private helpers through the locks their
/// callers hold (<see cref="LockModel"/>). Silent when both orders run under a common outer lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR014LockOrderAnalyzer : DiagnosticAnalyzer
{
    private const int MaxCallDepth = 3;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR014);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolStartAction(
            symbolStart =>
            {
                // The outermost type answers for its nested types: an order in one and the opposite in another is one graph.
                if (symbolStart.Symbol is INamedTypeSymbol { ContainingType: null, TypeKind: TypeKind.Class or TypeKind.Struct } type
                    && CountLocks(type, symbolStart.CancellationToken) >= 2)
                {
                    LockingTypes.AnalyzeAtEnd(symbolStart, AnalyzeType);
                }
            },
            SymbolKind.NamedType);
    }

    /// <summary>Lock <see cref="Outer"/> is held when <see cref="Inner"/> is taken at <see cref="InnerAcquisition"/>.</summary>
    private sealed class Edge
    {
        public Edge(LockIdentity outer, LockIdentity inner, IOperation? outerAcquisition, IOperation innerAcquisition, IMethodSymbol member, ImmutableArray<HeldLock> held)
        {
            Outer = outer;
            Inner = inner;
            OuterAcquisition = outerAcquisition;
            InnerAcquisition = innerAcquisition;
            Member = member;
            Held = held;
        }

        public LockIdentity Outer { get; }

        public LockIdentity Inner { get; }

        public IOperation? OuterAcquisition { get; }

        public IOperation InnerAcquisition { get; }

        /// <summary>The member whose code takes the inner lock (the caller, when it is taken in a method it calls).</summary>
        public IMethodSymbol Member { get; }

        public ImmutableArray<HeldLock> Held { get; }
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var locks = LockModel.For(context.Compilation).ForType(type);
        var edges = new List<Edge>();
        var takenByMethod = new LocksTaken(locks);
        using (RecentlyComputed.Open())
        {
            foreach (var function in locks.Functions)
            {
                if (!function.HasErrors)
                {
                    CollectEdges(function, locks, takenByMethod, edges);
                }
            }
        }

        var reported = new HashSet<IOperation>();
        foreach (var edge in edges)
        {
            if (ClosingOrders(edge, edges) is { } others && reported.Add(edge.InnerAcquisition))
            {
                Report(context, edge, others);
            }
        }
    }

    /// <summary>
    /// The other orders that close a cycle with <paramref name="edge"/>: one edge back (B then A), or two through a third
    /// lock (B then C, C then A), none of them under a lock that every order of the cycle holds; null when there is none.
    /// </summary>
    private static Edge[]? ClosingOrders(Edge edge, List<Edge> edges)
    {
        foreach (var other in edges)
        {
            if (edge.Outer.Equals(other.Inner) && edge.Inner.Equals(other.Outer) && !HaveCommonOuterLock(edge, other))
            {
                return new[] { other };
            }
        }

        foreach (var second in edges)
        {
            if (!second.Outer.Equals(edge.Inner) || second.Inner.Equals(edge.Outer) || second.Inner.Equals(edge.Inner)
                || HaveCommonOuterLock(edge, second))
            {
                continue;
            }

            foreach (var third in edges)
            {
                if (third.Outer.Equals(second.Inner) && third.Inner.Equals(edge.Outer)
                    && !HaveCommonOuterLock(edge, third) && !HaveCommonOuterLock(second, third))
                {
                    return new[] { second, third };
                }
            }
        }

        return null;
    }

    private static void Report(SymbolAnalysisContext context, Edge edge, Edge[] others)
    {
        var additional = new List<Location>();
        var orders = new List<string>();
        foreach (var other in others)
        {
            if (other.OuterAcquisition is { } otherOuter)
            {
                additional.Add(otherOuter.Syntax.GetLocation());
            }

            additional.Add(other.InnerAcquisition.Syntax.GetLocation());
            var line = other.InnerAcquisition.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            var member = other.Member.ContainingType.Name + "." + THR013InconsistentSynchronizationAnalyzer.MemberName(other.Member);
            orders.Add($"'{other.Outer.Name}' then '{other.Inner.Name}' in {member} (line {line.ToString(CultureInfo.InvariantCulture)})");
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.THR014, edge.InnerAcquisition.Syntax.GetLocation(), additional, edge.Outer.Name, edge.Inner.Name, string.Join(", and ", orders)));
    }

    private static void CollectEdges(LockedFunction function, TypeLocks locks, LocksTaken takenByMethod, List<Edge> edges)
    {
        ImmutableArray<HeldLock>? onEntry = null;
        foreach (var (operation, kind) in OperationWalk.OperationsOf(function.Function).WithKinds())
        {
            if (kind is not (OperationKind.Lock or OperationKind.Invocation))
            {
                continue;
            }

            var direct = Acquired(operation);
            if (direct is null && !IsCallOnThis(operation))
            {
                continue;
            }

            onEntry ??= locks.HeldOnEntry(function);
            var held = LockModel.HeldInFunction(operation, function.Function, function.Sections).AddRange(onEntry.Value);
            if (!HasNamedLock(held))
            {
                continue;
            }

            var taken = direct is { } one ? new List<(LockIdentity, IOperation)> { one } : takenByMethod.Of(((IInvocationOperation)operation).TargetMethod);
            foreach (var (inner, acquisition) in taken)
            {
                foreach (var outer in held)
                {
                    if (IsNamed(outer.Identity) && !outer.IsReadLock && !outer.Identity.Equals(inner))
                    {
                        edges.Add(new Edge(outer.Identity, inner, outer.Acquisition, acquisition, function.Member, held));
                    }
                }
            }
        }
    }

    private static bool IsCallOnThis(IOperation operation) =>
        operation is IInvocationOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } };

    private static bool HasNamedLock(ImmutableArray<HeldLock> held)
    {
        foreach (var item in held)
        {
            if (IsNamed(item.Identity) && !item.IsReadLock)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The locks each method of the type takes, directly or in the methods it calls on <c>this</c>, a few calls deep; found once per method.</summary>
    private sealed class LocksTaken
    {
        private readonly Dictionary<IMethodSymbol, LockedFunction> _functions = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, List<(LockIdentity, IOperation)>> _known = new(SymbolEqualityComparer.Default);

        public LocksTaken(TypeLocks locks)
        {
            foreach (var function in locks.Functions)
            {
                if (function.Method is { } method && !_functions.ContainsKey(method))
                {
                    _functions.Add(method, function);
                }
            }
        }

        public List<(LockIdentity, IOperation)> Of(IMethodSymbol method) => Of(method.OriginalDefinition, MaxCallDepth);

        private List<(LockIdentity, IOperation)> Of(IMethodSymbol method, int depth)
        {
            if (_known.TryGetValue(method, out var known))
            {
                return known;
            }

            var taken = new List<(LockIdentity, IOperation)>();
            _known[method] = taken;
            if (depth == 0 || !_functions.TryGetValue(method, out var function))
            {
                return taken;
            }

            foreach (var (operation, kind) in OperationWalk.OperationsOf(function.Function).WithKinds())
            {
                // A lock the callee takes only on some branch may be one its caller never reaches (the caller's
                // arguments decide it): only the locks every call takes count.
                if (kind is not (OperationKind.Lock or OperationKind.Invocation) || IsConditional(operation, function.Function))
                {
                    continue;
                }

                if (Acquired(operation) is { } direct)
                {
                    taken.Add(direct);
                }
                else if (kind == OperationKind.Invocation && IsCallOnThis(operation))
                {
                    taken.AddRange(Of(((IInvocationOperation)operation).TargetMethod.OriginalDefinition, depth - 1));
                }
            }

            return taken;
        }
    }

    private static bool IsConditional(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null && current != function; current = current.Parent)
        {
            if (current.Kind is OperationKind.Conditional or OperationKind.Switch or OperationKind.Loop or OperationKind.Try or OperationKind.Coalesce or OperationKind.ConditionalAccess)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The monitor lock a <c>lock</c> statement or a <c>Monitor.Enter</c>/<c>TryEnter</c> takes, when it can be named.</summary>
    private static (LockIdentity, IOperation)? Acquired(IOperation operation)
    {
        var identity = operation switch
        {
            ILockOperation lockOperation => LockIdentity.Of(lockOperation.LockedValue),
            IInvocationOperation { TargetMethod: { Name: "Enter" or "TryEnter", IsStatic: true, ContainingType.Name: "Monitor" } } enter when enter.Arguments.Length > 0
                && Symbols.IsNamespace(enter.TargetMethod.ContainingType.ContainingNamespace, Symbols.ThreadingNamespace) => LockIdentity.Of(enter.Arguments[0].Value),
            _ => LockIdentity.Unknown,
        };
        return IsNamed(identity) ? (identity, operation) : null;
    }

    /// <summary>A lock known across functions: a field or property, <c>this</c>, <c>typeof</c>.</summary>
    private static bool IsNamed(LockIdentity identity) =>
        identity.Kind is LockIdentityKind.Member or LockIdentityKind.This or LockIdentityKind.TypeOf;

    /// <summary>A third lock held around both orders: only one of them can run at a time.</summary>
    private static bool HaveCommonOuterLock(Edge edge, Edge other)
    {
        foreach (var held in edge.Held)
        {
            if (held.Identity.Equals(edge.Outer) || held.Identity.Equals(edge.Inner) || !IsNamed(held.Identity))
            {
                continue;
            }

            foreach (var otherHeld in other.Held)
            {
                if (otherHeld.Identity.Equals(held.Identity))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>How many <c>lock</c> keywords and <c>Enter</c> names the declarations hold: two orders need two acquisitions.</summary>
    private static int CountLocks(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var token in LockingTypes.LockTokens(type, cancellationToken))
        {
            if (token.IsKind(SyntaxKind.LockKeyword) || (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "Enter" or "TryEnter" or "Synchronized"))
            {
                count++;
            }
        }

        return count;
    }
}
