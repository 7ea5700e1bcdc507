using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;
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

internal static partial class THR004ReplacementShapes
{
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

        var root = OperationTree.Root(creation);
        if (StoredThread.Find(creation, creationStatement, loopBody, index, root, types) is not { Collection: { } collection } stored)
        {
            return null;
        }

        var join = outerBlock.After(forSyntax);
        var collectionDeclaration = CollectionDeclaration(root, collection, types, outerBlock, forSyntax);
        if (join is null || collectionDeclaration is null
            || !stored.AccountsForEveryUseOfCollection(root, join, loop, loopBody, index, out var lengthInCondition)
            || stored.Start is not { } start || start.Syntax.SpanStart < creation.Syntax.Span.End
            || !IsJoinLoop(join, collection, root, types)
            || BodyOf(creation, start, types, argumentReadLater: false) is not { } body
            || Bound(loop, forSyntax, index, collection, collectionDeclaration, lengthInCondition) is not { } to
            || BodyOnlyDeclarations(loopBody, stored, creationStatement) is not { } prefix
            || !PrefixLocalsStayInside(prefix, root, creation, start))
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

    /// <summary>
    /// The loop holds the thread's statements and, before them, declarations that only the body uses (partition
    /// bounds); null when it holds anything else.
    /// </summary>
    private static List<IOperation>? BodyOnlyDeclarations(IBlockOperation loopBody, StoredThread stored, IOperation creationStatement)
    {
        var prefix = new List<IOperation>();
        foreach (var statement in loopBody.Operations)
        {
            if (stored.Statements.Contains(statement))
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

        return prefix;
    }

    /// <summary>
    /// How the loop stores each new thread: in <c>C[i]</c> directly, or through a local <c>t</c>
    /// (<c>var t = new Thread(...); C[i] = t;</c> or <c>C.Add(t);</c>), with the statements that start and configure it.
    /// </summary>
    private sealed class StoredThread
    {
        private StoredThread(IObjectCreationOperation creation, IOperation creationStatement, ILocalSymbol index)
        {
            Creation = creation;
            Index = index;
            Statements = new List<IOperation> { creationStatement };
        }

        public IObjectCreationOperation Creation { get; }

        public ILocalSymbol Index { get; }

        /// <summary>The local that holds the thread before it is stored; null when it goes into <c>C[i]</c> directly.</summary>
        public ILocalSymbol? ThreadLocal { get; private set; }

        /// <summary>The array or list of threads.</summary>
        public ILocalSymbol? Collection { get; private set; }

        public IOperation? StoreStatement { get; private set; }

        public IInvocationOperation? Start { get; private set; }

        /// <summary>The loop's statements that create, store, start and configure the thread.</summary>
        public List<IOperation> Statements { get; }

        public static StoredThread? Find(
            IObjectCreationOperation creation, IOperation creationStatement, IBlockOperation loopBody, ILocalSymbol index, IOperation root, ThreadingTypes types)
        {
            var stored = new StoredThread(creation, creationStatement, index);
            var holder = OperationTree.Outermost(creation).Parent;
            if (holder is ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation directStore } && ArrayElementOf(directStore, index) is { } array)
            {
                stored.Collection = array;
                stored.StoreStatement = creationStatement;
                return stored;
            }

            if (holder is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Declarators.Length: 1 } } declarator }
                || !types.IsThread(declarator.Symbol.Type))
            {
                return null;
            }

            stored.ThreadLocal = declarator.Symbol;
            foreach (var reference in References(root, declarator.Symbol))
            {
                if (EnclosingStatement(reference) is not { } statement || statement.Parent != loopBody || !stored.TakeLocalUse(reference, statement, types))
                {
                    return null;
                }

                stored.Statements.Add(statement);
            }

            return stored;
        }

        /// <summary>A use of the thread's local: its Start(), its store into the collection, or a setting that can go.</summary>
        private bool TakeLocalUse(IOperation reference, IOperation statement, ThreadingTypes types)
        {
            switch (reference.Parent)
            {
                case IInvocationOperation { TargetMethod.Name: "Start" } call when call.Instance == reference && Start is null && IsStatement(call):
                    Start = call;
                    return true;
                case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation target } store
                    when store.Value == reference && Collection is null && IsStatement(store) && ArrayElementOf(target, Index) is { } stored:
                    Collection = stored;
                    StoreStatement = statement;
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation list } add }
                    when Collection is null && IsStatement(add) && IsListOfThread(list.Local.Type, types):
                    Collection = list.Local;
                    StoreStatement = statement;
                    return true;
                default:
                    return RemovableSetting(reference) is not null;
            }
        }

        /// <summary>
        /// Every use of the collection is one the rewrite replaces: the store, <c>C[i].Start()</c> and settings on
        /// <c>C[i]</c> in the loop, <c>C.Length</c> in its condition, the join loop.
        /// </summary>
        public bool AccountsForEveryUseOfCollection(
            IOperation root, StatementSyntax join, IForLoopOperation loop, IBlockOperation loopBody, ILocalSymbol index, out bool lengthInCondition)
        {
            lengthInCondition = false;
            var storeSeen = false;
            foreach (var reference in References(root, Collection!))
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
                    || Creation.Syntax.Span.Contains(reference.Syntax.Span))
                {
                    return false;
                }

                if (statement == StoreStatement && !storeSeen)
                {
                    storeSeen = true;
                    continue;
                }

                if (!IsElementStartOrSetting(reference, statement, index))
                {
                    return false;
                }
            }

            return true;
        }

        private bool IsElementStartOrSetting(IOperation reference, IOperation statement, ILocalSymbol index)
        {
            if (ThreadLocal is not null || reference.Parent is not IArrayElementReferenceOperation element || element.ArrayReference != reference
                || ArrayElementOf(element, index) is null)
            {
                return false;
            }

            if (element.Parent is IInvocationOperation { TargetMethod.Name: "Start" } call && call.Instance == element && Start is null && IsStatement(call))
            {
                Start = call;
            }
            else if (RemovableSetting(element) is null)
            {
                return false;
            }

            Statements.Add(statement);
            return true;
        }
    }

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
        return OperationTree.Unwrap(right) is IPropertyReferenceOperation { Property.Name: "Length", Instance: ILocalReferenceOperation array }
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

            var value = declarator.GetVariableInitializer()?.Value is { } initializer ? OperationTree.Unwrap(initializer) : null;
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
                when OperationTree.Unwrap(items) is ILocalReferenceOperation local && SymbolEqualityComparer.Default.Equals(local.Local, collection):
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
                && OperationTree.Unwrap(forEachCall.Arguments[0].Value) is IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda }:
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
