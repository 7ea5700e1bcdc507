using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// One pass over a tree's text that finds, for every word any <see cref="SourceWords"/> set was made with, where the
/// text holds it as a whole identifier, and where a Unicode escape (<c>\u</c>) may spell one. A build parses its files
/// anew, so every word search runs once per file per build: one search per word set and per word (a dozen sets, about
/// thirty words) read each file thirty times; this reads it once. A word set made after a tree was read is not in that
/// tree's table: <see cref="Covers"/> says so, and that set reads the text itself.
/// </summary>
internal sealed class TreeWordScan
{
    private static readonly ConditionalWeakTable<SyntaxTree, TreeWordScan> Scans = new();
    private static readonly object Gate = new();
    // Replaced whole under Gate, read without it by every new scan: volatile publishes the complete table.
    private static volatile WordTable s_known = new(new List<string>());

    private readonly WordTable _table;
    private readonly List<int> _positions = new();
    private readonly List<int> _wordIds = new();

    private TreeWordScan(WordTable table) => _table = table;

    /// <summary>Positions of <c>\u</c> and <c>\U</c>, in order.</summary>
    public List<int> Escapes { get; } = new();

    /// <summary>
    /// Whether the text holds a character that continues an identifier without being a letter or digit (a combining
    /// mark, a formatting character): a search that delimits words by letters and digits alone may cut elsewhere.
    /// </summary>
    public bool HasMarks { get; private set; }

    /// <summary>Adds <paramref name="words"/> to what every later scan looks for.</summary>
    public static void Register(string[] words)
    {
        lock (Gate)
        {
            var all = new List<string>(s_known.Words);
            foreach (var word in words)
            {
                // A word the scan cannot meet as one identifier is left to its set's own search (Covers says no).
                if (!all.Contains(word) && word.Length > 0 && System.Array.TrueForAll(word.ToCharArray(), SyntaxFacts.IsIdentifierPartCharacter))
                {
                    all.Add(word);
                }
            }

            s_known = new WordTable(all);
        }
    }

    /// <summary>The scan of <paramref name="tree"/>, made by the first set that asks.</summary>
    public static TreeWordScan Of(SyntaxTree tree) => Scans.GetValue(tree, static t => Scan(t, s_known));

    /// <summary>Whether this scan looked for every one of <paramref name="words"/>.</summary>
    public bool Covers(string[] words)
    {
        foreach (var word in words)
        {
            if (_table.IdOf(word) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The positions, in order, of the identifiers that are one of <paramref name="words"/> (all covered).</summary>
    public List<int> PositionsOf(string[] words)
    {
        var wanted = new bool[_table.Words.Count];
        foreach (var word in words)
        {
            wanted[_table.IdOf(word)] = true;
        }

        var found = new List<int>();
        for (var i = 0; i < _positions.Count; i++)
        {
            if (wanted[_wordIds[i]])
            {
                found.Add(_positions[i]);
            }
        }

        return found;
    }

    private static TreeWordScan Scan(SyntaxTree tree, WordTable table)
    {
        var scan = new TreeWordScan(table);
        var text = tree.GetText().ToString();
        var length = text.Length;
        var index = 0;
        while (index < length)
        {
            var c = text[index];
            if (!IsPart(c, scan))
            {
                if (c == '\\' && index + 1 < length && text[index + 1] is 'u' or 'U')
                {
                    scan.Escapes.Add(index);
                }

                index++;
                continue;
            }

            // The whole identifier (letters, digits, underscores and the Unicode ones): a word only when it is all of it.
            var start = index++;
            while (index < length && IsPart(text[index], scan))
            {
                index++;
            }

            var id = table.Find(text, start, index - start);
            if (id >= 0)
            {
                scan._positions.Add(start);
                scan._wordIds.Add(id);
            }
        }

        return scan;
    }

    /// <summary>
    /// <see cref="SyntaxFacts.IsIdentifierPartCharacter"/> for the scan's loop, which reads every character of every
    /// file: ASCII by comparisons alone; a character beyond it that continues an identifier without being a letter or
    /// digit is noted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPart(char c, TreeWordScan scan)
    {
        if (c < 128)
        {
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 || c == '_';
        }

        if (!SyntaxFacts.IsIdentifierPartCharacter(c))
        {
            return false;
        }

        scan.HasMarks |= !char.IsLetterOrDigit(c);
        return true;
    }

    /// <summary>The words looked for, indexed by length and first character so that most identifiers are turned away at once.</summary>
    private sealed class WordTable
    {
        private const int MaxLength = 64;
        private readonly int[]?[] _byLengthAndFirst = new int[]?[(MaxLength + 1) * 128];

        public WordTable(List<string> words)
        {
            Words = words;
            for (var id = 0; id < words.Count; id++)
            {
                var word = words[id];
                if (word.Length is > 0 and <= MaxLength && word[0] < 128)
                {
                    var slot = (word.Length * 128) + word[0];
                    var ids = _byLengthAndFirst[slot] ?? System.Array.Empty<int>();
                    System.Array.Resize(ref ids, ids.Length + 1);
                    ids[ids.Length - 1] = id;
                    _byLengthAndFirst[slot] = ids;
                }
            }
        }

        public List<string> Words { get; }

        /// <summary>The id of <paramref name="word"/> when this table finds it in text, else -1.</summary>
        public int IdOf(string word) => word.Length is > 0 and <= MaxLength ? Find(word, 0, word.Length) : -1;

        public int Find(string text, int start, int length)
        {
            if (length > MaxLength || text[start] >= 128 || _byLengthAndFirst[(length * 128) + text[start]] is not { } ids)
            {
                return -1;
            }

            foreach (var id in ids)
            {
                if (string.CompareOrdinal(text, start, Words[id], 0, length) == 0)
                {
                    return id;
                }
            }

            return -1;
        }
    }
}
