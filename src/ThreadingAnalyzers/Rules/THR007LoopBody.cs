using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR007: the body of a polling loop that does nothing but wait (Sleep, Yield, SpinWait) and report progress while it
/// waits (a Console, Debug or Trace write, a log line, an IProgress report, a counter of a local). Anything else is
/// real work (draining a queue, handling messages, a break on a timeout), and the loop is no busy-wait.
/// </summary>
internal sealed class LoopBody
{
    private LoopBody()
    {
    }

    public bool HasProgress { get; private set; }

    public int SleepCount { get; private set; }

    /// <summary>The facts of a waiting body; null when the body does other work.</summary>
    public static LoopBody? Of(IOperation? body, ThreadingTypes types)
    {
        var facts = new LoopBody();
        return facts.Accept(body, types) ? facts : null;
    }

    private bool Accept(IOperation? statement, ThreadingTypes types)
    {
        switch (statement)
        {
            case null or IEmptyOperation:
                return true;
            case IBlockOperation block:
                return block.Locals.IsEmpty && block.Operations.All(o => Accept(o, types));
            case IExpressionStatementOperation { Operation: IInvocationOperation invocation } when IsWaitCall(invocation, types):
                SleepCount += invocation.TargetMethod.Name == "Sleep" ? 1 : 0;
                return true;
            case IExpressionStatementOperation { Operation: IInvocationOperation invocation } when IsProgressCall(invocation, types):
            case IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Target: ILocalReferenceOperation } }:
            case IExpressionStatementOperation { Operation: ICompoundAssignmentOperation { Target: ILocalReferenceOperation, Value.ConstantValue.HasValue: true } }:
                HasProgress = true;
                return true;
            default:
                return false;
        }
    }

    private static bool IsWaitCall(IInvocationOperation invocation, ThreadingTypes types)
    {
        var method = invocation.TargetMethod;
        return method.Name switch
        {
            "Sleep" or "Yield" or "SpinWait" => method.IsStatic && types.IsThread(method.ContainingType),
            "SpinOnce" => method.ContainingType is { Name: "SpinWait", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } },
            _ => false,
        };
    }

    /// <summary>A write of a dot, a percentage or a log line, whose arguments only read and format.</summary>
    private static bool IsProgressCall(IInvocationOperation invocation, ThreadingTypes types)
    {
        var method = invocation.TargetMethod;
        var isProgress = method.ContainingType switch
        {
            _ when SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Console) => method.Name is "Write" or "WriteLine",
            { Name: "Debug" or "Trace", ContainingNamespace: { Name: "Diagnostics", ContainingNamespace.Name: "System" } } =>
                method.Name is "Write" or "WriteLine" or "Print" or "TraceInformation",
            { Name: "IProgress", Arity: 1 } => method.Name == "Report",
            { Name: var typeName } => (!method.IsStatic || method.IsExtensionMethod) && typeName.Contains("Log")
                && method.Name is "Log" or "LogInformation" or "LogDebug" or "LogTrace" or "Info" or "Debug" or "Trace" or "Verbose" or "Information",
        };
        return isProgress && invocation.Arguments.All(argument => argument.Value.DescendantsAndSelf()
            .All(o => o is not IInvocationOperation call || call.TargetMethod.Name is "ToString" or "Format"));
    }
}
