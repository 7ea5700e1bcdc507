using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;
/// <summary>How the replacement calls the thread's body: a parameterless lambda, a method group, or a method group with the Start argument.</summary>
internal sealed class ThreadBodySyntax
{
    public ThreadBodySyntax(AnonymousFunctionExpressionSyntax? lambda, ExpressionSyntax? methodGroup, bool takesArgument, ExpressionSyntax? argument)
    {
        Lambda = lambda;
        MethodGroup = methodGroup;
        TakesArgument = takesArgument;
        Argument = argument;
    }

    /// <summary>A lambda or anonymous method without parameters.</summary>
    public AnonymousFunctionExpressionSyntax? Lambda { get; }

    /// <summary>The method group (<c>Compute</c>, <c>worker.Run</c>) when the body is one.</summary>
    public ExpressionSyntax? MethodGroup { get; }

    /// <summary>The method group is a ParameterizedThreadStart: it is called with <see cref="Argument"/> (or <c>null</c>).</summary>
    public bool TakesArgument { get; }

    /// <summary>The argument of <c>Start(arg)</c>; null when Start has none.</summary>
    public ExpressionSyntax? Argument { get; }
}

/// <summary>Recognizes the exact shapes that THR004's code fixes rewrite; anything else gets no fix. One file per shape.</summary>
internal static partial class THR004ReplacementShapes
{
    /// <summary>A value whose evaluation has no side effects and cannot change between two reads in straight-line code.</summary>
    public static bool IsSimpleValue(IOperation? operation)
    {
        switch (operation)
        {
            case null:
                return false;
            case { ConstantValue.HasValue: true }:
            case ILiteralOperation:
            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
            case IInstanceReferenceOperation:
            case IDefaultValueOperation:
            case ITypeOfOperation:
            case INameOfOperation:
            case IInterpolatedStringTextOperation:
                return true;
            case IFieldReferenceOperation field:
                return field.Instance is null || IsSimpleValue(field.Instance);
            case IPropertyReferenceOperation { Property.Name: "Length" or "Count", Arguments.Length: 0 } property:
                return property.Instance is not null && IsSimpleValue(property.Instance);
            case IConversionOperation conversion:
                return conversion.OperatorMethod is null && IsSimpleValue(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return IsSimpleValue(parenthesized.Operand);
            case IBinaryOperation binary:
                return binary.OperatorMethod is null && IsSimpleValue(binary.LeftOperand) && IsSimpleValue(binary.RightOperand);
            case IUnaryOperation unary:
                return unary.OperatorMethod is null && IsSimpleValue(unary.Operand);
            case IConditionalOperation conditional:
                return IsSimpleValue(conditional.Condition) && IsSimpleValue(conditional.WhenTrue) && IsSimpleValue(conditional.WhenFalse);
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.All(IsSimpleValue);
            case IInterpolationOperation interpolation:
                return IsSimpleValue(interpolation.Expression) && interpolation.Alignment is null && interpolation.FormatString is null;
            case IInvocationOperation invocation:
                // Math.Min, Math.Max and friends compute partition bounds.
                return invocation.TargetMethod.ContainingType?.Name == "Math" && invocation.TargetMethod.ContainingType.ContainingNamespace?.Name == "System"
                    && invocation.Arguments.All(a => IsSimpleValue(a.Value));
            default:
                return false;
        }
    }

    internal static IEnumerable<IOperation> References(IOperation root, ISymbol symbol)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, symbol)
                || operation is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol))
            {
                yield return operation;
            }
        }
    }

    /// <summary>The object initializer sets nothing but Name and IsBackground, to values that can be dropped.</summary>
    private static bool InitializerOnlyNamesOrBackgrounds(IObjectCreationOperation creation) =>
        creation.Initializer is null || creation.Initializer.Initializers.All(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Name" or "IsBackground" } } assignment
            && IsSimpleValue(assignment.Value));

    /// <summary><c>t.Name = ...;</c> or <c>t.IsBackground = ...;</c> with a value that can be dropped: the statement to remove.</summary>
    private static StatementSyntax? RemovableSetting(IOperation reference) =>
        reference.Parent is IPropertyReferenceOperation { Property.Name: "Name" or "IsBackground" } property && property.Instance == reference
        && property.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation statement } assignment
        && assignment.Target == property && IsSimpleValue(assignment.Value)
            ? statement.Syntax as StatementSyntax
            : null;

    /// <summary>How to call the body, from the creation's delegate and the Start call's argument.</summary>
    /// <param name="argumentReadLater">The replacement reads the Start argument later than Start() did (Task.Run); in a
    /// Parallel.For body it is read per index, as Start() read it per iteration.</param>
    private static ThreadBodySyntax? BodyOf(IObjectCreationOperation creation, IInvocationOperation start, ThreadingTypes types, bool argumentReadLater)
    {
        if (creation.Arguments.Length != 1 || creation.Arguments[0].Value is not { } value
            || OperationTree.Unwrap(value) is not IDelegateCreationOperation delegateCreation)
        {
            return null;
        }

        var parameterized = SymbolEqualityComparer.Default.Equals(delegateCreation.Type, types.ParameterizedThreadStart);
        var startArgument = start.Arguments.Length == 1 ? start.Arguments[0].Value : null;
        switch (OperationTree.Unwrap(delegateCreation.Target))
        {
            case IAnonymousFunctionOperation lambda when !parameterized && startArgument is null
                && lambda.Syntax is AnonymousFunctionExpressionSyntax lambdaSyntax and not SimpleLambdaExpressionSyntax
                && lambda.Symbol.Parameters.IsEmpty && !lambda.Symbol.IsAsync:
                return new ThreadBodySyntax(lambdaSyntax, null, false, null);
            case IMethodReferenceOperation reference when reference.Syntax is ExpressionSyntax group && !reference.Method.IsGenericMethod:
                if (!parameterized)
                {
                    return startArgument is null ? new ThreadBodySyntax(null, group, false, null) : null;
                }

                return startArgument is null || (argumentReadLater ? IsStableArgument(startArgument, OperationTree.Root(start)) : IsSimpleValue(startArgument))
                    ? new ThreadBodySyntax(null, group, true, (ExpressionSyntax?)startArgument?.Syntax)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>A Start argument that the task can read later and still see the same value: a constant, or a local or parameter never written again.</summary>
    private static bool IsStableArgument(IOperation argument, IOperation root)
    {
        argument = OperationTree.Unwrap(argument)!;
        if (argument.ConstantValue.HasValue || argument is ILiteralOperation or IDefaultValueOperation)
        {
            return true;
        }

        ISymbol? symbol = argument switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        if (symbol is null || symbol is ILocalSymbol { IsRef: true } || symbol is IParameterSymbol { RefKind: not RefKind.None })
        {
            return false;
        }

        foreach (var reference in References(root, symbol))
        {
            var parent = reference.Parent;
            if (parent is IAssignmentOperation assignment && assignment.Target == reference
                || parent is IIncrementOrDecrementOperation
                || parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }
                || parent is IDeclarationExpressionOperation)
            {
                return false;
            }
        }

        return true;
    }

    private static bool MethodGroupReceiverIsStable(IObjectCreationOperation creation) =>
        OperationTree.Unwrap(creation.Arguments[0].Value) is IDelegateCreationOperation { Target: var target }
        && OperationTree.Unwrap(target) is IMethodReferenceOperation reference
        && (reference.Instance is null or IInstanceReferenceOperation || IsStableArgument(reference.Instance, OperationTree.Root(creation)));

}
