using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// Where a tree's text holds one of a rule's words as a whole identifier (<c>Join</c>, not <c>Joined</c>), found once per
/// tree. A call to a method, or a use of a property, has the member's name written inside its syntax; a code block
/// whose text holds none of the names a rule reacts to has nothing for it, and the rule registers no operation action
/// there. Most blocks of real code mention no threading member: they then cost one binary search instead of a
/// callback for every invocation. Text only: a word in a comment or a string makes its block a candidate that the rule
/// then finds empty, and so does a Unicode escape (<c>Sl\u0065ep</c>), which may spell one of the words.
/// </summary>
internal sealed class SourceWords
{
    private readonly string[] _words;

    /// <summary>
    /// The words that hold no shorter word of the set: the text is searched for these only, and each hit is widened to
    /// the whole identifier around it (<c>Enter</c> finds <c>TryEnter</c> and <c>EnterReadLock</c> in one pass).
    /// </summary>
    private readonly string[] _anchors;
    private readonly ConditionalWeakTable<SyntaxTree, int[]> _positions = new();
    private readonly ConditionalWeakTable<SyntaxTree, int[]>.CreateValueCallback _find;

    public SourceWords(params string[] words)
    {
        _words = words;
        _anchors = Array.FindAll(words, word => !Array.Exists(words, other => other.Length < word.Length && word.IndexOf(other, StringComparison.Ordinal) >= 0));
        _find = Find;
        TreeWordScan.Register(words);
    }

    /// <summary>Whether one of the words starts inside <paramref name="span"/> of <paramref name="tree"/>.</summary>
    public bool Mentions(SyntaxTree tree, TextSpan span) => SortedPositions.AnyIn(Positions(tree), span);

    /// <summary>Where the words (and Unicode escapes) start in <paramref name="tree"/>'s text, in order.</summary>
    public int[] Positions(SyntaxTree tree) => _positions.GetValue(tree, _find);

    /// <summary>Whether one of the words is in the text of a declaration of <paramref name="symbol"/> (any part of a partial type).</summary>
    public bool MentionedBy(ISymbol symbol)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (Mentions(reference.SyntaxTree, reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether one of the words is in the text of any of <paramref name="blocks"/> (an operation block start's blocks).</summary>
    public bool MentionedIn(IEnumerable<IOperation> blocks)
    {
        foreach (var block in blocks)
        {
            if (block.Syntax is { SyntaxTree: { } tree, Span: var span } && Mentions(tree, span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The tokens of <paramref name="tree"/> inside <paramref name="span"/> that one of the words (or an escape) stands in,
    /// each once, in order: a rule that counts or matches tokens of a declaration finds them without walking every token
    /// of it. A word in a comment gives no token; one in a string gives the literal, which the rule's test of the token
    /// then rejects.
    /// </summary>
    public List<SyntaxToken> TokensIn(SyntaxTree tree, TextSpan span, System.Threading.CancellationToken cancellationToken)
    {
        var tokens = new List<SyntaxToken>();
        var positions = _positions.GetValue(tree, _find);
        SyntaxNode? root = null;
        for (var index = SortedPositions.FirstAtOrAfter(positions, span.Start); index < positions.Length && positions[index] < span.End; index++)
        {
            root ??= tree.GetRoot(cancellationToken);
            var token = root.FindToken(positions[index]);
            if (token.Span.Contains(positions[index]) && (tokens.Count == 0 || tokens[tokens.Count - 1] != token))
            {
                tokens.Add(token);
            }
        }

        return tokens;
    }

    private int[] Find(SyntaxTree tree)
    {
        var scan = TreeWordScan.Of(tree);
        if (scan.Covers(_words))
        {
            return Merge(scan.PositionsOf(_words), scan.Escapes);
        }

        var text = tree.GetText().ToString();
        var found = new List<int>();
        foreach (var anchor in _anchors)
        {
            for (var index = text.IndexOf(anchor, StringComparison.Ordinal); index >= 0; index = text.IndexOf(anchor, index + anchor.Length, StringComparison.Ordinal))
            {
                var start = index;
                while (start > 0 && SyntaxFacts.IsIdentifierPartCharacter(text[start - 1]))
                {
                    start--;
                }

                var end = index + anchor.Length;
                while (end < text.Length && SyntaxFacts.IsIdentifierPartCharacter(text[end]))
                {
                    end++;
                }

                if (IsWord(text, start, end - start))
                {
                    found.Add(start);
                }
            }
        }

        // An identifier may spell a word with a Unicode escape: its position makes the span a candidate too.
        for (var index = text.IndexOf('\\'); index >= 0 && index + 1 < text.Length; index = text.IndexOf('\\', index + 1))
        {
            if (text[index + 1] is 'u' or 'U')
            {
                found.Add(index);
            }
        }

        found.Sort();
        return Distinct(found);
    }

    private bool IsWord(string text, int start, int length)
    {
        foreach (var word in _words)
        {
            if (word.Length == length && string.CompareOrdinal(text, start, word, 0, length) == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A sorted list without repeats: an identifier holding two anchors is found twice.</summary>
    /// <summary>Two ascending lists, which share no position (an escape is never inside an identifier), as one array.</summary>
    private static int[] Merge(List<int> words, List<int> escapes)
    {
        var merged = new int[words.Count + escapes.Count];
        int w = 0, e = 0;
        for (var i = 0; i < merged.Length; i++)
        {
            merged[i] = e == escapes.Count || (w < words.Count && words[w] < escapes[e]) ? words[w++] : escapes[e++];
        }

        return merged;
    }

    private static int[] Distinct(List<int> sorted)
    {
        var count = 0;
        for (var i = 0; i < sorted.Count; i++)
        {
            if (count == 0 || sorted[count - 1] != sorted[i])
            {
                sorted[count++] = sorted[i];
            }
        }

        return sorted.GetRange(0, count).ToArray();
    }
}
