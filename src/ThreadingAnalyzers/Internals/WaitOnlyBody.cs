using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Internals;

/// <summary>Whether a loop body does nothing but wait: a body that polls (THR007, THR017) is empty or only sleeps, yields or spins.</summary>
internal static class WaitOnlyBody
{
    /// <summary>An empty body, or one of only Thread.Sleep, Thread.Yield, Thread.SpinWait and SpinWait.SpinOnce calls.</summary>
    public static bool IsOnlyWaiting(IOperation? body, ThreadingTypes types) => body switch
    {
        null or IEmptyOperation => true,
        IBlockOperation block => block.Locals.IsEmpty && block.Operations.All(o => IsOnlyWaiting(o, types)),
        IExpressionStatementOperation { Operation: IInvocationOperation invocation } => IsWaitCall(invocation, types),
        _ => false,
    };

    /// <summary>Thread.Sleep, Thread.Yield, Thread.SpinWait or SpinWait.SpinOnce: a call that only waits.</summary>
    public static bool IsWaitCall(IInvocationOperation invocation, ThreadingTypes types)
    {
        var method = invocation.TargetMethod;
        return method.Name switch
        {
            "Sleep" or "Yield" or "SpinWait" => method.IsStatic && types.IsThread(method.ContainingType),
            "SpinOnce" => method.ContainingType is { Name: "SpinWait", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } },
            _ => false,
        };
    }
}
