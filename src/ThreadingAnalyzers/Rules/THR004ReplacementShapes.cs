using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>How the replacement calls the thread's body: a parameterless lambda, a method group, or a method group with the Start argument.</summary>
internal sealed class ThreadBodySyntax
{
    public ThreadBodySyntax(AnonymousFunctionExpressionSyntax? lambda, ExpressionSyntax? methodGroup, bool takesArgument, ExpressionSyntax? argument)
    {
        Lambda = lambda;
        MethodGroup = methodGroup;
        TakesArgument = takesArgument;
        Argument = argument;
    }

    /// <summary>A lambda or anonymous method without parameters.</summary>
    public AnonymousFunctionExpressionSyntax? Lambda { get; }

    /// <summary>The method group (<c>Compute</c>, <c>worker.Run</c>) when the body is one.</summary>
    public ExpressionSyntax? MethodGroup { get; }

    /// <summary>The method group is a ParameterizedThreadStart: it is called with <see cref="Argument"/> (or <c>null</c>).</summary>
    public bool TakesArgument { get; }

    /// <summary>The argument of <c>Start(arg)</c>; null when Start has none.</summary>
    public ExpressionSyntax? Argument { get; }
}

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

/// <summary>
/// Fix (b): threads created in a <c>for</c> loop over indices, started, stored in an array or list, and joined in the
/// loop that follows: <c>Parallel.For(from, to, i => body(i))</c>.
/// </summary>
internal sealed class ParallelForShape
{
    public ParallelForShape(
        LocalDeclarationStatementSyntax collectionDeclaration,
        ForStatementSyntax loop,
        StatementSyntax joinLoop,
        ExpressionSyntax from,
        ExpressionSyntax to,
        string parameter,
        ImmutableArray<StatementSyntax> prefix,
        ThreadBodySyntax body,
        bool collectionDeclaredJustBefore)
    {
        CollectionDeclaration = collectionDeclaration;
        Loop = loop;
        JoinLoop = joinLoop;
        From = from;
        To = to;
        Parameter = parameter;
        Prefix = prefix;
        Body = body;
        CollectionDeclaredJustBefore = collectionDeclaredJustBefore;
    }

    public LocalDeclarationStatementSyntax CollectionDeclaration { get; }

    public ForStatementSyntax Loop { get; }

    public StatementSyntax JoinLoop { get; }

    public ExpressionSyntax From { get; }

    /// <summary>The exclusive upper bound; the array's size where the loop ran to <c>threads.Length</c>.</summary>
    public ExpressionSyntax To { get; }

    /// <summary>The body lambda's parameter: the loop variable, or the per-iteration copy of it that the thread captured.</summary>
    public string Parameter { get; }

    /// <summary>The loop's local declarations that the body uses (partition bounds), which move into the body.</summary>
    public ImmutableArray<StatementSyntax> Prefix { get; }

    public ThreadBodySyntax Body { get; }

    /// <summary>The collection's declaration is the statement right before the loop.</summary>
    public bool CollectionDeclaredJustBefore { get; }
}

/// <summary>Recognizes the exact shapes that THR004's code fixes rewrite; anything else gets no fix.</summary>
internal static class THR004ReplacementShapes
{
    public static TaskRunShape? TryTaskRun(IObjectCreationOperation creation, ThreadingTypes types)
    {
        if (Outermost(creation).Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
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
        var root = RunWindow.Root(creation);
        var function = RunWindow.EnclosingFunction(declarator);
        IInvocationOperation? start = null;
        IInvocationOperation? join = null;
        var removed = new List<StatementSyntax>();
        foreach (var reference in References(root, thread))
        {
            if (RunWindow.EnclosingFunction(reference) != function)
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

    public static ParallelForShape? TryParallelFor(IObjectCreationOperation creation, ThreadingTypes types)
    {
        if (!InitializerOnlyNamesOrBackgrounds(creation) || EnclosingStatement(creation) is not { } creationStatement
            || creationStatement.Parent is not IBlockOperation { Parent: IForLoopOperation loop } loopBody
            || loop.Syntax is not ForStatementSyntax forSyntax
            || StatementList.Of(forSyntax) is not { } outerBlock
            || LoopIndex(loop, forSyntax) is not { } index)
        {
            return null;
        }

        var root = RunWindow.Root(creation);

        // The thread goes into C[i] directly, or through a local t: `var t = new Thread(...); C[i] = t;` or `C.Add(t);`.
        var holder = Outermost(creation).Parent;
        ILocalSymbol? threadLocal = null;
        ILocalSymbol? collection = null;
        IOperation? storeStatement = null;
        var threadStatements = new List<IOperation> { creationStatement };
        IInvocationOperation? start = null;
        if (holder is ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation directStore } && ArrayElementOf(directStore, index) is { } array)
        {
            collection = array;
            storeStatement = creationStatement;
        }
        else if (holder is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Declarators.Length: 1 } } declarator }
            && types.IsThread(declarator.Symbol.Type))
        {
            threadLocal = declarator.Symbol;
            foreach (var reference in References(root, threadLocal))
            {
                if (EnclosingStatement(reference) is not { } statement || statement.Parent != loopBody)
                {
                    return null;
                }

                switch (reference.Parent)
                {
                    case IInvocationOperation { TargetMethod.Name: "Start" } call when call.Instance == reference && start is null && IsStatement(call):
                        start = call;
                        break;
                    case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation target } store
                        when store.Value == reference && collection is null && IsStatement(store) && ArrayElementOf(target, index) is { } stored:
                        collection = stored;
                        storeStatement = statement;
                        break;
                    case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation list } add }
                        when collection is null && IsStatement(add) && IsListOfThread(list.Local.Type, types):
                        collection = list.Local;
                        storeStatement = statement;
                        break;
                    default:
                        if (RemovableSetting(reference) is null)
                        {
                            return null;
                        }

                        break;
                }

                threadStatements.Add(statement);
            }
        }

        if (collection is null)
        {
            return null;
        }

        var join = outerBlock.After(forSyntax);
        var collectionDeclaration = CollectionDeclaration(root, collection, types, outerBlock, forSyntax);
        if (join is null || collectionDeclaration is null)
        {
            return null;
        }

        // Every use of the collection: the store, C[i].Start() and settings on C[i] in the loop, C.Length in its condition, the join loop.
        var lengthInCondition = false;
        var storeSeen = false;
        foreach (var reference in References(root, collection))
        {
            if (join.Span.Contains(reference.Syntax.Span))
            {
                continue;
            }

            if (loop.Condition is { } condition && condition.Syntax.Span.Contains(reference.Syntax.Span))
            {
                lengthInCondition = true;
                continue;
            }

            if (EnclosingStatement(reference) is not { } statement || statement.Parent != loopBody
                || creation.Syntax.Span.Contains(reference.Syntax.Span))
            {
                return null;
            }

            if (statement == storeStatement && !storeSeen)
            {
                storeSeen = true;
                continue;
            }

            if (threadLocal is null && reference.Parent is IArrayElementReferenceOperation element && element.ArrayReference == reference
                && ArrayElementOf(element, index) is not null)
            {
                if (element.Parent is IInvocationOperation { TargetMethod.Name: "Start" } call && call.Instance == element && start is null && IsStatement(call))
                {
                    start = call;
                    threadStatements.Add(statement);
                    continue;
                }

                if (RemovableSetting(element) is not null)
                {
                    threadStatements.Add(statement);
                    continue;
                }
            }

            return null;
        }

        if (start is null || start.Syntax.SpanStart < creation.Syntax.Span.End
            || !IsJoinLoop(join, collection, root, types)
            || BodyOf(creation, start, types, argumentReadLater: false) is not { } body
            || Bound(loop, forSyntax, index, collection, collectionDeclaration, lengthInCondition) is not { } to)
        {
            return null;
        }

        // The loop holds the thread's statements and, before them, declarations that only the body uses.
        var prefix = new List<IOperation>();
        foreach (var statement in loopBody.Operations)
        {
            if (threadStatements.Contains(statement))
            {
                continue;
            }

            if (statement is not IVariableDeclarationGroupOperation group || statement.Syntax.SpanStart > creationStatement.Syntax.SpanStart
                || group.Syntax is not LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0 }
                || !group.Declarations.SelectMany(d => d.Declarators).All(d => d.GetVariableInitializer() is { } init && IsSimpleValue(init.Value)))
            {
                return null;
            }

            prefix.Add(statement);
        }

        if (!PrefixLocalsStayInside(prefix, root, creation, start))
        {
            return null;
        }

        // `int index = i;` alone, read only by the thread: the lambda takes the copy's name and the copy goes away.
        var parameter = index.Name;
        var prefixSyntax = prefix.Select(p => (StatementSyntax)p.Syntax).ToList();
        if (prefix.Count > 0 && SingleDeclarator(prefix[0]) is { } copy
            && copy.Symbol.Type.SpecialType == SpecialType.System_Int32
            && copy.GetVariableInitializer()?.Value is ILocalReferenceOperation copied && SymbolEqualityComparer.Default.Equals(copied.Local, index)
            && !References(root, index).Any(r => InBodyOrStartArgument(r, creation, start) || prefix.Skip(1).Any(p => p.Syntax.Span.Contains(r.Syntax.Span))))
        {
            parameter = copy.Symbol.Name;
            prefixSyntax.RemoveAt(0);
        }

        var from = ((VariableDeclaratorSyntax)forSyntax.Declaration!.Variables[0]).Initializer!.Value;
        var declaredJustBefore = outerBlock.After(collectionDeclaration) == forSyntax;
        return new ParallelForShape(collectionDeclaration, forSyntax, join, from, to, parameter, prefixSyntax.ToImmutableArray(), body, declaredJustBefore);
    }

    /// <summary>A value whose evaluation has no side effects and cannot change between two reads in straight-line code.</summary>
    public static bool IsSimpleValue(IOperation? operation)
    {
        switch (operation)
        {
            case null:
                return false;
            case { ConstantValue.HasValue: true }:
            case ILiteralOperation:
            case ILocalReferenceOperation:
            case IParameterReferenceOperation:
            case IInstanceReferenceOperation:
            case IDefaultValueOperation:
            case ITypeOfOperation:
            case INameOfOperation:
            case IInterpolatedStringTextOperation:
                return true;
            case IFieldReferenceOperation field:
                return field.Instance is null || IsSimpleValue(field.Instance);
            case IPropertyReferenceOperation { Property.Name: "Length" or "Count", Arguments.Length: 0 } property:
                return property.Instance is not null && IsSimpleValue(property.Instance);
            case IConversionOperation conversion:
                return conversion.OperatorMethod is null && IsSimpleValue(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return IsSimpleValue(parenthesized.Operand);
            case IBinaryOperation binary:
                return binary.OperatorMethod is null && IsSimpleValue(binary.LeftOperand) && IsSimpleValue(binary.RightOperand);
            case IUnaryOperation unary:
                return unary.OperatorMethod is null && IsSimpleValue(unary.Operand);
            case IConditionalOperation conditional:
                return IsSimpleValue(conditional.Condition) && IsSimpleValue(conditional.WhenTrue) && IsSimpleValue(conditional.WhenFalse);
            case IInterpolatedStringOperation interpolated:
                return interpolated.Parts.All(IsSimpleValue);
            case IInterpolationOperation interpolation:
                return IsSimpleValue(interpolation.Expression) && interpolation.Alignment is null && interpolation.FormatString is null;
            case IInvocationOperation invocation:
                // Math.Min, Math.Max and friends compute partition bounds.
                return invocation.TargetMethod.ContainingType?.Name == "Math" && invocation.TargetMethod.ContainingType.ContainingNamespace?.Name == "System"
                    && invocation.Arguments.All(a => IsSimpleValue(a.Value));
            default:
                return false;
        }
    }

    internal static IOperation Outermost(IOperation operation)
    {
        while (operation.Parent is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    internal static IEnumerable<IOperation> References(IOperation root, ISymbol symbol)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, symbol)
                || operation is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, symbol))
            {
                yield return operation;
            }
        }
    }

    /// <summary>The object initializer sets nothing but Name and IsBackground, to values that can be dropped.</summary>
    private static bool InitializerOnlyNamesOrBackgrounds(IObjectCreationOperation creation) =>
        creation.Initializer is null || creation.Initializer.Initializers.All(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Name" or "IsBackground" } } assignment
            && IsSimpleValue(assignment.Value));

    /// <summary><c>t.Name = ...;</c> or <c>t.IsBackground = ...;</c> with a value that can be dropped: the statement to remove.</summary>
    private static StatementSyntax? RemovableSetting(IOperation reference) =>
        reference.Parent is IPropertyReferenceOperation { Property.Name: "Name" or "IsBackground" } property && property.Instance == reference
        && property.Parent is ISimpleAssignmentOperation { Parent: IExpressionStatementOperation statement } assignment
        && assignment.Target == property && IsSimpleValue(assignment.Value)
            ? statement.Syntax as StatementSyntax
            : null;

    /// <summary>How to call the body, from the creation's delegate and the Start call's argument.</summary>
    /// <param name="argumentReadLater">The replacement reads the Start argument later than Start() did (Task.Run); in a
    /// Parallel.For body it is read per index, as Start() read it per iteration.</param>
    private static ThreadBodySyntax? BodyOf(IObjectCreationOperation creation, IInvocationOperation start, ThreadingTypes types, bool argumentReadLater)
    {
        if (creation.Arguments.Length != 1 || creation.Arguments[0].Value is not { } value
            || EntryPoints.Unwrap(value) is not IDelegateCreationOperation delegateCreation)
        {
            return null;
        }

        var parameterized = SymbolEqualityComparer.Default.Equals(delegateCreation.Type, types.ParameterizedThreadStart);
        var startArgument = start.Arguments.Length == 1 ? start.Arguments[0].Value : null;
        switch (EntryPoints.Unwrap(delegateCreation.Target))
        {
            case IAnonymousFunctionOperation lambda when !parameterized && startArgument is null
                && lambda.Syntax is AnonymousFunctionExpressionSyntax lambdaSyntax and not SimpleLambdaExpressionSyntax
                && lambda.Symbol.Parameters.IsEmpty && !lambda.Symbol.IsAsync:
                return new ThreadBodySyntax(lambdaSyntax, null, false, null);
            case IMethodReferenceOperation reference when reference.Syntax is ExpressionSyntax group && !reference.Method.IsGenericMethod:
                if (!parameterized)
                {
                    return startArgument is null ? new ThreadBodySyntax(null, group, false, null) : null;
                }

                return startArgument is null || (argumentReadLater ? IsStableArgument(startArgument, RunWindow.Root(start)) : IsSimpleValue(startArgument))
                    ? new ThreadBodySyntax(null, group, true, (ExpressionSyntax?)startArgument?.Syntax)
                    : null;
            default:
                return null;
        }
    }

    /// <summary>A Start argument that the task can read later and still see the same value: a constant, or a local or parameter never written again.</summary>
    private static bool IsStableArgument(IOperation argument, IOperation root)
    {
        argument = EntryPoints.Unwrap(argument)!;
        if (argument.ConstantValue.HasValue || argument is ILiteralOperation or IDefaultValueOperation)
        {
            return true;
        }

        ISymbol? symbol = argument switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        if (symbol is null || symbol is ILocalSymbol { IsRef: true } || symbol is IParameterSymbol { RefKind: not RefKind.None })
        {
            return false;
        }

        foreach (var reference in References(root, symbol))
        {
            var parent = reference.Parent;
            if (parent is IAssignmentOperation assignment && assignment.Target == reference
                || parent is IIncrementOrDecrementOperation
                || parent is IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out }
                || parent is IDeclarationExpressionOperation)
            {
                return false;
            }
        }

        return true;
    }

    private static bool MethodGroupReceiverIsStable(IObjectCreationOperation creation) =>
        EntryPoints.Unwrap(creation.Arguments[0].Value) is IDelegateCreationOperation { Target: var target }
        && EntryPoints.Unwrap(target) is IMethodReferenceOperation reference
        && (reference.Instance is null or IInstanceReferenceOperation || IsStableArgument(reference.Instance, RunWindow.Root(creation)));

    /// <summary>The loop's variable when the loop is <c>for (int i = from; i &lt; to; i++)</c> and nothing else.</summary>
    private static ILocalSymbol? LoopIndex(IForLoopOperation loop, ForStatementSyntax syntax)
    {
        if (syntax.Declaration is not { Variables.Count: 1 } declaration || declaration.Variables[0].Initializer is null || syntax.Initializers.Count != 0
            || syntax.Incrementors.Count != 1 || loop.Locals.Length != 1 || loop.Locals[0].Type.SpecialType != SpecialType.System_Int32
            || loop.Condition is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan, LeftOperand: ILocalReferenceOperation bounded }
            || !SymbolEqualityComparer.Default.Equals(bounded.Local, loop.Locals[0]))
        {
            return null;
        }

        var index = loop.Locals[0];
        var incremented = loop.AtLoopBottom.Length == 1 && loop.AtLoopBottom[0] is IExpressionStatementOperation { Operation: var step } && step switch
        {
            IIncrementOrDecrementOperation { Kind: OperationKind.Increment, Target: ILocalReferenceOperation target } => SymbolEqualityComparer.Default.Equals(target.Local, index),
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add, Target: ILocalReferenceOperation target, Value.ConstantValue: { HasValue: true, Value: 1 } } =>
                SymbolEqualityComparer.Default.Equals(target.Local, index),
            _ => false,
        };
        if (!incremented)
        {
            return null;
        }

        // Written nowhere else: the body sees every index from `from` to `to` once.
        foreach (var reference in References(loop.Body, index))
        {
            if (reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
                || reference.Parent is IIncrementOrDecrementOperation or IArgumentOperation { Parameter.RefKind: not RefKind.None })
            {
                return null;
            }
        }

        return index;
    }

    /// <summary>The upper bound: the condition's right side, simple and not touched by the loop; <c>C.Length</c> becomes the array's size.</summary>
    private static ExpressionSyntax? Bound(IForLoopOperation loop, ForStatementSyntax syntax, ILocalSymbol index, ILocalSymbol collection, LocalDeclarationStatementSyntax declaration, bool lengthInCondition)
    {
        var right = ((IBinaryOperation)loop.Condition!).RightOperand;
        if (!IsSimpleValue(right) || References(right, index).Any())
        {
            return null;
        }

        if (!lengthInCondition)
        {
            return ((BinaryExpressionSyntax)syntax.Condition!).Right;
        }

        // Only `C.Length` of the array that the fix removes; its size takes its place.
        return EntryPoints.Unwrap(right) is IPropertyReferenceOperation { Property.Name: "Length", Instance: ILocalReferenceOperation array }
            && SymbolEqualityComparer.Default.Equals(array.Local, collection)
            && declaration.Declaration.Variables[0].Initializer?.Value is ArrayCreationExpressionSyntax { Type.RankSpecifiers.Count: 1 } creation
            && creation.Type.RankSpecifiers[0].Sizes.Count == 1
                ? creation.Type.RankSpecifiers[0].Sizes[0]
                : null;
    }

    /// <summary><c>C[i]</c> on a local array of threads, indexed by the loop variable: the array.</summary>
    private static ILocalSymbol? ArrayElementOf(IArrayElementReferenceOperation element, ILocalSymbol index) =>
        element.ArrayReference is ILocalReferenceOperation array
        && element.Indices.Length == 1 && element.Indices[0] is ILocalReferenceOperation position && SymbolEqualityComparer.Default.Equals(position.Local, index)
            ? array.Local
            : null;

    /// <summary><c>var C = new Thread[size];</c> or <c>var C = new List&lt;Thread&gt;();</c>, before the loop in its block, written nowhere else.</summary>
    private static LocalDeclarationStatementSyntax? CollectionDeclaration(IOperation root, ILocalSymbol collection, ThreadingTypes types, StatementList block, ForStatementSyntax loop)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is not IVariableDeclaratorOperation declarator || !SymbolEqualityComparer.Default.Equals(declarator.Symbol, collection))
            {
                continue;
            }

            var value = declarator.GetVariableInitializer()?.Value is { } initializer ? EntryPoints.Unwrap(initializer) : null;
            var created = value switch
            {
                IArrayCreationOperation { DimensionSizes.Length: 1, Initializer: null, Type: IArrayTypeSymbol { Rank: 1, ElementType: var elementType } } array =>
                    types.IsThread(elementType) && IsSimpleValue(array.DimensionSizes[0]),
                IObjectCreationOperation { Initializer: null } list => IsListOfThread(list.Type, types) && list.Arguments.All(a => IsSimpleValue(a.Value)),
                _ => false,
            };
            return created && declarator.Parent is IVariableDeclarationOperation { Declarators.Length: 1 }
                && declarator.Syntax.Parent?.Parent is LocalDeclarationStatementSyntax { UsingKeyword.RawKind: 0, Modifiers.Count: 0 } statement
                && block.Holds(statement) && statement.SpanStart < loop.SpanStart
                    ? statement
                    : null;
        }

        return null;
    }

    /// <summary>
    /// <c>foreach (var t in C) t.Join();</c>, <c>for (int j = 0; j &lt; n; j++) C[j].Join();</c> or <c>C.ForEach(t =&gt; t.Join());</c>,
    /// with nothing else in it.
    /// </summary>
    private static bool IsJoinLoop(StatementSyntax statement, ILocalSymbol collection, IOperation root, ThreadingTypes types)
    {
        var operation = root.Descendants().FirstOrDefault(o => o.Syntax == statement);
        switch (operation)
        {
            case IForEachLoopOperation { IsAsynchronous: false, Collection: var items, LoopControlVariable: IVariableDeclaratorOperation variable } forEach
                when EntryPoints.Unwrap(items) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, collection):
                return IsOnlyJoin(forEach.Body, variable.Symbol, types) && References(root, variable.Symbol).Count() == 1;
            case IForLoopOperation forLoop when forLoop.Locals.Length == 1 && forLoop.Condition is not null && IsSimpleValue(forLoop.Condition)
                && forLoop.Before.All(b => b is IVariableDeclarationGroupOperation g && g.Declarations.SelectMany(d => d.Declarators).All(d => IsSimpleValue(d.GetVariableInitializer()?.Value)))
                && forLoop.AtLoopBottom.Length == 1 && forLoop.AtLoopBottom[0] is IExpressionStatementOperation { Operation: IIncrementOrDecrementOperation { Kind: OperationKind.Increment } }:
                return SingleStatement(forLoop.Body) is IExpressionStatementOperation
                {
                    Operation: IInvocationOperation { TargetMethod.Name: "Join", Arguments.Length: 0, Instance: IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation array } element } call,
                }
                    && types.IsThread(call.TargetMethod.ContainingType)
                    && SymbolEqualityComparer.Default.Equals(array.Local, collection)
                    && element.Indices.Length == 1 && element.Indices[0] is ILocalReferenceOperation position
                    && SymbolEqualityComparer.Default.Equals(position.Local, forLoop.Locals[0]);
            case IExpressionStatementOperation
            {
                Operation: IInvocationOperation { TargetMethod.Name: "ForEach", Instance: ILocalReferenceOperation list, Arguments.Length: 1 } forEachCall,
            } when SymbolEqualityComparer.Default.Equals(list.Local, collection)
                && EntryPoints.Unwrap(forEachCall.Arguments[0].Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda }:
                return IsOnlyJoin(lambda.Body, lambda.Symbol.Parameters[0], types) && References(lambda, lambda.Symbol.Parameters[0]).Count() == 1;
            default:
                return false;
        }
    }

    private static bool IsOnlyJoin(IOperation body, ISymbol thread, ThreadingTypes types)
    {
        var single = SingleStatement(body);
        if (single is IReturnOperation { IsImplicit: true, ReturnedValue: { } returned })
        {
            single = returned;
        }

        if (single is IExpressionStatementOperation statement)
        {
            single = statement.Operation;
        }

        return single is IInvocationOperation { TargetMethod.Name: "Join", Arguments.Length: 0, Instance: { } instance } call
            && types.IsThread(call.TargetMethod.ContainingType)
            && (instance is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, thread)
                || instance is IParameterReferenceOperation parameter && SymbolEqualityComparer.Default.Equals(parameter.Parameter, thread));
    }

    private static IOperation? SingleStatement(IOperation body)
    {
        while (body is IBlockOperation block)
        {
            var statements = block.Operations.Where(o => !(o is IReturnOperation { IsImplicit: true, ReturnedValue: null })).ToList();
            if (statements.Count != 1)
            {
                return null;
            }

            body = statements[0];
        }

        return body;
    }

    private static bool InBodyOrStartArgument(IOperation reference, IObjectCreationOperation creation, IInvocationOperation start) =>
        creation.Arguments[0].Syntax.Span.Contains(reference.Syntax.Span) || start.Arguments.Any(a => a.Syntax.Span.Contains(reference.Syntax.Span));

    /// <summary>The prefix locals are read only by the thread's body, its Start argument and later prefix declarations.</summary>
    private static bool PrefixLocalsStayInside(List<IOperation> prefix, IOperation root, IObjectCreationOperation creation, IInvocationOperation start)
    {
        foreach (var statement in prefix)
        {
            foreach (var declarator in ((IVariableDeclarationGroupOperation)statement).Declarations.SelectMany(d => d.Declarators))
            {
                foreach (var reference in References(root, declarator.Symbol))
                {
                    if (!InBodyOrStartArgument(reference, creation, start) && !prefix.Any(p => p.Syntax.Span.Contains(reference.Syntax.Span)))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private static bool IsListOfThread(ITypeSymbol? type, ThreadingTypes types) =>
        type is INamedTypeSymbol { TypeArguments.Length: 1 } named
        && types.ListOfT is not null && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, types.ListOfT)
        && types.IsThread(named.TypeArguments[0]);

    private static IVariableDeclaratorOperation? SingleDeclarator(IOperation statement) =>
        statement is IVariableDeclarationGroupOperation { Declarations.Length: 1 } group && group.Declarations[0].Declarators.Length == 1
            ? group.Declarations[0].Declarators[0]
            : null;

    private static bool IsStatement(IOperation operation) => operation.Parent is IExpressionStatementOperation;

    /// <summary>The statement of the block that holds <paramref name="operation"/> (not crossing a lambda).</summary>
    private static IOperation? EnclosingStatement(IOperation operation)
    {
        for (var current = operation; current.Parent is not null; current = current.Parent)
        {
            if (current.Parent is IBlockOperation)
            {
                return current;
            }

            if (current.Parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>The statements of a block, or the top-level statements of a file, in order.</summary>
internal sealed class StatementList
{
    private StatementList(SyntaxNode container, IReadOnlyList<StatementSyntax> statements)
    {
        Container = container;
        Statements = statements;
    }

    /// <summary>The <see cref="BlockSyntax"/>, or the <see cref="CompilationUnitSyntax"/> of top-level statements.</summary>
    public SyntaxNode Container { get; }

    public IReadOnlyList<StatementSyntax> Statements { get; }

    /// <summary>The list that <paramref name="statement"/> belongs to; null for an embedded statement (the body of an if, a switch section).</summary>
    public static StatementList? Of(StatementSyntax statement) => statement.Parent switch
    {
        BlockSyntax block => new StatementList(block, block.Statements),
        GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } =>
            new StatementList(unit, unit.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList()),
        _ => null,
    };

    /// <summary>The node to remove to remove <paramref name="statement"/>: the global statement around a top-level one.</summary>
    public static SyntaxNode RemovableNode(StatementSyntax statement) =>
        statement.Parent is GlobalStatementSyntax global ? global : statement;

    public bool Holds(StatementSyntax statement) => statement.Parent == Container || statement.Parent is GlobalStatementSyntax global && global.Parent == Container;

    public StatementSyntax? After(StatementSyntax statement)
    {
        for (var i = 0; i + 1 < Statements.Count; i++)
        {
            if (Statements[i] == statement)
            {
                return Statements[i + 1];
            }
        }

        return null;
    }
}
