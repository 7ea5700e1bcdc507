using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>THR008: <c>t.Join(timeout);</c> as a statement drops the answer to "has the thread ended?".</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR008IgnoredJoinResultAnalyzer : DiagnosticAnalyzer
{
    /// <summary>A call to Join has the word in its syntax: a block without it calls none.</summary>
    private static readonly SourceWords JoinWord = new("Join");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR008);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationActionWhereMentioned(JoinWord, () => types.ThreadIsReferenced, c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod is not { Name: "Join", Parameters.Length: 1, ReturnType.SpecialType: SpecialType.System_Boolean }
            || !types.IsThread(invocation.TargetMethod.ContainingType)
            || ResultStatement(invocation) is not { } statement
            || invocation.Arguments.Length != 1
            || WaitsForever(invocation.Arguments[0].Value)
            || BrokenCode.In(statement)
            || BrokenCode.InText(OperationTree.Root(invocation))) // half-typed code anywhere in the body: wait until it compiles
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR008, invocation.Syntax.GetLocation(), ReceiverText(invocation)));
    }

    /// <summary>
    /// The statement that drops the call's value: <c>t.Join(100);</c>, <c>t?.Join(100);</c>, or an expression body
    /// that returns nothing (<c>() =&gt; t.Join(100)</c> as an Action). Null when the value is used, <c>_ =</c> included.
    /// </summary>
    private static IExpressionStatementOperation? ResultStatement(IInvocationOperation invocation)
    {
        IOperation current = invocation;
        while (current.Parent is IConditionalAccessOperation access && access.WhenNotNull == current)
        {
            current = access;
        }

        return current.Parent as IExpressionStatementOperation;
    }

    /// <summary><c>Join(Timeout.Infinite)</c> and <c>Join(Timeout.InfiniteTimeSpan)</c> return only when the thread has ended: always true.</summary>
    private static bool WaitsForever(IOperation timeout)
    {
        while (timeout is IConversionOperation conversion)
        {
            timeout = conversion.Operand;
        }

        return timeout switch
        {
            { ConstantValue: { HasValue: true, Value: int milliseconds } } => milliseconds == System.Threading.Timeout.Infinite,
            IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", IsStatic: true } field } => IsSystemThreadingTimeout(field.ContainingType),
            _ => false,
        };
    }

    private static bool IsSystemThreadingTimeout(INamedTypeSymbol type) =>
        type is { Name: "Timeout", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>The thread as the code names it: <c>worker</c>, <c>this._worker</c>, <c>threads[i]</c>, <c>a?.b</c>.</summary>
    private static string ReceiverText(IInvocationOperation invocation)
    {
        if (invocation.Syntax is not InvocationExpressionSyntax call)
        {
            return "Thread";
        }

        var end = call.Expression switch
        {
            MemberAccessExpressionSyntax access => access.OperatorToken.SpanStart,
            MemberBindingExpressionSyntax when call.Parent is ConditionalAccessExpressionSyntax access => access.OperatorToken.SpanStart,
            _ => -1,
        };

        // The receiver starts where the conditional accesses around the call start (a?.b.Join(100)).
        SyntaxNode start = call;
        while (start.Parent is ConditionalAccessExpressionSyntax outer && outer.WhenNotNull == start)
        {
            start = outer;
        }

        return end > start.SpanStart ? start.ToString().Substring(0, end - start.SpanStart) : "Thread";
    }
}
