using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>THR011: <c>Thread.Sleep</c> in the code of an async method, lambda or local function blocks its thread.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR011ThreadSleepInAsyncAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present when <c>await Task.Delay(...)</c> compiles in place of the call.</summary>
    internal const string FixProperty = "THR011.Fix";

    /// <summary>The function's one CancellationToken parameter, as the code names it, for <c>Task.Delay(x, token)</c>.</summary>
    internal const string TokenProperty = "THR011.Token";

    /// <summary>A call to Sleep has the word in its syntax: a block without it calls none.</summary>
    private static readonly SourceWords SleepWord = new("Sleep");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR011);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationActionWhereMentioned(SleepWord, () => types.ThreadIsReferenced, c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "Sleep", IsStatic: true, Parameters.Length: 1 } sleep
            || !types.IsThread(sleep.ContainingType)
            || invocation.Arguments.Length != 1)
        {
            return;
        }

        var function = EnclosingFunction.Of(invocation, context.ContainingSymbol);
        if (!function.IsAsync
            || BrokenCode.In(invocation)
            || BrokenCode.InText(OperationTree.Root(invocation))) // half-typed code anywhere in the body: wait until it compiles
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        var token = function.CancellationTokenParameter(types);
        // Sleep returns nothing, so it stands as a statement or as the body of an expression-bodied function; either
        // way `await Task.Delay(...)` takes its place.
        if (invocation.Parent is IExpressionStatementOperation
            && HasDelay(types, sleep.Parameters[0].Type, withToken: token is not null)
            && function.AwaitCompiles())
        {
            properties = properties.Add(FixProperty, "");
            if (token is not null)
            {
                properties = properties.Add(TokenProperty, token);
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR011, invocation.Syntax.GetLocation(), properties, Describe(function, context.ContainingSymbol)));
    }

    /// <summary>Whether <c>Task.Delay</c> takes what Sleep was given (int or TimeSpan), and a CancellationToken after it if asked.</summary>
    private static bool HasDelay(ThreadingTypes types, ITypeSymbol delayType, bool withToken) =>
        types.Task is { } task
        && task.GetMembers("Delay").Any(member => member is IMethodSymbol { IsStatic: true, DeclaredAccessibility: Accessibility.Public } delay
            && delay.Parameters.Length == (withToken ? 2 : 1)
            && SymbolEqualityComparer.Default.Equals(delay.Parameters[0].Type, delayType)
            && (!withToken || SymbolEqualityComparer.Default.Equals(delay.Parameters[1].Type, types.CancellationToken)));

    /// <summary>The function as the message names it: "the async method 'PollAsync'", "an async lambda in 'Main'".</summary>
    private static string Describe(EnclosingFunction function, ISymbol member) => function.Function switch
    {
        ILocalFunctionOperation => $"the async local function '{function.Symbol!.Name}'",
        IAnonymousFunctionOperation => IsTopLevelStatements(member) ? "an async lambda in the top-level statements" : $"an async lambda in '{MemberName(member)}'",
        _ => IsTopLevelStatements(member) ? "the async top-level statements" : $"the async method '{member.Name}'",
    };

    private static bool IsTopLevelStatements(ISymbol member) =>
        member is IMethodSymbol { Name: WellKnownMemberNames.TopLevelStatementsEntryPointMethodName };

    private static string MemberName(ISymbol member) => member switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor } method => method.ContainingType.Name,
        IMethodSymbol { AssociatedSymbol: { } property } => property.Name,
        _ => member.Name,
    };
}
