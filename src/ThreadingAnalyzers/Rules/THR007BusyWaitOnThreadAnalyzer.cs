using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR007: a <c>while</c> or <c>do</c> loop that only waits for a thread to end by polling its IsAlive or ThreadState,
/// with an empty body or only Sleep, Yield and SpinWait calls.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR007BusyWaitOnThreadAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present (empty value) when the code fix can replace the loop with Join() calls.</summary>
    internal const string FixProperty = "THR007.Fix";

    /// <summary>ThreadState.Stopped: the bit that every ended thread's state has.</summary>
    private const int StoppedBit = 16;

    /// <summary>ThreadState.WaitSleepJoin: the state of a thread that is blocked.</summary>
    private const int WaitSleepJoinBit = 32;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR007);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeLoop(c, types), OperationKind.Loop);
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, ThreadingTypes types)
    {
        if (context.Operation is not IWhileLoopOperation { Condition: { } condition } loop
            || loop.Syntax.ContainsDiagnostics
            || !WaitOnlyBody.IsOnlyWaiting(loop.Body, types))
        {
            return;
        }

        var threads = new List<IOperation>();
        if (!CollectPolledThreads(condition, types, threads, out var fixable))
        {
            return;
        }

        // A thread polling itself never ends the loop: that is no wait for another thread.
        if (threads.Any(static t => t is IPropertyReferenceOperation { Property.Name: "CurrentThread" })
            || loop.Descendants().Any(static o => o is IInvalidOperation))
        {
            return;
        }

        fixable &= threads.All(IsSideEffectFree);
        var properties = fixable
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "")
            : ImmutableDictionary<string, string?>.Empty;
        // The condition as written, parentheses included (the operation tree drops them).
        var conditionSyntax = loop.Syntax switch
        {
            WhileStatementSyntax whileLoop => whileLoop.Condition,
            DoStatementSyntax doLoop => doLoop.Condition,
            _ => condition.Syntax,
        };
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR007, conditionSyntax.GetLocation(), properties, conditionSyntax.ToString()));
    }

    /// <summary>
    /// True when <paramref name="condition"/> stays true while the polled threads run: <c>t.IsAlive</c>,
    /// <c>t.ThreadState != ThreadState.Stopped</c>, <c>(t.ThreadState &amp; ThreadState.Stopped) == 0</c>,
    /// <c>t.ThreadState == ThreadState.Running</c> (or <c>WaitSleepJoin</c>), or several of them joined with <c>||</c>.
    /// <paramref name="fixable"/> is false when the loop may end before the thread does (<c>== Running</c>).
    /// </summary>
    private static bool CollectPolledThreads(IOperation condition, ThreadingTypes types, List<IOperation> threads, out bool fixable)
    {
        fixable = false;
        condition = EntryPoints.Unwrap(condition)!;
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                if (!CollectPolledThreads(or.LeftOperand, types, threads, out var leftFixable)
                    || !CollectPolledThreads(or.RightOperand, types, threads, out var rightFixable))
                {
                    return false;
                }

                fixable = leftFixable && rightFixable;
                return true;

            case IPropertyReferenceOperation { Property.Name: "IsAlive", Instance: { } thread } property
                when types.IsThread(property.Property.ContainingType):
                threads.Add(thread);
                fixable = true;
                return true;

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                return IsRunningTest(comparison, types, threads, out fixable);

            default:
                return false;
        }
    }

    private static bool IsRunningTest(IBinaryOperation comparison, ThreadingTypes types, List<IOperation> threads, out bool fixable)
    {
        fixable = false;
        var (state, constant) = comparison.RightOperand.ConstantValue.HasValue
            ? (EntryPoints.Unwrap(comparison.LeftOperand), comparison.RightOperand.ConstantValue)
            : (EntryPoints.Unwrap(comparison.RightOperand), comparison.LeftOperand.ConstantValue);
        if (!constant.HasValue || constant.Value is not int value)
        {
            return false;
        }

        var notEquals = comparison.OperatorKind == BinaryOperatorKind.NotEquals;
        if (ThreadStateOf(state, types) is { } thread)
        {
            // `!= Stopped` runs until the thread has ended; `== Running` (or `== WaitSleepJoin`) until it ends or changes state.
            if ((notEquals && value == StoppedBit) || (!notEquals && value is 0 or WaitSleepJoinBit))
            {
                threads.Add(thread);
                fixable = notEquals;
                return true;
            }

            return false;
        }

        // `(t.ThreadState & ThreadState.Stopped) == 0` or `!= ThreadState.Stopped`
        if (((!notEquals && value == 0) || (notEquals && value == StoppedBit))
            && state is IBinaryOperation { OperatorKind: BinaryOperatorKind.And } mask
            && (mask.RightOperand.ConstantValue is { HasValue: true, Value: StoppedBit } ? ThreadStateOf(EntryPoints.Unwrap(mask.LeftOperand), types)
                : mask.LeftOperand.ConstantValue is { HasValue: true, Value: StoppedBit } ? ThreadStateOf(EntryPoints.Unwrap(mask.RightOperand), types)
                : null) is { } masked)
        {
            threads.Add(masked);
            fixable = true;
            return true;
        }

        return false;
    }

    /// <summary>The thread whose <c>ThreadState</c> <paramref name="operation"/> reads, if it reads one.</summary>
    private static IOperation? ThreadStateOf(IOperation? operation, ThreadingTypes types) =>
        operation is IPropertyReferenceOperation { Property.Name: "ThreadState", Instance: { } thread } property
        && types.IsThread(property.Property.ContainingType)
            ? thread
            : null;

    /// <summary>A local, a parameter, or a field of this object or a static one: reading it twice reads the same thread.</summary>
    private static bool IsSideEffectFree(IOperation thread) =>
        thread is ILocalReferenceOperation or IParameterReferenceOperation
        || thread is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } };
}
