using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Internals;

/// <summary>Where an operation sits in its tree and what it stands for once the conversions around it are set aside.</summary>
internal static class OperationTree
{
    /// <summary>The top of the tree <paramref name="operation"/> belongs to: the member's body (or initializer).</summary>
    public static IOperation Root(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The innermost lambda, anonymous method or local function around <paramref name="operation"/>; null in the member's own code.</summary>
    public static IOperation? EnclosingNestedFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return null;
    }

    /// <summary>The method symbol of a lambda, anonymous method or local function; null for any other operation (a member's body).</summary>
    public static IMethodSymbol? NestedFunctionSymbol(IOperation function) => function switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation localFunction => localFunction.Symbol,
        _ => null,
    };

    /// <summary>The function whose code <paramref name="operation"/> is: its innermost nested function, else the root.</summary>
    public static IOperation OwnFunction(IOperation operation) => EnclosingNestedFunction(operation) ?? Root(operation);

    /// <summary>The operand under any conversions (implicit or cast) and parentheses.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        return operation;
    }

    /// <summary>The outermost of the conversions and parentheses around <paramref name="operation"/>; itself when there are none.</summary>
    public static IOperation Outermost(IOperation operation)
    {
        while (operation.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>The operand under implicit conversions only: a cast the code writes is kept.</summary>
    public static IOperation WithoutImplicitConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    /// <summary>
    /// The variable a reference names when it is the same storage wherever it is written: a local, a parameter, or a
    /// static member or a member of <c>this</c>; null for a member of another object.
    /// </summary>
    public static ISymbol? ReferencedSymbol(IOperation? operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field when field.Field.IsStatic || field.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => field.Field,
        IPropertyReferenceOperation property when property.Property.IsStatic || property.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => property.Property,
        _ => null,
    };

    /// <summary>The local that <paramref name="value"/> (through conversions) initializes or is assigned to; null when it is not stored in one.</summary>
    public static ILocalSymbol? StoringLocal(IOperation value)
    {
        var current = Outermost(value);
        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == current => local.Local,
            _ => null,
        };
    }

    /// <summary>The one value the local of <paramref name="reference"/> is ever given in its member; null when it is given none or several.</summary>
    public static IOperation? SingleAssignedValue(ILocalReferenceOperation reference)
    {
        IOperation? value = null;
        foreach (var operation in Root(reference).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local):
                    if (declarator.GetVariableInitializer() is { } initializer)
                    {
                        if (value is not null)
                        {
                            return null;
                        }

                        value = initializer.Value;
                    }

                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, reference.Local):
                    if (value is not null)
                    {
                        return null;
                    }

                    value = assignment.Value;
                    break;
            }
        }

        return value;
    }
}
