using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// <c>x++</c>, <c>x--</c>, <c>x += n</c> and <c>x -= n</c> written as one Interlocked call: <c>Interlocked.Increment(ref x)</c>,
/// <c>Decrement(ref x)</c>, <c>Add(ref x, n)</c>, <c>Add(ref x, -n)</c>. The call returns the new value, as the prefix
/// forms and compound assignments do; callers decide where that keeps the meaning.
/// </summary>
internal static class InterlockedUpdate
{
    public const string InterlockedTypeName = "System.Threading.Interlocked";

    /// <summary>The call for the update at <paramref name="node"/>, the type fully qualified and marked for the cleanup to shorten; null for any other node.</summary>
    public static ExpressionSyntax? Replacement(SyntaxNode node)
    {
        ExpressionSyntax target;
        string method;
        ExpressionSyntax? amount = null;
        switch (node)
        {
            case PostfixUnaryExpressionSyntax postfix when postfix.IsKind(SyntaxKind.PostIncrementExpression) || postfix.IsKind(SyntaxKind.PostDecrementExpression):
                target = postfix.Operand;
                method = postfix.IsKind(SyntaxKind.PostIncrementExpression) ? "Increment" : "Decrement";
                break;
            case PrefixUnaryExpressionSyntax prefix when prefix.IsKind(SyntaxKind.PreIncrementExpression) || prefix.IsKind(SyntaxKind.PreDecrementExpression):
                target = prefix.Operand;
                method = prefix.IsKind(SyntaxKind.PreIncrementExpression) ? "Increment" : "Decrement";
                break;
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.AddAssignmentExpression):
                target = assignment.Left;
                method = "Add";
                amount = assignment.Right.WithoutTrivia();
                break;
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.SubtractAssignmentExpression):
                target = assignment.Left;
                method = "Add";
                amount = Negate(assignment.Right.WithoutTrivia());
                break;
            default:
                return null;
        }

        var arguments = new List<ArgumentSyntax> { Argument(target.WithoutTrivia()).WithRefKindKeyword(Token(SyntaxKind.RefKeyword)) };
        if (amount is not null)
        {
            arguments.Add(Argument(amount));
        }

        return InvocationExpression(
                ParseExpression("global::" + InterlockedTypeName + "." + method).WithAdditionalAnnotations(Simplifier.Annotation),
                ArgumentList(SeparatedList(arguments)))
            .WithTriviaFrom(node);
    }

    /// <summary><c>-n</c>, parenthesized unless <paramref name="amount"/> is a primary expression; a negative literal loses its minus.</summary>
    private static ExpressionSyntax Negate(ExpressionSyntax amount) => amount switch
    {
        PrefixUnaryExpressionSyntax { Operand: LiteralExpressionSyntax literal } minus when minus.IsKind(SyntaxKind.UnaryMinusExpression) => literal,
        LiteralExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            => PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, amount),
        _ => PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, ParenthesizedExpression(amount)),
    };
}
