using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

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
        types.IsUnsynchronizedCollection(reference.Type)
        || (reference is IFieldReferenceOperation { Field: { Type.TypeKind: TypeKind.Interface } field } && IsCollectionInterface(field.Type)
            && Known.GetValue(field, static f => new StrongBox<bool>(FieldValues.All(f, IsCollectionCreation))).Value);

    private static bool IsCollectionInterface(ITypeSymbol type) =>
        type.Name is "ICollection" or "IList" or "IDictionary" or "ISet"
        && (Reach.IsNamespace(type.ContainingNamespace, GenericCollectionsNamespace) || Reach.IsNamespace(type.ContainingNamespace, CollectionsNamespace));

    private static bool IsCollectionCreation(ExpressionSyntax value) =>
        value is ObjectCreationExpressionSyntax { Type: var type } && FieldValues.LastName(type) is { } name && CollectionNames.Contains(name);
}
