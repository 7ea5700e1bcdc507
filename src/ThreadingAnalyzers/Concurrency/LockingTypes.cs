using System;
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

    /// <summary>
    /// Whether a declaration of <paramref name="type"/> holds the <c>lock</c> keyword or an identifier that
    /// <paramref name="isAcquireName"/> accepts among the acquiring names (each rule choosing the ones it needs). Only the
    /// tokens at the words are looked at, not every token of the type.
    /// </summary>
    public static bool MayTakeLock(INamedTypeSymbol type, Func<string, bool> isAcquireName, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var token in LockWords.TokensIn(reference.SyntaxTree, reference.Span, cancellationToken))
            {
                if (token.IsKind(SyntaxKind.LockKeyword) || (token.IsKind(SyntaxKind.IdentifierToken) && isAcquireName(token.ValueText)))
                {
                    return true;
                }
            }
        }

        return false;
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
}
