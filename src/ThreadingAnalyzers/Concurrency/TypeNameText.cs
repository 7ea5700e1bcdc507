using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Whether code can name a type, <c>Thread</c> or <c>Timer</c>: its file says the name (a field's type, a creation, a
/// local's type, or a file's alias for it), or the compilation has a global using alias, which may stand for the type in
/// any file. Most files of real code never name them, and the rules about Thread and Timer objects skip them before
/// asking any symbol (a type's members, a creation's type). Found once per tree, and once per compilation for the aliases.
/// </summary>
internal sealed class TypeNameText
{
    public static readonly TypeNameText Thread = new("Thread");

    /// <summary>System.Threading.Timer and System.Timers.Timer.</summary>
    public static readonly TypeNameText Timer = new("Timer");

    private static readonly ConditionalWeakTable<Compilation, StrongBox<bool>> GlobalAliases = new();
    private static readonly ConditionalWeakTable<SyntaxTree, int[]> TargetTypedNews = new();

    /// <summary><c>new</c> as a whole identifier, found in the shared reading of each file (<see cref="TreeWordScan"/>).</summary>
    private static readonly SourceWords NewKeyword = new("new");
    private readonly SourceWords _name;

    private TypeNameText(string name) => _name = new SourceWords(name);

    /// <summary>Whether code in <paramref name="tree"/> can name the type.</summary>
    public bool MayName(SyntaxTree tree, Compilation compilation) =>
        _name.Mentions(tree, new TextSpan(0, tree.Length)) || HasGlobalAlias(compilation);

    /// <summary>Whether a declaration of <paramref name="symbol"/> (any part of a partial type) is in a file that can name the type.</summary>
    public bool MayName(ISymbol symbol, Compilation compilation)
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

    /// <summary>
    /// Whether <paramref name="symbol"/>'s code can create an object of the type: its files can name it, or a declaration
    /// holds a target-typed <c>new(</c>, whose type may be declared anywhere (a base class's field, a parameter).
    /// </summary>
    public bool MayCreate(ISymbol symbol, Compilation compilation)
    {
        if (MayName(symbol, compilation))
        {
            return true;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (SortedPositions.AnyIn(TargetTypedNews.GetValue(reference.SyntaxTree, static tree => FindTargetTypedNews(tree)), reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the keyword <c>new</c> is followed by an opening parenthesis (whitespace or a comment between allowed).</summary>
    private static int[] FindTargetTypedNews(SyntaxTree tree)
    {
        var text = tree.GetText().ToString();
        var found = new List<int>();
        foreach (var index in NewKeyword.Positions(tree))
        {
            // A keyword cannot be spelled with an escape: the positions of escapes are not it.
            if (string.CompareOrdinal(text, index, "new", 0, 3) != 0)
            {
                continue;
            }

            var next = index + 3;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            // A comment may stand between new and the parenthesis.
            if (next < text.Length && text[next] is '(' or '/')
            {
                found.Add(index);
            }
        }

        return found.ToArray();
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
