using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether a reference denotes a non-thread-safe collection: by its type, or, for a field declared as a collection
/// interface (<c>ICollection&lt;T&gt;</c>, <c>IList</c>, <c>IDictionary&lt;K,V&gt;</c>, ...), by what its type stores in
/// it: every value a <c>new List&lt;T&gt;()</c>, <c>new Dictionary&lt;K,V&gt;()</c> or another such collection. A field
/// that holds a concurrent collection, or a value from elsewhere, is not one.
/// </summary>
internal static class UnsynchronizedCollection
{
    private static readonly string[] GenericCollectionsNamespace = { "System", "Collections", "Generic" };
    private static readonly string[] CollectionsNamespace = { "System", "Collections" };

    private static readonly ImmutableHashSet<string> CollectionNames = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "List", "Dictionary", "HashSet", "Queue", "Stack", "SortedList", "LinkedList", "SortedDictionary", "SortedSet", "ArrayList", "Hashtable");

    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<bool>> Known = new();

    public static bool Is(IOperation reference, ThreadingTypes types) =>
        types.IsUnsynchronizedCollection(reference.Type) || IsUnsafeState(reference.Type, types)
        || (reference is IFieldReferenceOperation { Field: { Type.TypeKind: TypeKind.Interface } field } && IsCollectionInterface(field.Type)
            && Known.GetValue(field, static f => new StrongBox<bool>(FieldValues.All(f, IsCollectionCreation))).Value);

    /// <summary>Random, StringBuilder, HashAlgorithm (and its subclasses) and ICryptoTransform keep state that concurrent calls corrupt.</summary>
    public static bool IsUnsafeState(ITypeSymbol? type, ThreadingTypes types)
    {
        switch (type?.Name)
        {
            case "Random" or "StringBuilder" or "ICryptoTransform":
                return SymbolEqualityComparer.Default.Equals(type, types.Resolve(type.Name == "Random" ? "System.Random" : type.Name == "StringBuilder" ? "System.Text.StringBuilder" : "System.Security.Cryptography.ICryptoTransform"));
            default:
                for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
                {
                    if (current.Name == "HashAlgorithm" && SymbolEqualityComparer.Default.Equals(current, types.Resolve("System.Security.Cryptography.HashAlgorithm")))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>The calls that change such a type's state: Next*, Shuffle; Append*, Insert, Remove, Replace, Clear; ComputeHash, Transform*.</summary>
    public static bool IsStateMutator(IMethodSymbol method)
    {
        var name = method.Name;
        return name.StartsWith("Next", StringComparison.Ordinal) || name.StartsWith("Append", StringComparison.Ordinal)
            || name is "Shuffle" or "Insert" or "Remove" or "Replace" or "Clear" or "ComputeHash" or "TransformBlock" or "TransformFinalBlock";
    }

    private static bool IsCollectionInterface(ITypeSymbol type) =>
        type.Name is "ICollection" or "IList" or "IDictionary" or "ISet"
        && (Symbols.IsNamespace(type.ContainingNamespace, GenericCollectionsNamespace) || Symbols.IsNamespace(type.ContainingNamespace, CollectionsNamespace));

    private static bool IsCollectionCreation(ExpressionSyntax value) =>
        value is ObjectCreationExpressionSyntax { Type: var type } && FieldValues.LastName(type) is { } name && CollectionNames.Contains(name);
}
