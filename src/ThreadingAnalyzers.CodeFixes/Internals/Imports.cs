using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// Adds <c>using Ns;</c> itself: with Roslyn 4.8, <c>Simplifier.AddImportsAnnotation</c> on a type that is the receiver
/// of a member access adds nothing, and a using must not make another name in the file ambiguous
/// (System.Threading.Timer against System.Timers.Timer).
/// </summary>
internal static class Imports
{
    /// <summary>
    /// The namespaces to import so that the types a fix names (each at the position of its new name) bind without
    /// qualification: those whose simple name binds to nothing there yet, and whose import makes no other name ambiguous.
    /// </summary>
    public static IEnumerable<string> Missing(SemanticModel model, IEnumerable<(INamedTypeSymbol Type, int Position)> namedTypes) =>
        namedTypes
            .Where(named => IsUnbound(model, named.Position, named.Type))
            .Select(named => model.Compilation.GetCompilationNamespace(named.Type.ContainingNamespace))
            .OfType<INamespaceSymbol>()
            .Distinct<INamespaceSymbol>(SymbolEqualityComparer.Default)
            .Where(ns => CanImport(model, ns))
            .Select(ns => ns.ToDisplayString())
            .OrderBy(name => name, System.StringComparer.Ordinal);

    /// <summary>Adds to <paramref name="root"/> the usings <see cref="Missing"/> finds for the types a fix named in <paramref name="model"/>'s tree.</summary>
    public static SyntaxNode AddMissing(SyntaxNode root, SemanticModel model, IEnumerable<(INamedTypeSymbol Type, int Position)> namedTypes)
    {
        foreach (var import in Missing(model, namedTypes))
        {
            root = Add(root, import);
        }

        return root;
    }

    /// <summary>True when the simple name binds to nothing yet; when it binds to another type, a using would not help.</summary>
    public static bool IsUnbound(SemanticModel model, int position, INamedTypeSymbol type) =>
        model.LookupNamespacesAndTypes(position, name: type.Name).IsEmpty;

    /// <summary>False when a simple name in the file already means some other type named like one of <paramref name="ns"/>'s.</summary>
    /// <param name="ns">The namespace merged over all referenced assemblies (System.Threading spans several).</param>
    public static bool CanImport(SemanticModel model, INamespaceSymbol ns)
    {
        var typeNames = new HashSet<string>(ns.GetTypeMembers().Select(t => t.Name));
        foreach (var name in model.SyntaxTree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
        {
            if (!typeNames.Contains(name.Identifier.ValueText) || IsQualified(name))
            {
                continue;
            }

            var info = model.GetSymbolInfo(name);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is INamedTypeSymbol type
                && !SymbolEqualityComparer.Default.Equals(model.Compilation.GetCompilationNamespace(type.ContainingNamespace), ns))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Adds <c>using <paramref name="ns"/>;</c> among the file's usings, System first, then in ordinal order.</summary>
    public static SyntaxNode Add(SyntaxNode root, string ns)
    {
        if (root is not CompilationUnitSyntax unit)
        {
            return root;
        }

        var endOfLine = unit.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        if (!endOfLine.IsKind(SyntaxKind.EndOfLineTrivia))
        {
            endOfLine = EndOfLine("\n");
        }

        var directive = UsingDirective(ParseName(ns))
            .WithUsingKeyword(Token(SyntaxTriviaList.Empty, SyntaxKind.UsingKeyword, TriviaList(Space)))
            .WithSemicolonToken(Token(SyntaxTriviaList.Empty, SyntaxKind.SemicolonToken, TriviaList(endOfLine)));
        var usings = unit.Usings;
        if (usings.Count == 0)
        {
            // A blank line between the new using and what follows it.
            var first = unit.GetFirstToken(includeZeroWidth: true);
            unit = unit.ReplaceToken(first, first.WithLeadingTrivia(first.LeadingTrivia.Insert(0, endOfLine)));
            return unit.WithUsings(SingletonList(directive));
        }

        var index = InsertionIndex(usings, ns);
        if (index == 0)
        {
            // The file header stays on top.
            directive = directive.WithLeadingTrivia(usings[0].GetLeadingTrivia());
            usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia(SyntaxTriviaList.Empty));
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    private static int InsertionIndex(SyntaxList<UsingDirectiveSyntax> usings, string ns)
    {
        var lastPlain = -1;
        for (var i = 0; i < usings.Count; i++)
        {
            var directive = usings[i];
            if (!directive.StaticKeyword.IsKind(SyntaxKind.None) || directive.Alias is not null || !directive.GlobalKeyword.IsKind(SyntaxKind.None))
            {
                continue;
            }

            if (CompareNamespaces(ns, directive.Name?.ToString() ?? string.Empty) < 0)
            {
                return i;
            }

            lastPlain = i;
        }

        if (lastPlain >= 0)
        {
            return lastPlain + 1;
        }

        // No plain using: after the global usings, before static and alias ones.
        var index = 0;
        while (index < usings.Count && !usings[index].GlobalKeyword.IsKind(SyntaxKind.None))
        {
            index++;
        }

        return index;
    }

    private static int CompareNamespaces(string left, string right)
    {
        var bySystem = IsSystem(right).CompareTo(IsSystem(left));
        return bySystem != 0 ? bySystem : string.CompareOrdinal(left, right);
    }

    private static bool IsSystem(string ns) => ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal);

    private static bool IsQualified(SimpleNameSyntax name) => name.Parent switch
    {
        QualifiedNameSyntax qualified => qualified.Right == name,
        MemberAccessExpressionSyntax access => access.Name == name,
        MemberBindingExpressionSyntax => true,
        AliasQualifiedNameSyntax => true,
        _ => false,
    };
}
