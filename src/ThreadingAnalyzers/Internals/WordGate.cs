using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// Registers a rule's operation actions only in the types whose text holds one of the rule's words. A compilation-wide
/// Invocation action is called for every call of the program, and the driver's cost of those calls alone, with an empty
/// callback, is a third of a rule's budget on real code; a NamedType symbol start is called once per type and costs a
/// fourteenth of it. A method's name is written at each call of it (an alias can rename a type, never a member), so a type
/// whose text holds none of the names a rule reacts to has no call for it. The actions a type registers run on its own
/// members; each nested type asks for itself.
/// </summary>
internal static class WordGate
{
    /// <summary>
    /// Registers <paramref name="action"/> for <paramref name="kinds"/> in every type that mentions one of
    /// <paramref name="words"/>, or in every type when there are no words to go by (names configured by the user).
    /// </summary>
    public static void RegisterOperationActionWhereMentioned(
        this CompilationStartAnalysisContext start, SourceWords? words, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        start.RegisterOperationActionWhereMentioned(words, static () => true, action, kinds);

    /// <summary>
    /// As above, where <paramref name="applies"/> also holds: a fact of the compilation that a symbol start, unlike the
    /// compilation start, may ask (the compiler has resolved the types by then).
    /// </summary>
    public static void RegisterOperationActionWhereMentioned(
        this CompilationStartAnalysisContext start, SourceWords? words, Func<bool> applies, Action<OperationAnalysisContext> action, params OperationKind[] kinds) =>
        start.RegisterOperationActionWhere((type, _) => (words is null || words.MentionedBy(type)) && applies(), action, kinds);

    /// <summary>Registers <paramref name="action"/> for <paramref name="kinds"/> in every type whose text <paramref name="mayHold"/> accepts.</summary>
    public static void RegisterOperationActionWhere(
        this CompilationStartAnalysisContext start, Func<INamedTypeSymbol, Compilation, bool> mayHold, Action<OperationAnalysisContext> action, params OperationKind[] kinds)
    {
        var registered = ImmutableArray.Create(kinds);
        start.RegisterSymbolStartAction(
            symbolStart =>
            {
                if (mayHold((INamedTypeSymbol)symbolStart.Symbol, symbolStart.Compilation))
                {
                    symbolStart.RegisterOperationAction(action, registered);
                }
            },
            SymbolKind.NamedType);
    }
}
