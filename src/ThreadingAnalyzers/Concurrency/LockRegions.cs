using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Where, in the function that makes it, a lock acquisition (<see cref="LockCall"/>) is released and held: whether a
/// finally releases it on every path (THR009), and which statements run while it is held (THR020). Statements are the
/// function's own (its nested lambdas and local functions run at other times).
/// </summary>
internal static class LockRegions
{
    /// <summary>
    /// Whether a finally releases the lock that <paramref name="acquire"/> takes, whatever path leaves the code after it:
    /// the acquisition is inside the body of a try whose finally releases it (<c>Enter(x, ref lockTaken)</c>), or is
    /// followed at once by such a try, or only by guards that leave (<c>if (!_sem.Wait(0)) return;</c>), or tests its
    /// result and runs such a try (<c>if (Monitor.TryEnter(x)) { try ... finally ... }</c>). The release may be
    /// conditional (<c>finally { if (!handedOver) Monitor.Exit(x); }</c>).
    /// </summary>
    public static bool IsReleasedInFinally(LockCall acquire)
    {
        IOperation child = acquire.Invocation;
        for (var current = child.Parent; current is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; current = current.Parent)
        {
            if (current is ITryOperation { Finally: { } @finally } @try && @try.Body == child && LockPrimitives.ReleasesIn(@finally, acquire))
            {
                return true;
            }

            child = current;
        }

        if (StatementOf(acquire.Invocation) is not { } statement)
        {
            return false;
        }

        if (statement is IConditionalOperation conditional && Contains(conditional.Condition, acquire.Invocation)
            && (StartsWithReleasingTry(conditional.WhenTrue, acquire) || StartsWithReleasingTry(conditional.WhenFalse, acquire)))
        {
            return true;
        }

        var statements = StatementsAround(statement);
        var index = statements.IndexOf(statement);
        return index >= 0 && IsFollowedByReleasingTry(statements, index + 1, acquire);
    }

    /// <summary>
    /// The operations that run while the lock <paramref name="acquire"/> takes is held, as far as the function shows:
    /// for an acquisition that always takes the lock, the statements after its own, in its block and in each block
    /// around it; for a conditional one (<c>TryEnter</c>, <c>Wait(timeout)</c>), the branch where its result says it
    /// was taken (<c>if (TryEnter(x)) { here }</c>, or after <c>if (!TryEnter(x)) return;</c>). Empty where the
    /// function does not say (a result stored for later).
    /// </summary>
    public static List<IOperation> HeldAfter(LockCall acquire)
    {
        var held = new List<IOperation>();
        if (StatementOf(acquire.Invocation) is not { } statement)
        {
            return held;
        }

        if (acquire.IsConditional)
        {
            switch (statement)
            {
                case IConditionalOperation conditional when OperationTree.Unwrap(conditional.Condition) == acquire.Invocation:
                    held.Add(conditional.WhenTrue);
                    return held;
                case IConditionalOperation { WhenFalse: null } conditional when IsNegated(conditional.Condition, acquire.Invocation) && IsJumpOnly(conditional.WhenTrue):
                case IWhileLoopOperation { ConditionIsTop: true, ConditionIsUntil: false } loop when IsNegated(loop.Condition, acquire.Invocation):
                    break;
                default:
                    return held;
            }
        }

        // Up to the function: each enclosing block's statements after the one that holds the acquisition.
        IOperation node = statement;
        while (node.Parent is { } parent and not IAnonymousFunctionOperation and not ILocalFunctionOperation)
        {
            var statements = parent switch
            {
                IBlockOperation block => block.Operations,
                ISwitchCaseOperation section => section.Body,
                _ => ImmutableArray<IOperation>.Empty,
            };
            for (var index = statements.IndexOf(node) + 1; index > 0 && index < statements.Length; index++)
            {
                held.Add(statements[index]);
            }

            node = parent;
        }

        return held;
    }

    /// <summary>The statement of a block or switch section that holds <paramref name="operation"/>, in the same function; null in an expression-bodied member without one.</summary>
    public static IOperation? StatementOf(IOperation operation)
    {
        for (var current = operation; current.Parent is { } parent; current = parent)
        {
            if (parent is IBlockOperation or ISwitchCaseOperation)
            {
                return current;
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>How a message names the call: <c>Monitor.Enter(_gate)</c>, <c>_sem.Wait()</c>, <c>_rw.TryEnterWriteLock(...)</c>.</summary>
    public static string Describe(LockCall call)
    {
        var name = call.Invocation.TargetMethod.Name;
        if (call.Primitive == LockPrimitive.Monitor)
        {
            return "Monitor." + name + "(" + call.Target?.Syntax.ToString() + ")";
        }

        var receiver = call.Invocation.Instance?.Syntax.ToString() ?? call.Invocation.TargetMethod.ContainingType.Name;
        return receiver + "." + name + (call.Invocation.Arguments.Length == 0 ? "()" : "(...)");
    }

    /// <summary>Whether <paramref name="operation"/> is a leave (return, throw, break, continue, goto), or a block that ends with one.</summary>
    public static bool IsJumpOnly(IOperation? operation) => operation switch
    {
        IBranchOperation or IReturnOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IThrowOperation => true,
        IBlockOperation { Operations.Length: > 0 } block => IsJumpOnly(block.Operations[block.Operations.Length - 1]),
        _ => false,
    };

    private static ImmutableArray<IOperation> StatementsAround(IOperation statement) => statement.Parent switch
    {
        IBlockOperation block => block.Operations,
        ISwitchCaseOperation section => section.Body,
        _ => ImmutableArray<IOperation>.Empty,
    };

    private static bool StartsWithReleasingTry(IOperation? branch, LockCall acquire) => branch switch
    {
        ITryOperation { Finally: { } @finally } => LockPrimitives.ReleasesIn(@finally, acquire),
        IBlockOperation block => IsFollowedByReleasingTry(block.Operations, 0, acquire),
        _ => false,
    };

    /// <summary>
/// From <paramref name="index"/> on, only guards that leave (<c>if (!taken) return;</c>) and declarations that cannot
/// throw come before a try whose finally releases the lock.
/// </summary>
    private static bool IsFollowedByReleasingTry(ImmutableArray<IOperation> statements, int index, LockCall acquire)
    {
        for (; index < statements.Length; index++)
        {
            switch (statements[index])
            {
                case ITryOperation { Finally: { } @finally }:
                    return LockPrimitives.ReleasesIn(@finally, acquire);
                case IConditionalOperation { WhenFalse: null } guard when IsJumpOnly(guard.WhenTrue):
                case IVariableDeclarationGroupOperation declarations when CannotThrow(declarations):
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation or IParameterReferenceOperation } assignment }
                    when CannotThrow(assignment.Value):
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary><c>new Dictionary&lt;int, string&gt;()</c>: a library type's constructor without arguments does not throw.</summary>
    private static bool IsEmptyLibraryObject(IOperation value) =>
        value is IObjectCreationOperation { Arguments.Length: 0, Initializer: null, Type: { } type }
        && !type.Locations.Any(static location => location.IsInSource);

    /// <summary>Locals declared before the try for its finally or the code after it: <c>bool removed = false; Type found;</c>.</summary>
    private static bool CannotThrow(IVariableDeclarationGroupOperation group)
    {
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                if ((declarator.Initializer?.Value ?? declaration.Initializer?.Value) is { } value && !CannotThrow(value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>A constant, null, default, a local or parameter, or a new library object without arguments.</summary>
    private static bool CannotThrow(IOperation value)
    {
        value = OperationTree.Unwrap(value)!;
        return value is ILiteralOperation or IDefaultValueOperation or ILocalReferenceOperation or IParameterReferenceOperation
            || value.ConstantValue.HasValue
            || IsEmptyLibraryObject(value);
    }

    private static bool IsNegated(IOperation? condition, IOperation operation) =>
        OperationTree.Unwrap(condition) is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not
        && OperationTree.Unwrap(not.Operand) == operation;

    private static bool Contains(IOperation region, IOperation operation)
    {
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (current == region)
            {
                return true;
            }
        }

        return false;
    }
}
