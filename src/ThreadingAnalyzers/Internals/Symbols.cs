using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Internals;

/// <summary>Which type or namespace a symbol is, compared without building display strings.</summary>
internal static class Symbols
{
    public static readonly string[] SystemNamespace = { "System" };
    public static readonly string[] GenericCollectionsNamespace = { "System", "Collections", "Generic" };
    public static readonly string[] LinqNamespace = { "System", "Linq" };
    public static readonly string[] ThreadingNamespace = { "System", "Threading" };

    /// <summary>
    /// Whether <paramref name="namespace"/> is the one named by <paramref name="names"/> (outermost first), compared name
    /// by name: a namespace's ToString() builds its display string each time, and this runs for every lambda walked.
    /// </summary>
    public static bool IsNamespace(INamespaceSymbol? @namespace, string[] names)
    {
        for (var index = names.Length - 1; index >= 0; index--)
        {
            if (@namespace is null || @namespace.Name != names[index])
            {
                return false;
            }

            @namespace = @namespace.ContainingNamespace;
        }

        return @namespace is { IsGlobalNamespace: true };
    }

    /// <summary>Whether <paramref name="type"/> is System.Linq.Enumerable, whose methods run a lambda on the caller's thread.</summary>
    public static bool IsLinqEnumerable(INamedTypeSymbol? type) =>
        type?.Name == "Enumerable" && IsNamespace(type.ContainingNamespace, LinqNamespace);

    /// <summary>A member as a message names it: a constructor by its type, an accessor by its property or event.</summary>
    public static string MemberName(IMethodSymbol member) => member.MethodKind switch
    {
        MethodKind.Constructor or MethodKind.StaticConstructor => member.ContainingType.Name,
        MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove when member.AssociatedSymbol is { } associated => associated.Name,
        _ => member.Name,
    };

    public static bool IsType(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
