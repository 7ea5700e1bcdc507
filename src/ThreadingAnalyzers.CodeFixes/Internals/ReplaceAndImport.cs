using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// The rewrite of the fixes that replace each site with an expression naming one framework type in full
/// (<c>global::System.Threading.Volatile.Read(ref x)</c>): resolve the type, replace every site, then import its
/// namespace where that makes the short name bind and clashes with nothing (<see cref="Imports.Missing"/>).
/// </summary>
internal static class ReplaceAndImport
{
    /// <param name="typeName">The metadata name of the type the replacements name; without it in the compilation the document stays as it is.</param>
    /// <param name="find">The site of a diagnostic in the original root, or null when the diagnostic has none.</param>
    /// <param name="replace">
    /// The replacement of a site as it is when its turn comes: a site inside another one is then already rewritten, and
    /// the replacements compose.
    /// </param>
    public static async Task<Document> ApplyAsync(
        Document document,
        string typeName,
        ImmutableArray<Diagnostic> diagnostics,
        Func<SyntaxNode, Diagnostic, SyntaxNode?> find,
        Func<SyntaxNode, Diagnostic, SyntaxNode> replace,
        CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (ThreadingTypes.From(editor.SemanticModel.Compilation).Resolve(typeName) is not { } type)
        {
            return document;
        }

        var sites = new HashSet<SyntaxNode>();
        var namedTypes = new List<(INamedTypeSymbol Type, int Position)>();
        foreach (var diagnostic in diagnostics)
        {
            if (find(editor.OriginalRoot, diagnostic) is { } site && sites.Add(site))
            {
                editor.ReplaceNode(site, (current, _) => replace(current, diagnostic));
                namedTypes.Add((type, site.SpanStart));
            }
        }

        return document.WithSyntaxRoot(Imports.AddMissing(editor.GetChangedRoot(), editor.SemanticModel, namedTypes));
    }
}
