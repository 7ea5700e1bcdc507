using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// Which types the rules on the <see cref="LockModel"/> look at, and how they wait for the driver. Most types of real
/// code take no lock: the words that can take one (<c>lock</c>, the acquiring methods' names, Synchronized) are found
/// in each tree's text once, and a type's declarations are asked only for the tokens at those words, instead of every
/// token of every type at its symbol start.
/// </summary>
internal static class LockingTypes
{
    private static readonly SourceWords LockWords = new(
        "lock", "Enter", "TryEnter", "Synchronized", "Wait", "WaitOne", "WaitAsync", "EnterWriteLock", "EnterUpgradeableReadLock", "EnterScope");

    /// <summary>The tokens at the words, found once per tree for every rule and type that asks (three rules ask for each type).</summary>
    private static readonly ConditionalWeakTable<SyntaxTree, WordToken[]> Tokens = new();

    /// <summary>
    /// Whether a declaration of <paramref name="type"/> holds the <c>lock</c> keyword or an identifier that
    /// <paramref name="isAcquireName"/> accepts among the acquiring names (each rule choosing the ones it needs). Only the
    /// tokens at the words are looked at, not every token of the type.
    /// </summary>
    public static bool MayTakeLock(INamedTypeSymbol type, Func<string, bool> isAcquireName, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (!Tokens.TryGetValue(tree, out var tokens))
            {
                tokens = Tokens.GetValue(tree, _ => Find(tree, cancellationToken));
            }

            // Most trees hold none of the words: the declaration's span (a walk to its first token) is not asked for.
            if (tokens.Length == 0)
            {
                continue;
            }

            // A declaration's span is made of whole tokens: a token at a word lies inside it or outside it.
            var span = reference.Span;
            for (var index = FirstAtOrAfter(tokens, span.Start); index < tokens.Length && tokens[index].Start < span.End; index++)
            {
                if (tokens[index].IsLockKeyword || (tokens[index].Name is { } name && isAcquireName(name)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static WordToken[] Find(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var found = LockWords.TokensIn(tree, tree.GetRoot(cancellationToken).FullSpan, cancellationToken);
        var tokens = new WordToken[found.Count];
        for (var index = 0; index < tokens.Length; index++)
        {
            var token = found[index];
            tokens[index] = new WordToken(
                token.SpanStart,
                token.IsKind(SyntaxKind.LockKeyword),
                token.IsKind(SyntaxKind.IdentifierToken) ? token.ValueText : null);
        }

        return tokens;
    }

    private static int FirstAtOrAfter(WordToken[] tokens, int start)
    {
        int low = 0, high = tokens.Length;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (tokens[middle].Start < start)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    /// <summary>
    /// Has <paramref name="analyze"/> run when the type ends. The empty block action makes the driver build the type's
    /// members' operation trees first (shared with every analyzer), so the lock model reads them instead of binding the
    /// bodies itself.
    /// </summary>
    public static void AnalyzeAtEnd(SymbolStartAnalysisContext symbolStart, Action<SymbolAnalysisContext> analyze)
    {
        symbolStart.RegisterOperationBlockAction(static _ => { });
        symbolStart.RegisterSymbolEndAction(analyze);
    }

    /// <summary>
    /// For a type nested in one that <see cref="AnalyzeAtEnd"/> analyzes: the driver builds its members' operation trees
    /// too, before the outermost type ends (its lock model covers the nested types), instead of the model binding them.
    /// </summary>
    public static void BuildNested(SymbolStartAnalysisContext symbolStart) => symbolStart.RegisterOperationBlockAction(static _ => { });

    /// <summary>The type that holds <paramref name="type"/> and is held by none.</summary>
    public static INamedTypeSymbol Outermost(INamedTypeSymbol type)
    {
        while (type.ContainingType is { } containing)
        {
            type = containing;
        }

        return type;
    }

    /// <summary>A token that one of the words stands in: the <c>lock</c> keyword, an identifier (its name), or neither (a literal).</summary>
    private readonly struct WordToken
    {
        public WordToken(int start, bool isLockKeyword, string? name)
        {
            Start = start;
            IsLockKeyword = isLockKeyword;
            Name = name;
        }

        public int Start { get; }

        public bool IsLockKeyword { get; }

        public string? Name { get; }
    }
}
