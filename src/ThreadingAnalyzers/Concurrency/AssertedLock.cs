using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether a method states that its callers hold a lock: a statement of its body asserts
/// <c>Monitor.IsEntered(x)</c> (<c>Debug.Assert(Monitor.IsEntered(this))</c>, <c>Trace.Assert</c>). Library code
/// names such helpers "...InsideLock" and checks it this way; the callers' lock cannot always be seen (they may be in
/// derived types), but the assertion fails in every debug run where it is not held.
/// </summary>
internal static class AssertedLock
{
    /// <summary>The asserted lock's object (a field, <c>this</c>'s type for <c>this</c>), or null when <paramref name="body"/> asserts none.</summary>
    public static ISymbol? Of(IOperation? body)
    {
        if (body is not IBlockOperation block)
        {
            return null;
        }

        foreach (var statement in block.Operations)
        {
            if (statement is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod.Name: "Assert", Arguments.Length: > 0 } assert }
                && assert.TargetMethod.ContainingType?.Name is "Debug" or "Trace"
                && OperationTree.Unwrap(assert.Arguments[0].Value) is IInvocationOperation { TargetMethod.Name: "IsEntered", Arguments.Length: 1 } isEntered
                && isEntered.TargetMethod.ContainingType?.Name == "Monitor")
            {
                return OperationTree.Unwrap(isEntered.Arguments[0].Value) switch
                {
                    IInstanceReferenceOperation instance => instance.Type,
                    var locked => OperationTree.ReferencedSymbol(locked),
                };
            }
        }

        return null;
    }
}
