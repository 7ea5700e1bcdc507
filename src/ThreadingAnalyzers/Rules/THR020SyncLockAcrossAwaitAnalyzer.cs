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
/// THR020: in an async function, a synchronous lock (<c>Monitor.Enter</c>/<c>TryEnter</c>, <c>SemaphoreSlim.Wait</c>,
/// <c>Mutex.WaitOne</c>, <c>SpinLock.Enter</c>/<c>TryEnter</c>, <c>ReaderWriterLockSlim.[Try]Enter*Lock</c>) is taken,
/// then an await (or <c>await foreach</c>, <c>await using</c>) runs while it is held, and the function releases it
/// after that await.
/// </summary>
/// <remarks>
/// Reported on the acquisition, not the await: one acquisition held across several awaits is one mistake, and the fix
/// (<c>await WaitAsync()</c>) is there. The first await it is held at is named and is the additional location.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR020SyncLockAcrossAwaitAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present when <c>await x.WaitAsync(...)</c> compiles in place of <c>x.Wait(...)</c>.</summary>
    internal const string FixProperty = "THR020.Fix";

    /// <summary>The function's one CancellationToken parameter, as the code names it, to pass to WaitAsync.</summary>
    internal const string TokenProperty = "THR020.Token";

    private const int LongestAwaitText = 60;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR020);

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
            || !IsSynchronousLock(acquire)
            || BrokenCode.InText(invocation))
        {
            return;
        }

        var function = EnclosingFunction.Of(invocation, context.ContainingSymbol);
        if (!function.IsAsync)
        {
            return;
        }

        var root = OperationTree.Root(invocation);
        var own = function.Function ?? root;
        var calls = LockPrimitives.CallsOf(own);
        if (!calls.Any(call => call.Position > acquire.Position && call.Releases(acquire))
            || FirstSuspensionHeld(acquire, function.Function, calls) is not { } suspension
            || BrokenCode.In(root)) // half-typed code anywhere in the body: wait until it compiles
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (IsFixable(acquire, function, types, out var token))
        {
            properties = properties.Add(FixProperty, "");
            if (token is not null)
            {
                properties = properties.Add(TokenProperty, token);
            }
        }

        var line = suspension.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.THR020,
            invocation.Syntax.GetLocation(),
            ImmutableArray.Create(suspension.Syntax.GetLocation()),
            properties,
            LockRegions.Describe(acquire),
            AwaitText(suspension),
            line.ToString(CultureInfo.InvariantCulture),
            Consequence(acquire)));
    }

    /// <summary>The primitives that a thread owns or waits for synchronously; WaitAsync is the right form, Semaphore and ReaderWriterLock are not in the contract.</summary>
    private static bool IsSynchronousLock(LockCall acquire) => acquire.Primitive switch
    {
        LockPrimitive.Monitor or LockPrimitive.Mutex or LockPrimitive.SpinLock or LockPrimitive.ReaderWriterLockSlim => true,
        LockPrimitive.SemaphoreSlim => acquire.Invocation.TargetMethod.Name == "Wait",
        _ => false,
    };

    /// <summary>
    /// The first await, in the statements that run while the lock is held, with no release of it between the
    /// acquisition and the await, and a release after it: the function shows that it still holds the lock there.
    /// </summary>
    private static IOperation? FirstSuspensionHeld(LockCall acquire, IOperation? function, List<LockCall> calls)
    {
        IOperation? first = null;
        foreach (var region in LockRegions.HeldAfter(acquire))
        {
            if (IsSuspension(region) && IsFirst(region))
            {
                first = region;
            }

            foreach (var operation in OperationWalk.OperationsOf(region))
            {
                // Lambdas that run synchronously are walked as the function's code; an await in one is its own.
                if (IsSuspension(operation) && IsFirst(operation) && OperationTree.EnclosingNestedFunction(operation) == function)
                {
                    first = operation;
                }
            }
        }

        if (first is null)
        {
            return null;
        }

        var at = first.Syntax.SpanStart;
        return calls.Any(call => call.Position > acquire.Position && call.Position < at && call.Releases(acquire))
            || !calls.Any(call => call.Position > at && call.Releases(acquire))
            ? null
            : first;

        bool IsFirst(IOperation operation) => first is null || operation.Syntax.SpanStart < first.Syntax.SpanStart;
    }

    private static bool IsSuspension(IOperation operation) => operation switch
    {
        IAwaitOperation => true,
        IForEachLoopOperation { IsAsynchronous: true } => true,
        IUsingOperation { IsAsynchronous: true } => true,
        IUsingDeclarationOperation { IsAsynchronous: true } => true,
        _ => false,
    };

    /// <summary>The await as the message quotes it: <c>await Task.Delay(100)</c>, shortened when long or on several lines.</summary>
    private static string AwaitText(IOperation suspension)
    {
        var text = suspension switch
        {
            IForEachLoopOperation => "await foreach",
            IUsingOperation or IUsingDeclarationOperation => "await using",
            _ => suspension.Syntax.ToString(),
        };
        var newLine = text.IndexOfAny(new[] { '\r', '\n' });
        if (newLine >= 0 || text.Length > LongestAwaitText)
        {
            var cut = newLine >= 0 ? System.Math.Min(newLine, LongestAwaitText) : LongestAwaitText;
            text = text.Substring(0, cut).TrimEnd() + "...";
        }

        return text;
    }

    private static string Consequence(LockCall acquire) => acquire.Primitive switch
    {
        LockPrimitive.Monitor => "the Monitor.Exit after the await can run on another thread, where it throws SynchronizationLockException and the lock stays held; use a SemaphoreSlim with await WaitAsync()",
        LockPrimitive.Mutex => "the ReleaseMutex after the await can run on another thread, where it throws and the mutex stays held; use a SemaphoreSlim with await WaitAsync()",
        LockPrimitive.SpinLock => "other threads spin for the whole await, and the Exit after it can run on another thread, where it throws; use a SemaphoreSlim with await WaitAsync()",
        LockPrimitive.ReaderWriterLockSlim => "the Exit after the await can run on another thread, where it throws SynchronizationLockException and the lock stays held; use a SemaphoreSlim with await WaitAsync()",
        _ => "Wait blocks a thread in async code while it waits; use await WaitAsync()",
    };

    /// <summary>
    /// <c>x.Wait(args)</c> on a SemaphoreSlim, written as a plain call, where <c>await x.WaitAsync(args)</c> compiles: an
    /// overload takes the same arguments (and the function's token when the call passes none).
    /// </summary>
    private static bool IsFixable(LockCall acquire, EnclosingFunction function, ThreadingTypes types, out string? token)
    {
        token = null;
        var wait = acquire.Invocation.TargetMethod;
        if (acquire.Primitive != LockPrimitive.SemaphoreSlim
            || acquire.Invocation.Syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax }
            || !function.AwaitCompiles())
        {
            return false;
        }

        var passesToken = wait.Parameters.Any(p => SymbolEqualityComparer.Default.Equals(p.Type, types.CancellationToken));
        token = passesToken ? null : function.CancellationTokenParameter(types);
        var withToken = token is not null;
        var hasOverload = wait.ContainingType.GetMembers("WaitAsync").Any(member => member is IMethodSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public } waitAsync
            && waitAsync.Parameters.Length == wait.Parameters.Length + (withToken ? 1 : 0)
            && wait.Parameters.All(p => SymbolEqualityComparer.Default.Equals(p.Type, waitAsync.Parameters[p.Ordinal].Type) && p.Name == waitAsync.Parameters[p.Ordinal].Name)
            && (!withToken || SymbolEqualityComparer.Default.Equals(waitAsync.Parameters[wait.Parameters.Length].Type, types.CancellationToken)));
        return hasOverload;
    }
}
