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

    public static bool IsType(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
