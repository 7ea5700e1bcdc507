using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// Symbols named by documentation-comment ids (<c>M:N.T.M(System.Int32)</c>, <c>T:N.T`1</c>), the form users already
/// write in BannedSymbols.txt and NetAnalyzers' options, with a trailing <c>*</c> for every method whose id starts
/// with the text before it. Each answer says why an id names nothing, for the entry's report.
/// </summary>
internal static class DocumentationIds
{
    public static ImmutableArray<IMethodSymbol> Methods(Compilation compilation, string id, out string? problem)
    {
        problem = null;
        if (!id.StartsWith("M:", StringComparison.Ordinal) || id.Length <= 2)
        {
            problem = "a method is written 'M:Namespace.Type.Method(ParameterTypes)', or 'M:Namespace.Type.Method*' for every overload";
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var methods = ImmutableArray.CreateBuilder<IMethodSymbol>();
        if (id.EndsWith("*", StringComparison.Ordinal))
        {
            var prefix = id.Substring(0, id.Length - 1);
            var name = prefix.Substring(2);
            var paren = name.IndexOf('(');
            var dot = (paren < 0 ? name : name.Substring(0, paren)).LastIndexOf('.');
            if (dot > 0 && DocumentationCommentId.GetFirstSymbolForDeclarationId("T:" + name.Substring(0, dot), compilation) is INamedTypeSymbol type)
            {
                foreach (var member in type.GetMembers())
                {
                    if (member is IMethodSymbol method && DocumentationCommentId.CreateDeclarationId(method) is { } memberId
                        && memberId.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        methods.Add(method);
                    }
                }
            }
        }
        else
        {
            foreach (var symbol in DocumentationCommentId.GetSymbolsForDeclarationId(id, compilation))
            {
                if (symbol is IMethodSymbol method)
                {
                    methods.Add(method);
                }
            }
        }

        if (methods.Count == 0)
        {
            problem = "no method of the compilation or its references has this id";
        }

        return methods.ToImmutable();
    }

    public static INamedTypeSymbol? Type(Compilation compilation, string id, out string? problem)
    {
        problem = null;
        if (!id.StartsWith("T:", StringComparison.Ordinal) || id.Length <= 2)
        {
            problem = "a type is written 'T:Namespace.Type', with `1 for one type parameter";
            return null;
        }

        if (DocumentationCommentId.GetFirstSymbolForDeclarationId(id, compilation) is INamedTypeSymbol type)
        {
            return type;
        }

        problem = "no type of the compilation or its references has this id";
        return null;
    }
}
