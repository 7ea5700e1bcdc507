using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;
/// <summary>Fix (a): <c>var t = new Thread(body); t.Start(); ... t.Join();</c>, one thread started and joined in one method.</summary>
internal sealed class TaskRunShape
{
    public TaskRunShape(
        LocalDeclarationStatementSyntax declaration,
        ILocalSymbol thread,
        ExpressionStatementSyntax start,
        ExpressionStatementSyntax join,
        ImmutableArray<StatementSyntax> removed,
        ThreadBodySyntax body,
        bool startsWhereDeclared,
        bool awaits)
    {
        Declaration = declaration;
        Thread = thread;
        Start = start;
        Join = join;
        Removed = removed;
        Body = body;
        StartsWhereDeclared = startsWhereDeclared;
        Awaits = awaits;
    }

    public LocalDeclarationStatementSyntax Declaration { get; }

    public ILocalSymbol Thread { get; }

    public ExpressionStatementSyntax Start { get; }

    public ExpressionStatementSyntax Join { get; }

    /// <summary>The <c>t.Name = ...;</c> and <c>t.IsBackground = ...;</c> statements, which go away with the thread.</summary>
    public ImmutableArray<StatementSyntax> Removed { get; }

    public ThreadBodySyntax Body { get; }

    /// <summary>Only removed statements stand between the declaration and Start(): the task can take the declaration's place.</summary>
    public bool StartsWhereDeclared { get; }

    /// <summary>The join is in an async function where <c>await</c> may stand: <c>await task;</c> rather than <c>task.Wait();</c>.</summary>
    public bool Awaits { get; }
}

internal static partial class THR004ReplacementShapes
{
    public static TaskRunShape? TryTaskRun(IObjectCreationOperation creation, ThreadingTypes types)
    {
        if (OperationTree.Outermost(creation).Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            || declarator.Parent is not IVariableDeclarationOperation { Declarators.Length: 1 }
            || declarator.Syntax.Parent?.Parent is not LocalDeclarationStatementSyntax declaration
            || declaration.Modifiers.Count != 0 || declaration.UsingKeyword != default
            || StatementList.Of(declaration) is not { } block
            || !types.IsThread(declarator.Symbol.Type)
            || !InitializerOnlyNamesOrBackgrounds(creation))
        {
            return null;
        }

        var thread = declarator.Symbol;
        var root = OperationTree.Root(creation);
        var function = OperationTree.EnclosingNestedFunction(declarator);
        IInvocationOperation? start = null;
        IInvocationOperation? join = null;
        var removed = new List<StatementSyntax>();
        foreach (var reference in References(root, thread))
        {
            if (OperationTree.EnclosingNestedFunction(reference) != function)
            {
                return null;
            }

            switch (reference.Parent)
            {
                case IInvocationOperation { TargetMethod.Name: "Start", Arguments.Length: <= 1, Parent: IExpressionStatementOperation } call
                    when start is null && types.IsThread(call.TargetMethod.ContainingType):
                    start = call;
                    break;
                case IInvocationOperation { TargetMethod.Name: "Join", Arguments.Length: 0, Parent: IExpressionStatementOperation } call
                    when join is null && types.IsThread(call.TargetMethod.ContainingType):
                    join = call;
                    break;
                default:
                    if (RemovableSetting(reference) is not { } statement)
                    {
                        return null;
                    }

                    removed.Add(statement);
                    break;
            }
        }

        if (start is null || join is null
            || start.Parent!.Syntax is not ExpressionStatementSyntax startStatement || !block.Holds(startStatement)
            || join.Parent!.Syntax is not ExpressionStatementSyntax joinStatement
            || startStatement.SpanStart < declaration.Span.End || joinStatement.SpanStart < startStatement.Span.End
            || !block.Container.Span.Contains(joinStatement.Span)
            || BodyOf(creation, start, types, argumentReadLater: true) is not { } body)
        {
            return null;
        }

        var between = block.Statements.Where(s => s.SpanStart > declaration.SpanStart && s.SpanStart < startStatement.SpanStart);
        var startsWhereDeclared = between.All(removed.Contains);
        if (!startsWhereDeclared && body.MethodGroup is not null && !MethodGroupReceiverIsStable(creation))
        {
            // The receiver of `worker.Run` is read when the thread is created; moving the read to Start() could read another value.
            return null;
        }

        return new TaskRunShape(declaration, thread, startStatement, joinStatement, removed.ToImmutableArray(), body, startsWhereDeclared, EnclosingFunction.Of(join).AwaitCompiles());
    }
}
