using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR009: a lock acquisition (<c>Monitor.Enter</c>/<c>TryEnter</c>, <c>SpinLock</c>, <c>ReaderWriterLockSlim</c>,
/// <c>ReaderWriterLock</c>, <c>Mutex</c>, <c>Semaphore</c>, <c>SemaphoreSlim</c>) whose release, later in the same
/// function, is not in the finally of a try that the acquisition immediately precedes or is inside of.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR009MonitorEnterWithoutFinallyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// Present when the code fix can rewrite the run of statements from the acquisition to the release: the start
    /// position of the release statement in the same block.
    /// </summary>
    internal const string ExitStatementProperty = "THR009.ExitAt";

    /// <summary>Which rewrite: <see cref="LockFix"/> or <see cref="TryFinallyFix"/>.</summary>
    internal const string FixProperty = "THR009.Fix";

    internal const string LockFix = "lock";

    internal const string TryFinallyFix = "try";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR009);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationActionWhereMentioned(LockPrimitives.AcquireWords(types.Options), c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (LockPrimitives.Recognize(invocation) is not { IsAcquire: true, Key: not null } acquire
            || BrokenCode.InText(invocation))
        {
            return;
        }

        // Released only where this function cannot see (an Acquire/Release pair of methods, a releasing lambda handed
        // to the caller): the callers' business.
        var function = OperationTree.OwnFunction(invocation);
        var calls = LockPrimitives.CallsOf(function);
        var release = calls.FirstOrDefault(call => call.Position > acquire.Position && call.Releases(acquire));
        var root = OperationTree.Root(invocation);
        if (release is null
            || LockRegions.IsReleasedInFinally(acquire)
            || BrokenCode.In(root)) // half-typed code anywhere in the body: wait until it compiles
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (FixableRelease(acquire, calls, types) is { } fix)
        {
            properties = properties
                .Add(ExitStatementProperty, fix.Release.Syntax.SpanStart.ToString(CultureInfo.InvariantCulture))
                .Add(FixProperty, fix.Kind);
        }

        var advice = acquire.Primitive == LockPrimitive.Monitor ? "use a lock statement" : "release it in a finally";
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.THR009,
            invocation.Syntax.GetLocation(),
            properties,
            LockRegions.Describe(acquire),
            LockRegions.Describe(release),
            advice));
    }

    /// <summary>
    /// The release statement that ends an <c>acquire; ...; release;</c> run of statements of one block, when the run can
    /// become <c>lock (x) { ... }</c> (Monitor) or <c>acquire; try { ... } finally { release; }</c> and still compile
    /// and mean the same.
    /// </summary>
    private static (IOperation Release, string Kind)? FixableRelease(LockCall acquire, List<LockCall> calls, ThreadingTypes types)
    {
        var isMonitor = acquire.Primitive == LockPrimitive.Monitor;
        if (acquire.IsConditional
            || (isMonitor && (acquire.Invocation.Arguments.Length != 1 || !CanBeLocked(acquire.Target, types)))
            || LockRegions.StatementOf(acquire.Invocation) is not { Parent: IBlockOperation block } statement
            || statement is not IExpressionStatementOperation
            || statement.Syntax.Parent is not BlockSyntax
            || (!isMonitor && OperationTree.Unwrap(((IExpressionStatementOperation)statement).Operation) is not (IInvocationOperation or IAwaitOperation)))
        {
            return null;
        }

        var start = block.Operations.IndexOf(statement);
        for (var index = start + 1; index < block.Operations.Length; index++)
        {
            var current = block.Operations[index];
            if (current is IExpressionStatementOperation { Operation: IInvocationOperation exit }
                && calls.FirstOrDefault(call => call.Invocation == exit) is { } release
                && release.Releases(acquire))
            {
                return DeclaresLocalsUsedAfter(block, start, index) ? null : (current, isMonitor ? LockFix : TryFinallyFix);
            }

            // The statements move into a block: what must stay in this scope stops the fix, and so does what a lock
            // cannot hold (an await or a yield) or another call on the same lock.
            if (current is ILocalFunctionOperation or ILabeledOperation or IUsingDeclarationOperation
                || TouchesLockOrSuspends(current, acquire, suspendStops: isMonitor))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>lock takes a reference (a value would be boxed anew, CS0185); a System.Threading.Lock would switch to its own scope.</summary>
    private static bool CanBeLocked(IOperation? argument, ThreadingTypes types)
    {
        var value = OperationTree.Unwrap(argument);
        return value?.Type is { IsReferenceType: true } type
            && type.TypeKind != TypeKind.Dynamic
            && !(type.Name == "Lock" && types.Lock is { } lockType && SymbolEqualityComparer.Default.Equals(type, lockType));
    }

    /// <summary>Another call on the same lock, or (when <paramref name="suspendStops"/>) an await or yield, outside nested functions.</summary>
    private static bool TouchesLockOrSuspends(IOperation statement, LockCall acquire, bool suspendStops)
    {
        if (Stops(statement))
        {
            return true;
        }

        foreach (var operation in OperationWalk.OperationsOf(statement))
        {
            if (Stops(operation))
            {
                return true;
            }
        }

        return false;

        bool Stops(IOperation operation) => operation switch
        {
            IAwaitOperation
                or IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak }
                or IForEachLoopOperation { IsAsynchronous: true }
                or IUsingOperation { IsAsynchronous: true }
                or IUsingDeclarationOperation { IsAsynchronous: true } => suspendStops,
            IInvocationOperation invocation => LockPrimitives.Recognize(invocation) is { } call && call.SameLock(acquire),
            _ => false,
        };
    }

    /// <summary>A local declared between the acquire and the release (at the block's level) and used after the release would leave its scope.</summary>
    private static bool DeclaresLocalsUsedAfter(IBlockOperation block, int enterIndex, int exitIndex)
    {
        if (block.Locals.IsEmpty || exitIndex + 1 >= block.Operations.Length)
        {
            return false;
        }

        var from = block.Operations[enterIndex].Syntax.Span.End;
        var to = block.Operations[exitIndex].Syntax.SpanStart;
        var moved = block.Locals
            .Where(local => local.DeclaringSyntaxReferences.Any(r => r.Span.Start >= from && r.Span.End <= to))
            .ToImmutableHashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (moved.IsEmpty)
        {
            return false;
        }

        for (var index = exitIndex + 1; index < block.Operations.Length; index++)
        {
            if (block.Operations[index].DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => moved.Contains(r.Local)))
            {
                return true;
            }
        }

        return false;
    }
}
