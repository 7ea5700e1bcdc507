using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether code can name the Thread type: its file says <c>Thread</c> (a field's type, a creation, a local's type, or a
/// file's alias for it), or the compilation has a global using alias, which may stand for Thread in any file. Most files
/// of real code never name it, and the rules about Thread objects skip them before asking any symbol (a type's
/// members, a creation's type). Found once per tree, and once per compilation for the aliases.
/// </summary>
internal static class ThreadText
{
    private static readonly SourceWords ThreadWord = new("Thread");
    private static readonly ConditionalWeakTable<Compilation, StrongBox<bool>> GlobalAliases = new();

    /// <summary>Whether code in <paramref name="tree"/> can name Thread.</summary>
    public static bool MayName(SyntaxTree tree, Compilation compilation) =>
        ThreadWord.Mentions(tree, new Microsoft.CodeAnalysis.Text.TextSpan(0, tree.Length)) || HasGlobalAlias(compilation);

    /// <summary>Whether a declaration of <paramref name="symbol"/> (any part of a partial type) is in a file that can name Thread.</summary>
    public static bool MayName(ISymbol symbol, Compilation compilation)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (MayName(reference.SyntaxTree, compilation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="blocks"/> (an operation block start's blocks) are in a file that can name Thread.</summary>
    public static bool MayName(IEnumerable<IOperation> blocks, Compilation compilation)
    {
        foreach (var block in blocks)
        {
            if (block.Syntax.SyntaxTree is { } tree && MayName(tree, compilation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasGlobalAlias(Compilation compilation) =>
        GlobalAliases.GetValue(compilation, static c => new StrongBox<bool>(FindGlobalAlias(c))).Value;

    private static bool FindGlobalAlias(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetRoot() is CompilationUnitSyntax unit)
            {
                foreach (var directive in unit.Usings)
                {
                    if (directive.Alias is not null && directive.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
