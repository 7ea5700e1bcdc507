using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>
/// The function whose own code an operation is (a lambda, a local function, or the member itself; a nested function's
/// code is not its enclosing function's), and whether an <c>await</c> compiles at the operation. THR004 and THR011
/// turn blocking waits into awaits only where one does.
/// </summary>
internal sealed class EnclosingFunction
{
    private readonly IOperation _site;
    private readonly bool _inLock;
    private readonly bool _inCatchOrFinally;

    private EnclosingFunction(IOperation site, IMethodSymbol? symbol, IOperation? function, bool inLock, bool inCatchOrFinally)
    {
        _site = site;
        Symbol = symbol;
        Function = function;
        _inLock = inLock;
        _inCatchOrFinally = inCatchOrFinally;
    }

    /// <summary>The lambda's, local function's or member's method; null outside a method (a field initializer, say).</summary>
    public IMethodSymbol? Symbol { get; }

    /// <summary>The <see cref="IAnonymousFunctionOperation"/> or <see cref="ILocalFunctionOperation"/>; null for the member's own code.</summary>
    public IOperation? Function { get; }

    public bool IsAsync => Symbol is { IsAsync: true };

    /// <param name="site">The operation.</param>
    /// <param name="member">The member whose body holds <paramref name="site"/>, when the caller knows it (an analysis
    /// context's ContainingSymbol); else the semantic model finds it.</param>
    public static EnclosingFunction Of(IOperation site, ISymbol? member = null)
    {
        var inLock = false;
        var inCatchOrFinally = false;
        var previous = site;
        for (var current = site.Parent; current is not null; previous = current, current = current.Parent)
        {
            switch (current)
            {
                case ILockOperation:
                    inLock = true;
                    break;
                case ICatchClauseOperation:
                    inCatchOrFinally = true;
                    break;
                case ITryOperation @try when @try.Finally == previous:
                    inCatchOrFinally = true;
                    break;
                case IAnonymousFunctionOperation lambda:
                    return new EnclosingFunction(site, lambda.Symbol, lambda, inLock, inCatchOrFinally);
                case ILocalFunctionOperation localFunction:
                    return new EnclosingFunction(site, localFunction.Symbol, localFunction, inLock, inCatchOrFinally);
            }
        }

        var method = (member ?? site.SemanticModel?.GetEnclosingSymbol(site.Syntax.SpanStart)) as IMethodSymbol;
        return new EnclosingFunction(
            site,
            method is { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } ? method : null,
            function: null,
            inLock,
            inCatchOrFinally);
    }

    /// <summary>
    /// Whether <c>await</c> compiles at the site: an async function, not in a <c>lock</c> (CS1996), not in an unsafe context
    /// (CS4004), not in <c>catch</c>/<c>finally</c> before C# 6 (CS1985/CS1984), and no ref or ref struct local in scope
    /// that could live across it (CS4007, CS9217; such locals exist in async code from C# 13, which the rule tests' Roslyn
    /// 4.8 does not compile: PackageTests checks it with the SDK's compiler).
    /// </summary>
    public bool AwaitCompiles()
    {
        if (!IsAsync || _inLock || IsInUnsafeContext(_site.Syntax))
        {
            return false;
        }

        if (_inCatchOrFinally && _site.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp6 })
        {
            return false;
        }

        return !HasRefLocalInScope();
    }

    /// <summary>
    /// The name of the function's only CancellationToken parameter, escaped where it is a keyword, for a fix that passes
    /// it on (THR011's <c>Task.Delay</c>, THR020's <c>WaitAsync</c>); null when it has none or several.
    /// </summary>
    public string? CancellationTokenParameter(ThreadingTypes types)
    {
        if (Symbol is null || types.CancellationToken is not { } cancellationToken)
        {
            return null;
        }

        var tokens = Symbol.Parameters.Where(p => SymbolEqualityComparer.Default.Equals(p.Type, cancellationToken)).Take(2).ToList();
        if (tokens.Count != 1 || tokens[0] is not { IsDiscard: false } token)
        {
            return null;
        }

        return SyntaxFacts.GetKeywordKind(token.Name) == SyntaxKind.None ? token.Name : "@" + token.Name;
    }

    /// <summary>The locals of the blocks, loops, usings, catch clauses and switch sections between the site and the function.</summary>
    private bool HasRefLocalInScope()
    {
        for (var current = _site.Parent; current is not null && current != Function; current = current.Parent)
        {
            var locals = current switch
            {
                IBlockOperation block => block.Locals,
                IForLoopOperation forLoop => forLoop.Locals.AddRange(forLoop.ConditionLocals),
                ILoopOperation loop => loop.Locals,
                IUsingOperation @using => @using.Locals,
                ICatchClauseOperation @catch => @catch.Locals,
                ISwitchCaseOperation @case => @case.Locals,
                ISwitchOperation @switch => @switch.Locals,
                _ => ImmutableArray<ILocalSymbol>.Empty,
            };
            if (locals.Any(static local => local.IsRef || local.Type.IsRefLikeType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInUnsafeContext(SyntaxNode node) =>
        node.Ancestors().Any(static ancestor => ancestor switch
        {
            UnsafeStatementSyntax => true,
            LocalFunctionStatementSyntax localFunction => localFunction.Modifiers.Any(SyntaxKind.UnsafeKeyword),
            MemberDeclarationSyntax member => member.Modifiers.Any(SyntaxKind.UnsafeKeyword),
            _ => false,
        });
}
