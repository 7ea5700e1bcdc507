using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR002's "Use Random.Shared": a call on a shared <c>System.Random</c> (<c>_random.Next(6)</c>) becomes a call on
/// <c>Random.Shared</c>, the thread-safe instance of .NET 6 and later. Offered only where the compilation's
/// <c>System.Random</c> has that static property, and only on a receiver that names a variable, field or property (the
/// receiver is not evaluated any more, so it must have no side effects). The shared instance is left in place: other
/// code may still use it, and an unused field compiles.
/// </summary>
internal static class RandomSharedRewrite
{
    public const string Key = "THR002.UseRandomShared";

    public const string Title = "Use Random.Shared";

    /// <summary>The receiver to replace in the reported call <paramref name="node"/>; null where the rewrite does not apply.</summary>
    public static ExpressionSyntax? Receiver(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access }
            || !NamesAStorageLocation(access.Expression)
            || ThreadingTypes.From(model.Compilation).Resolve("System.Random") is not { } random
            || !random.GetMembers("Shared").OfType<IPropertySymbol>().Any(p => p.IsStatic && p.DeclaredAccessibility == Accessibility.Public)
            || !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(access.Expression, cancellationToken).Type, random)
            || model.GetSymbolInfo(node, cancellationToken).Symbol is not IMethodSymbol { IsStatic: false, IsExtensionMethod: false } method
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, random))
        {
            return null;
        }

        // Already Random.Shared (a report cannot be on it, but a half-typed document may point there).
        return model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is IPropertySymbol { Name: "Shared", IsStatic: true } ? null : access.Expression;
    }

    /// <summary>Replaces the receiver of every call of <paramref name="nodes"/> that qualifies with <c>Random.Shared</c>.</summary>
    public static void Apply(DocumentEditor editor, IEnumerable<SyntaxNode> nodes, CancellationToken cancellationToken)
    {
        foreach (var node in nodes)
        {
            if (Receiver(node, editor.SemanticModel, cancellationToken) is { } receiver)
            {
                var shared = SyntaxFactory.ParseExpression("global::System.Random.Shared")
                    .WithTriviaFrom(receiver)
                    .WithAdditionalAnnotations(Simplifier.Annotation);
                editor.ReplaceNode(receiver, shared);
            }
        }
    }

    /// <summary><c>_random</c>, <c>this._random</c>, <c>Holder.Random</c>: reading it again or not at all changes nothing.</summary>
    private static bool NamesAStorageLocation(ExpressionSyntax expression) => expression switch
    {
        IdentifierNameSyntax => true,
        MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } member =>
            member.Expression is ThisExpressionSyntax or BaseExpressionSyntax || NamesAStorageLocation(member.Expression),
        _ => false,
    };
}
