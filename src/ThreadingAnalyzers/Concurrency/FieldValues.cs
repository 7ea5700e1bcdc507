using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>What a field's own type stores in it, read from the syntax: its initializer and its plain assignments.</summary>
internal static class FieldValues
{
    /// <summary>
    /// Whether the field is given a value somewhere in its type and every such value satisfies <paramref name="test"/>
    /// (an assignment through another object, which this does not see, leaves the answer to the values it sees).
    /// </summary>
    public static bool All(IFieldSymbol field, Func<ExpressionSyntax, bool> test)
    {
        var any = false;
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is VariableDeclaratorSyntax { Initializer.Value: { } value })
            {
                if (!test(value))
                {
                    return false;
                }

                any = true;
            }
        }

        foreach (var typeReference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in typeReference.GetSyntax().DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
                    && NameOf(assignment.Left) == field.Name)
                {
                    if (!test(assignment.Right))
                    {
                        return false;
                    }

                    any = true;
                }
            }
        }

        return any;
    }

    private static string? NameOf(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>The last identifier of a type's name: <c>List</c> in <c>System.Collections.Generic.List&lt;int&gt;</c>.</summary>
    public static string? LastName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };
}
