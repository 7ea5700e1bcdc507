using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Rules;

/// <summary>A check, the store it guards, and what the diagnostic says about them.</summary>
internal sealed class CheckThenAct
{
    public CheckThenAct(IOperation act, string receiverText, string keyText, string atomicOperation, string? fix)
    {
        Act = act;
        ReceiverText = receiverText;
        KeyText = keyText;
        AtomicOperation = atomicOperation;
        Fix = fix;
    }

    public IOperation Act { get; }
    public string ReceiverText { get; }
    public string KeyText { get; }
    public string AtomicOperation { get; }

    /// <summary>The fix whose rewrite is mechanically equivalent apart from atomicity, or null.</summary>
    public string? Fix { get; }
}

/// <summary>
/// The shapes of THR021: an <c>if</c> whose condition is the check (or its negation) and a store of the same key on the
/// branch it guards, or after the <c>if</c> when the other branch leaves the block.
/// </summary>
internal static class THR021CheckThenActShapes
{
    public static CheckThenAct? Match(IInvocationOperation check)
    {
        var negated = false;
        IOperation condition = check;
        if (condition.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = true;
            condition = not;
        }

        if (condition.Parent is not IConditionalOperation { WhenTrue: { } whenTrue } conditional
            || conditional.Condition != condition
            || conditional.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.IfStatementSyntax
            || Key(check) is not { } key
            || !IsVariable(check.Instance))
        {
            return null;
        }

        var whenMissing = negated ? whenTrue : conditional.WhenFalse;
        var whenFound = negated ? conditional.WhenFalse : whenTrue;
        var missingActs = Acts(check, key, Guarded(conditional, whenMissing, whenFound), whenFound: false).ToList();
        var foundActs = Acts(check, key, Guarded(conditional, whenFound, whenMissing), whenFound: true).ToList();
        if (missingActs.Count == 0 && foundActs.Count == 0)
        {
            return null;
        }

        var isTryGetValue = check.TargetMethod.Name == "TryGetValue";
        var atomic = foundActs.Count > 0 ? "AddOrUpdate" : isTryGetValue ? "GetOrAdd" : "TryAdd";
        var act = missingActs.Concat(foundActs).OrderBy(a => a.Syntax.SpanStart).First();
        // GetOrAdd declares the variable: the if must be a statement of a block, where a declaration may stand.
        var fix = foundActs.Count == 0 && negated && conditional.WhenFalse is null
            ? (isTryGetValue ? (conditional.Parent is IBlockOperation ? GetOrAddShape(check, key, whenTrue) : null) : TryAddShape(check, key, whenTrue))
            : null;
        return new CheckThenAct(act, check.Instance!.Syntax.ToString(), key.Syntax.ToString(), atomic, fix);
    }

    /// <summary><c>if (!d.ContainsKey(k)) d[k] = v;</c> (or Add, TryAdd) with a value that has no side effects.</summary>
    private static string? TryAddShape(IInvocationOperation check, IOperation key, IOperation body) =>
        SingleStatement(body) is IExpressionStatementOperation { Operation: var store }
        && StoredValue(check, key, store) is { } value
        && IsPlainValue(value)
            ? THR021CheckThenActAnalyzer.TryAddFix
            : null;

    /// <summary><c>if (!d.TryGetValue(k, out var x)) { x = Create(); d[k] = x; }</c> with a factory a lambda can hold.</summary>
    private static string? GetOrAddShape(IInvocationOperation check, IOperation key, IOperation body)
    {
        if (check.Arguments.Length != 2
            || check.Arguments[1].Value is not IDeclarationExpressionOperation { Expression: ILocalReferenceOperation { Local: var local } }
            || body is not IBlockOperation { Operations.Length: 2 } block
            || block.Operations[0] is not IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Value: var factory } }
            || !SymbolEqualityComparer.Default.Equals(target.Local, local)
            || block.Operations[1] is not IExpressionStatementOperation { Operation: var store }
            || StoredValue(check, key, store) is not ILocalReferenceOperation stored
            || !SymbolEqualityComparer.Default.Equals(stored.Local, local)
            || !CanMoveIntoLambda(factory, local))
        {
            return null;
        }

        return THR021CheckThenActAnalyzer.GetOrAddFix;
    }

    /// <summary>The statements that run on <paramref name="branch"/>: the branch, and what follows the <c>if</c> when the other branch always leaves.</summary>
    private static IEnumerable<IOperation> Guarded(IConditionalOperation conditional, IOperation? branch, IOperation? other)
    {
        if (branch is not null)
        {
            yield return branch;
        }

        if (other is not null && AlwaysLeaves(other) && conditional.Parent is IBlockOperation block)
        {
            var index = block.Operations.IndexOf(conditional);
            for (var i = index + 1; i < block.Operations.Length; i++)
            {
                yield return block.Operations[i];
            }
        }
    }

    private static bool AlwaysLeaves(IOperation branch)
    {
        var last = branch is IBlockOperation block ? block.Operations.LastOrDefault() : branch;
        return last is IReturnOperation or IBranchOperation or IThrowOperation
            || last is IExpressionStatementOperation { Operation: IThrowOperation };
    }

    /// <summary>Stores of the checked key into the checked dictionary, outside lambdas and outside locks taken after the check.</summary>
    private static IEnumerable<IOperation> Acts(IInvocationOperation check, IOperation key, IEnumerable<IOperation> regions, bool whenFound)
    {
        foreach (var region in regions)
        {
            foreach (var operation in Walk(region))
            {
                if (StoredValue(check, key, operation, indexerOnly: whenFound) is not null)
                {
                    yield return operation;
                }
            }
        }
    }

    /// <summary>The operations of <paramref name="root"/>, not entering lambdas, local functions or <c>lock</c> bodies (a re-check under a lock is the author's own guard).</summary>
    private static IEnumerable<IOperation> Walk(IOperation root)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation or ILockOperation))
                {
                    stack.Push(child);
                }
            }
        }
    }

    /// <summary>The stored value when <paramref name="operation"/> is <c>d[k] = v</c>, <c>d.Add(k, v)</c> or <c>d.TryAdd(k, v)</c> on the checked dictionary and key.</summary>
    private static IOperation? StoredValue(IInvocationOperation check, IOperation key, IOperation operation, bool indexerOnly = false)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer } assignment
                when IsSameVariable(indexer.Instance, check.Instance) && IsSameKey(indexer.Arguments[0].Value, key):
                return assignment.Value;
            // A TryAdd whose answer is used handles the race itself (the loser reads the winner's value).
            case IInvocationOperation { TargetMethod.Name: "Add" or "TryAdd", Arguments.Length: 2 } call
                when !indexerOnly && (call.TargetMethod.Name == "Add" || call.Parent is IExpressionStatementOperation)
                    && IsSameVariable(call.Instance, check.Instance) && IsSameKey(call.Arguments[0].Value, key):
                return call.Arguments[1].Value;
            default:
                return null;
        }
    }

    private static IOperation? Key(IInvocationOperation check) =>
        check.Arguments.Length >= 1 && IsStableKey(check.Arguments[0].Value) ? check.Arguments[0].Value : null;

    private static bool IsStableKey(IOperation key) =>
        Strip(key) is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }
        || key.ConstantValue.HasValue;

    private static bool IsSameKey(IOperation candidate, IOperation key)
    {
        if (key.ConstantValue.HasValue)
        {
            return candidate.ConstantValue.HasValue && Equals(candidate.ConstantValue.Value, key.ConstantValue.Value);
        }

        return IsSameVariable(candidate, key);
    }

    /// <summary>The same local, parameter or field (of this instance, or static).</summary>
    private static bool IsSameVariable(IOperation? a, IOperation? b) => (Strip(a), Strip(b)) switch
    {
        (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
        (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
        (IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } x, IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } y) =>
            SymbolEqualityComparer.Default.Equals(x.Field, y.Field),
        _ => false,
    };

    private static bool IsVariable(IOperation? operation) => IsSameVariable(operation, operation);

    private static IOperation? Strip(IOperation? operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static IOperation? SingleStatement(IOperation body) =>
        body is IBlockOperation block ? (block.Operations.Length == 1 ? block.Operations[0] : null) : body;

    /// <summary>A value whose evaluation has no effect, so evaluating it when the key is present changes nothing.</summary>
    private static bool IsPlainValue(IOperation value) =>
        value.ConstantValue.HasValue
        || Strip(value) is ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation
            or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation };

    /// <summary>Whether <c>_ =&gt; factory</c> compiles and means the same: no ref, out or ref-like captures, no this of a struct, no await.</summary>
    private static bool CanMoveIntoLambda(IOperation factory, ILocalSymbol declared)
    {
        foreach (var operation in factory.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IAwaitOperation:
                    return false;
                case ILocalReferenceOperation { Local: var local }
                    when SymbolEqualityComparer.Default.Equals(local, declared) || local.IsRef || local.Type.IsRefLikeType || local.Name == "_":
                    return false;
                case IParameterReferenceOperation { Parameter: var parameter } when parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType || parameter.Name == "_":
                    return false;
                case IInstanceReferenceOperation { Type.IsValueType: true }:
                    return false;
            }
        }

        return true;
    }
}
