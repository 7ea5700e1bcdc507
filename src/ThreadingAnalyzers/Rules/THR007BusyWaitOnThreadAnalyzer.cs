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
/// THR007: a <c>while</c> or <c>do</c> loop that only waits for a thread (or any of a collection of threads) to end by
/// polling its IsAlive or ThreadState, with an empty body or only Sleep, Yield and SpinWait calls and progress reports.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR007BusyWaitOnThreadAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present when the code fix can replace the loop: <see cref="JoinFix"/>, <see cref="JoinIntervalFix"/> or <see cref="JoinEachFix"/>.</summary>
    internal const string FixProperty = "THR007.Fix";

    /// <summary><c>t.Join();</c> for each polled thread.</summary>
    internal const string JoinFix = "";

    /// <summary><c>while (!t.Join(interval)) { progress }</c>: the loop reports progress and sleeps for an interval.</summary>
    internal const string JoinIntervalFix = "Interval";

    /// <summary><c>foreach (var t in threads) t.Join();</c> for <c>threads.Any(t =&gt; t.IsAlive)</c>.</summary>
    internal const string JoinEachFix = "Each";

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
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationAction(c => AnalyzeLoop(c, types), OperationKind.Loop);
        });
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, ThreadingTypes types)
    {
        if (context.Operation is not IWhileLoopOperation { Condition: { } condition } loop
            || BrokenCode.InText(loop)
            || LoopBody.Of(loop.Body, types) is not { } body)
        {
            return;
        }

        var threads = new List<IOperation>();
        string? fix;
        if (CollectPolledThreads(condition, types, threads, out var fixable))
        {
            fix = !fixable || !threads.All(IsSideEffectFree) ? null
                : !body.HasProgress ? JoinFix
                : threads.Count == 1 && body.SleepCount == 1 ? JoinIntervalFix
                : body.SleepCount == 0 ? JoinFix
                : null;
        }
        else if (PolledCollection(condition, types) is { } collection)
        {
            threads.Add(collection.Thread);
            fix = !body.HasProgress && IsSideEffectFree(collection.Threads)
                && context.Operation.SemanticModel!.LookupSymbols(loop.Syntax.SpanStart, name: collection.Name).IsEmpty
                ? JoinEachFix
                : null;
        }
        else
        {
            return;
        }

        // A thread polling itself never ends the loop: that is no wait for another thread.
        if (threads.Any(static t => t is IPropertyReferenceOperation { Property.Name: "CurrentThread" })
            || BrokenCode.In(loop))
        {
            return;
        }

        var properties = fix is not null
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix)
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
    /// <c>threads.Any(t =&gt; t.IsAlive)</c> or <c>!threads.All(t =&gt; !t.IsAlive)</c> (any poll of the lambda's thread):
    /// the collection, the lambda's thread parameter and its name.
    /// </summary>
    private static (IOperation Threads, IOperation Thread, string Name)? PolledCollection(IOperation condition, ThreadingTypes types)
    {
        condition = OperationTree.Unwrap(condition)!;
        var negated = condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not };
        if (negated)
        {
            condition = OperationTree.Unwrap(((IUnaryOperation)condition).Operand)!;
        }

        if (condition is not IInvocationOperation { TargetMethod: { Name: "Any" or "All", IsExtensionMethod: true } method, Arguments.Length: 2 } call
            || method.ContainingType is not { Name: "Enumerable", ContainingNamespace.Name: "Linq" }
            || (method.Name == "All") != negated
            || OperationTree.Unwrap(call.Arguments[1].Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters: { Length: 1 } parameters } lambda }
            || !types.IsThread(parameters[0].Type)
            || lambda.Body.Operations.Length != 1
            || lambda.Body.Operations[0] is not IReturnOperation { ReturnedValue: { } returned })
        {
            return null;
        }

        var poll = OperationTree.Unwrap(returned)!;
        if (method.Name == "All")
        {
            if (poll is not IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
            {
                return null;
            }

            poll = not.Operand;
        }

        var threads = new List<IOperation>();
        return CollectPolledThreads(poll, types, threads, out var fixable) && fixable
            && threads.All(t => t is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameters[0]))
            ? (OperationTree.Unwrap(call.Arguments[0].Value)!, threads[0], parameters[0].Name)
            : null;
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
        condition = OperationTree.Unwrap(condition)!;
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
            ? (OperationTree.Unwrap(comparison.LeftOperand), comparison.RightOperand.ConstantValue)
            : (OperationTree.Unwrap(comparison.RightOperand), comparison.LeftOperand.ConstantValue);
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
            && (HasStoppedBit(mask.RightOperand, notEquals) ? ThreadStateOf(OperationTree.Unwrap(mask.LeftOperand), types)
                : HasStoppedBit(mask.LeftOperand, notEquals) ? ThreadStateOf(OperationTree.Unwrap(mask.RightOperand), types)
                : null) is { } masked)
        {
            // A wider mask (Stopped | Unstarted) also ends the loop for a thread not yet started, where Join would throw.
            threads.Add(masked);
            fixable = mask.RightOperand.ConstantValue.Value is StoppedBit || mask.LeftOperand.ConstantValue.Value is StoppedBit;
            return true;
        }

        return false;
    }

    /// <summary>A mask constant with the Stopped bit: <c>(state &amp; mask) == 0</c> waits for Stopped (and the other bits); <c>!= Stopped</c> takes Stopped alone.</summary>
    private static bool HasStoppedBit(IOperation mask, bool comparedToStopped) =>
        mask.ConstantValue is { HasValue: true, Value: int bits } && (comparedToStopped ? bits == StoppedBit : (bits & StoppedBit) != 0);

    /// <summary>The thread whose <c>ThreadState</c> <paramref name="operation"/> reads, if it reads one.</summary>
    private static IOperation? ThreadStateOf(IOperation? operation, ThreadingTypes types) =>
        operation is IPropertyReferenceOperation { Property.Name: "ThreadState", Instance: { } thread } property
        && types.IsThread(property.Property.ContainingType)
            ? thread
            : null;

    /// <summary>A local, a parameter, or a field of this object or a static one: reading it twice reads the same thread.</summary>
    private static bool IsSideEffectFree(IOperation thread) =>
        OperationTree.Unwrap(thread) is ILocalReferenceOperation or IParameterReferenceOperation
        || thread is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } };
}
