using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Internals;

/// <summary>Questions about the types nested in a type, whose code a per-type analysis of the outer type does not see.</summary>
internal static class NestedTypes
{
    /// <summary>Whether the text of a type nested in <paramref name="type"/> mentions <paramref name="name"/>; then the outer type's facts about that member are incomplete.</summary>
    public static bool Mention(INamedTypeSymbol type, string name, CancellationToken cancellationToken) =>
        type.GetTypeMembers().Any(nested => nested.DeclaringSyntaxReferences
            .Any(reference => reference.GetSyntax(cancellationToken).ToString().Contains(name)));
}
