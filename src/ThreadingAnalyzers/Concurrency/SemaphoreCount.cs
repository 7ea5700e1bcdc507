using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether a semaphore held in a field lets more than one holder in: every creation its type assigns to the field
/// (initializer or assignment) is a <c>Semaphore</c> or <c>SemaphoreSlim</c> whose maximum count (for
/// <c>SemaphoreSlim(n)</c>, its count) is a constant above 1. A creation that cannot be seen, or a count that is not a
/// constant, keeps it a lock (stay silent).
/// </summary>
internal static class SemaphoreCount
{
    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<bool>> Known = new();

    public static bool AdmitsMany(ISymbol? field) =>
        field is IFieldSymbol { Type.Name: "SemaphoreSlim" or "Semaphore" } semaphore
        && Known.GetValue(semaphore, static f => new StrongBox<bool>(FieldValues.All(f, AdmitsMany))).Value;

    /// <summary><c>new SemaphoreSlim(4)</c>, <c>new SemaphoreSlim(1, 4)</c>, <c>new Semaphore(4, 4)</c>, <c>new(4, 4)</c>.</summary>
    private static bool AdmitsMany(ExpressionSyntax value)
    {
        var arguments = value switch
        {
            ObjectCreationExpressionSyntax { Type: var type } creation when FieldValues.LastName(type) is "SemaphoreSlim" or "Semaphore" => creation.ArgumentList,
            ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
            _ => null,
        };
        if (arguments is null || arguments.Arguments.Count == 0)
        {
            return false;
        }

        var count = arguments.Arguments.Count >= 2 ? arguments.Arguments[1] : arguments.Arguments[0];
        foreach (var argument in arguments.Arguments)
        {
            if (argument.NameColon?.Name.Identifier.ValueText is "maximumCount" or "maxCount")
            {
                count = argument;
            }
        }

        return count.Expression is LiteralExpressionSyntax { Token.Value: int constant } && constant > 1;
    }
}
