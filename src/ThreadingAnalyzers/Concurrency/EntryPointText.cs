using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Where a tree's text can hold a concurrent entry point: the positions of the words every entry point
/// <see cref="EntryPoints"/> recognizes is written with (<c>Task.Run</c>, <c>StartNew</c>, <c>new Thread(</c>, <c>new(</c>, ...),
/// found once per tree. Most members and most statements mention none of them, so their operations need not be walked.
/// Symbols decide later; this only spares code that starts nothing. Text only: a word in a comment or a string makes its
/// member a candidate, which the walk for entry points then finds empty (cheaper than finding every word's token).
/// </summary>
internal static class EntryPointText
{
    /// <summary>
    /// The words, each with whether the character before it and the one after it must not continue an identifier:
    /// <c>Thread</c> is a word in <c>new Thread(</c> but not in <c>ThreadPool</c>, <c>CurrentThread</c> or
    /// <c>System.Threading</c>; <c>QueueUserWorkItem</c> is one in <c>UnsafeQueueUserWorkItem</c> too. The type names
    /// count only where a creation names them (see <see cref="IsCreatedType"/>): not in <c>Thread.Sleep</c>,
    /// <c>System.Threading.Thread.Sleep</c> or a field's type.
    /// </summary>
    private static readonly (string Text, bool WholeStart, bool WholeEnd, bool Created)[] Words =
    {
        ("Task.Run", true, true, false), ("StartNew", true, true, false), ("QueueUserWorkItem", false, true, false),
        ("Parallel.", true, false, false), ("ForAll", true, true, false), ("Thread", true, true, true), ("Timer", true, true, true),
        ("new(", true, false, false), ("new (", true, false, false), ("new Task", true, true, false),
        ("ContinueWith", true, true, false), ("Elapsed", true, true, false), ("ActionBlock", true, true, false),
        ("TransformBlock", true, true, false), ("TransformManyBlock", true, true, false),
        ("WhenAll", true, true, false), ("WaitAll", true, true, false),
    };

    /// <summary>
    /// A target-typed <c>new()</c> with no arguments starts nothing: Thread, Timer and Task have no constructor without
    /// arguments (and <c>private readonly object _gate = new();</c> is everywhere).
    /// </summary>
    private static bool HasNoArguments(string text, int open)
    {
        var next = SkipWhitespace(text, open + 1);
        return next < text.Length && text[next] == ')';
    }

    private static readonly ConditionalWeakTable<SyntaxTree, TreeWords> WordsByTree = new();

    /// <summary>Whether the text of <paramref name="span"/> in <paramref name="tree"/> holds one of the words.</summary>
    public static bool Mentions(SyntaxTree tree, TextSpan span) => Mentions(Positions(tree), span);

    /// <summary>
    /// Whether the source of <paramref name="symbol"/> (every part of a partial type) holds one of the words, or the name
    /// of an entry point that <paramref name="options"/> configure.
    /// </summary>
    public static bool Mentions(ISymbol symbol, ThreadingOptions options)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (Mentions(Positions(reference.SyntaxTree, options), reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The positions of the words in <paramref name="tree"/>'s text, in order, for repeated <see cref="Mentions(int[], TextSpan)"/> calls.</summary>
    public static int[] Positions(SyntaxTree tree) => WordsOf(tree).All;

    /// <summary><see cref="Positions(SyntaxTree)"/>, with the names of the entry points that <paramref name="options"/> configure.</summary>
    public static int[] Positions(SyntaxTree tree, ThreadingOptions options) => WordsOf(tree, options).All;

    private static readonly ConditionalWeakTable<SyntaxTree, StrongBox<ConfiguredWords?>> ConfiguredWordsByTree = new();

    /// <summary>A tree's words with the configured entry points' names, for the one set of names they were found with.</summary>
    private sealed class ConfiguredWords
    {
        public ConfiguredWords(ImmutableArray<string> names, TreeWords words)
        {
            Names = names;
            Words = words;
        }

        public ImmutableArray<string> Names { get; }

        public TreeWords Words { get; }
    }

    /// <summary>
    /// The tree's words, and where the options configure entry points, their names as whole words too (a configured
    /// call counts as entry-point-shaped). Most compilations configure none and get the shared per-tree answer.
    /// </summary>
    private static TreeWords WordsOf(SyntaxTree tree, ThreadingOptions options)
    {
        var words = WordsOf(tree);
        var names = options.EntryPointNames;
        if (names.IsEmpty)
        {
            return words;
        }

        var box = ConfiguredWordsByTree.GetValue(tree, static _ => new StrongBox<ConfiguredWords?>());
        if (box.Value is { } known && known.Names == names)
        {
            return known.Words;
        }

        var text = tree.GetText().ToString();
        var extra = new List<int>();
        foreach (var name in names)
        {
            for (var index = text.IndexOf(name, StringComparison.Ordinal); index >= 0; index = text.IndexOf(name, index + name.Length, StringComparison.Ordinal))
            {
                var end = index + name.Length;
                if ((index == 0 || !IsIdentifierPart(text[index - 1])) && (end == text.Length || !IsIdentifierPart(text[end])))
                {
                    extra.Add(index);
                }
            }
        }

        var merged = new TreeWords(Merge(words.All, extra), Merge(words.Shaped, extra));
        box.Value = new ConfiguredWords(names, merged);
        return merged;
    }

    private static int[] Merge(int[] positions, List<int> extra)
    {
        var all = new List<int>(positions.Length + extra.Count);
        all.AddRange(positions);
        all.AddRange(extra);
        all.Sort();
        return all.ToArray();
    }

    /// <summary>
    /// The identifier each word starts with (<c>Task</c> of <c>Task.Run</c>, <c>new</c> of <c>new(</c>), for the words that
    /// must start an identifier: the shared one-pass reading of each file finds those (<see cref="TreeWordScan"/>), and
    /// only the rest of the word is then compared at each of them.
    /// </summary>
    private static readonly string?[] Leads = RegisterLeads();

    private static string?[] RegisterLeads()
    {
        var leads = new string?[Words.Length];
        for (var i = 0; i < Words.Length; i++)
        {
            var word = Words[i].Text;
            var length = 0;
            while (length < word.Length && IsIdentifierPart(word[length]))
            {
                length++;
            }

            leads[i] = Words[i].WholeStart ? word.Substring(0, length) : null;
        }

        TreeWordScan.Register(Array.FindAll(leads, lead => lead is not null)!);
        return leads;
    }

    private static TreeWords WordsOf(SyntaxTree tree) =>
        WordsByTree.GetValue(tree, static t =>
        {
            var text = t.GetText().ToString();
            var scan = TreeWordScan.Of(t);
            var all = new List<int>();
            var shaped = new List<int>();
            for (var i = 0; i < Words.Length; i++)
            {
                var (word, wholeStart, wholeEnd, created) = Words[i];
                var implicitCreation = word[word.Length - 1] == '(';
                foreach (var index in Candidates(text, scan, word, Leads[i]))
                {
                    var end = index + word.Length;
                    if ((!wholeStart || index == 0 || !IsIdentifierPart(text[index - 1]))
                        && (!wholeEnd || end == text.Length || !IsIdentifierPart(text[end]))
                        && (!created || IsCreatedType(text, index, end))
                        && !(implicitCreation && HasNoArguments(text, end - 1)))
                    {
                        all.Add(index);
                        if (!implicitCreation || MayBeShapedImplicitCreation(text, index, end - 1))
                        {
                            shaped.Add(index);
                        }
                    }
                }
            }

            all.Sort();
            shaped.Sort();
            return new TreeWords(all.ToArray(), shaped.ToArray());
        });

    /// <summary>
    /// Where <paramref name="text"/> spells <paramref name="word"/>: at each identifier the file's reading found equal to
    /// its lead and followed by the rest of it, or, for a word without a lead (or a reading made before the leads were
    /// known, or a text whose identifiers hold marks, which this class does not count as identifier characters), by a
    /// search of the whole text.
    /// </summary>
    private static IEnumerable<int> Candidates(string text, TreeWordScan scan, string word, string? lead)
    {
        if (lead is not null && !scan.HasMarks && scan.Covers(new[] { lead }))
        {
            foreach (var index in scan.PositionsOf(new[] { lead }))
            {
                if (index + word.Length <= text.Length && string.CompareOrdinal(text, index + lead.Length, word, lead.Length, word.Length - lead.Length) == 0)
                {
                    yield return index;
                }
            }

            yield break;
        }

        for (var index = text.IndexOf(word, StringComparison.Ordinal); index >= 0; index = text.IndexOf(word, index + word.Length, StringComparison.Ordinal))
        {
            yield return index;
        }
    }

    /// <summary>A tree's word positions: all of them, and those that can stand in an entry-point-shaped expression.</summary>
    private sealed class TreeWords
    {
        public TreeWords(int[] all, int[] shaped)
        {
            All = all;
            Shaped = shaped;
        }

        public int[] All { get; }

        public int[] Shaped { get; }
    }

    /// <summary>How far the arguments (or the declared type's type arguments) of a target-typed <c>new(</c> are read before it is kept as a place.</summary>
    private const int ArgumentsReadLength = 1000;

    /// <summary>
    /// Whether the target-typed <c>new(</c> at <paramref name="index"/> (its parenthesis at <paramref name="open"/>) can
    /// create a Thread, Timer or Task that THR002 follows: its arguments hold a lambda or anonymous method, or it initializes
    /// a variable declared as a Thread, Timer or Task (<c>Thread worker = new(Work);</c>). <c>new(StringComparer.Ordinal)</c>
    /// and <c>new(false)</c> in a field's initializer are not.
    /// </summary>
    private static bool MayBeShapedImplicitCreation(string text, int index, int open)
    {
        var depth = 0;
        for (var at = open; at < text.Length; at++)
        {
            if (at - open > ArgumentsReadLength)
            {
                return true;
            }

            var c = text[at];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }
            else if ((c == '=' && at + 1 < text.Length && text[at + 1] == '>') || (c == 'd' && string.CompareOrdinal(text, at, "delegate", 0, 8) == 0))
            {
                return true;
            }
        }

        // Type name = new(...): back over the '=', the variable's name and the type's last name.
        var before = SkipWhitespaceBack(text, index - 1);
        if (before < 1 || text[before] != '=' || "=!<>+-*/%&|^?".IndexOf(text[before - 1]) >= 0)
        {
            return false;
        }

        var nameEnd = SkipWhitespaceBack(text, before - 1);
        before = SkipIdentifierBack(text, nameEnd);
        if (before == nameEnd || before < 0)
        {
            return false;
        }

        before = SkipWhitespaceBack(text, text[before] == '@' ? before - 1 : before);
        if (before < 0)
        {
            return false;
        }

        // A second declarator (Thread a = new(A), b = new(B)) is kept without reading further; a generic type is read
        // from before its type arguments (Task<int>).
        if (text[before] == ',')
        {
            return true;
        }

        if (text[before] == '>')
        {
            // Type arguments are short; a '>' whose '<' is not close by (the => of a lambda) is kept.
            var close = before;
            for (var nesting = 0; ; before--)
            {
                if (before < 0 || close - before > ArgumentsReadLength)
                {
                    return true;
                }

                if (text[before] == '>')
                {
                    nesting++;
                }
                else if (text[before] == '<' && --nesting == 0)
                {
                    break;
                }
            }

            before = SkipWhitespaceBack(text, before - 1);
        }

        var typeEnd = before + 1;
        before = SkipIdentifierBack(text, before);
        var typeName = text.Substring(before + 1, typeEnd - before - 1);
        return typeName is "Thread" or "Timer" or "Task";
    }

    /// <summary>The first position from <paramref name="at"/> on that is not whitespace (the text's length when none is).</summary>
    private static int SkipWhitespace(string text, int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at]))
        {
            at++;
        }

        return at;
    }

    /// <summary>The last position from <paramref name="at"/> back that is not whitespace (-1 when none is).</summary>
    private static int SkipWhitespaceBack(string text, int at)
    {
        while (at >= 0 && char.IsWhiteSpace(text[at]))
        {
            at--;
        }

        return at;
    }

    /// <summary>The last position from <paramref name="at"/> back that does not continue an identifier (-1 when none is).</summary>
    private static int SkipIdentifierBack(string text, int at)
    {
        while (at >= 0 && IsIdentifierPart(text[at]))
        {
            at--;
        }

        return at;
    }

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    /// <summary>
    /// Whether the type name at <paramref name="index"/> (ending at <paramref name="end"/>) can be the type of an object
    /// creation: its argument list follows it, and <c>new</c> comes before it (whitespace between), or a qualifier does
    /// (<c>new System.Threading.Thread(</c>, <c>global::</c>).
    /// </summary>
    private static bool IsCreatedType(string text, int index, int end)
    {
        var after = SkipWhitespace(text, end);
        if (after == text.Length || text[after] != '(')
        {
            return false;
        }

        var before = index - 1;
        if (before >= 0 && text[before] == '@')
        {
            before--;
        }

        before = SkipWhitespaceBack(text, before);
        if (before < 0)
        {
            return false;
        }

        if (text[before] is '.' or ':')
        {
            return true;
        }

        return before >= 2 && text[before] == 'w' && text[before - 1] == 'e' && text[before - 2] == 'n'
            && (before == 2 || !IsIdentifierPart(text[before - 3]));
    }

    /// <summary>Whether one of <paramref name="positions"/> (from <see cref="Positions(SyntaxTree)"/>) lies in <paramref name="span"/>.</summary>
    public static bool Mentions(int[] positions, TextSpan span) => SortedPositions.AnyIn(positions, span);

    /// <summary>
    /// The positions of the words in the source of <paramref name="type"/> (every part of a partial type) that can stand in
    /// an entry-point-shaped expression; null when there are none (<c>new(StringComparer.Ordinal)</c> is no such place).
    /// Looked up once per type, so that each member's code is then compared with a few positions only.
    /// </summary>
    public static EntryPointPlaces? PlacesIn(ISymbol type, ThreadingOptions options)
    {
        List<(SyntaxTree Tree, int Position)>? places = null;
        var references = type.DeclaringSyntaxReferences;
        var words = new (SyntaxTree Tree, int[] Positions)[references.Length];
        for (var part = 0; part < references.Length; part++)
        {
            var reference = references[part];
            var treeWords = WordsOf(reference.SyntaxTree, options);
            words[part] = (reference.SyntaxTree, treeWords.All);
            var positions = treeWords.Shaped;
            var span = reference.Span;
            for (var index = SortedPositions.FirstAtOrAfter(positions, span.Start); index < positions.Length && positions[index] < span.End; index++)
            {
                (places ??= new List<(SyntaxTree Tree, int Position)>()).Add((reference.SyntaxTree, positions[index]));
            }
        }

        return places is null ? null : new EntryPointPlaces(places.ToArray(), words);
    }
}

/// <summary>The positions of the entry point words in one type's source (see <see cref="EntryPointText.PlacesIn"/>).</summary>
internal sealed class EntryPointPlaces
{
    private readonly (SyntaxTree Tree, int Position)[] _places;

    private readonly (SyntaxTree Tree, int[] Positions)[] _words;

    public EntryPointPlaces((SyntaxTree Tree, int Position)[] places, (SyntaxTree Tree, int[] Positions)[] words)
    {
        _places = places;
        _words = words;
    }

    /// <summary>
    /// <see cref="EntryPointText.Positions(SyntaxTree)"/> of <paramref name="tree"/>, a tree of the type's source, kept from the
    /// lookup at the type's start (each member's walk for entry points would look them up again).
    /// </summary>
    public int[] WordsIn(SyntaxTree tree)
    {
        foreach (var (wordsTree, positions) in _words)
        {
            if (wordsTree == tree)
            {
                return positions;
            }
        }

        return EntryPointText.Positions(tree);
    }

    /// <summary>
    /// Whether the text of <paramref name="block"/>, code of the type, holds one of the type's places: <c>Task.Run</c>,
    /// <c>StartNew</c>, <c>QueueUserWorkItem</c>, <c>Parallel.</c>, <c>ForAll</c>, <c>new Thread(</c>, <c>new Timer(</c>,
    /// <c>new Task</c>, <c>ContinueWith</c>, <c>Elapsed</c>, a Dataflow block's name, <c>WhenAll</c>, <c>WaitAll</c>, or a target-typed <c>new(...)</c>
    /// given a lambda or declared as a Thread, Timer or Task.
    /// </summary>
    public bool MayStartConcurrentCode(SyntaxNode block)
    {
        var tree = block.SyntaxTree;
        var span = block.FullSpan;
        foreach (var (placeTree, position) in _places)
        {
            if (placeTree == tree && span.Contains(position))
            {
                return true;
            }
        }

        return false;
    }
}
