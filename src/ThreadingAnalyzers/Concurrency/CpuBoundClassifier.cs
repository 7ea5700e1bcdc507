using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>What a concurrent body does, as far as the code of this compilation shows.</summary>
internal enum BodyWork
{
    /// <summary>A loop or recursion, nothing that blocks or waits, and no endless worker loop: finite CPU-bound work.</summary>
    FiniteCpuBound,
    /// <summary>No loop and no recursion: too little work to matter.</summary>
    NoLoop,
    /// <summary>A blocking or waiting call, I/O or <c>await</c> somewhere in what it runs.</summary>
    BlocksOrWaits,
    /// <summary><c>while (true)</c>, <c>for (;;)</c>, a loop on a stop flag, or a loop over <c>GetConsumingEnumerable</c>.</summary>
    EndlessWorkerLoop,
    /// <summary>It sets its own thread's priority or apartment state, which a pool thread must not get.</summary>
    ConfiguresItsThread,
    /// <summary>Part of what it runs cannot be seen (its method is not in source, code with errors, the reach bound was hit).</summary>
    Unknown,
}

/// <summary>
/// Classifies a concurrent body together with the methods of this compilation that it calls, transitively (RULES.md,
/// THR004): a finite CPU-bound computation contains a loop or recursion, no blocking or waiting call, and no endless
/// worker loop. Calls through interfaces or delegates whose target cannot be seen are not blocking.
/// </summary>
internal static class CpuBoundClassifier
{
    /// <summary>Classifies <paramref name="body"/>; <paramref name="near"/> is an operation of the code that starts it.</summary>
    public static BodyWork Classify(ConcurrentBody body, IOperation near, ThreadingTypes types, CancellationToken cancellationToken)
    {
        var reach = Reach.For(types.Compilation);
        var function = body.Function ?? (body.Method is { } method ? reach.BodyOf(method, near) : null);
        if (function is null)
        {
            return BodyWork.Unknown;
        }

        // The body's own code decides most threads (a blocking call, a wait, an endless loop) without binding a method
        // it calls: a verdict found there comes first. Only loops on flags need the called methods (what writes them).
        if (BrokenCode.InText(function))
        {
            return BodyWork.Unknown;
        }

        foreach (var operation in OperationWalk.OperationsOf(function))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (ClassifyOperation(operation, reach: null, types, cancellationToken) is { } verdict and not BodyWork.FiniteCpuBound)
            {
                return verdict;
            }
        }

        var reached = reach.MethodsCalledFrom(function, cancellationToken);
        if (reached.Length >= Reach.MaxMethods)
        {
            return BodyWork.Unknown;
        }

        var hasLoop = false;
        var functions = new List<IOperation>(reached.Length + 1) { function };
        foreach (var callee in reached)
        {
            if (callee.Depth >= Reach.MaxDepth && !reach.CallsIn(callee.Body).IsEmpty)
            {
                // The walk stopped here: what these calls do is not seen.
                return BodyWork.Unknown;
            }

            functions.Add(callee.Body);
        }

        foreach (var current in functions)
        {
            if (BrokenCode.InText(current))
            {
                return BodyWork.Unknown;
            }

            foreach (var operation in OperationWalk.OperationsOf(current))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var work = ClassifyOperation(operation, reach, types, cancellationToken);
                if (work == BodyWork.FiniteCpuBound)
                {
                    hasLoop = true;
                }
                else if (work is { } verdict)
                {
                    return verdict;
                }
            }
        }

        return hasLoop || HasRecursion(reached, reach) ? BodyWork.FiniteCpuBound : BodyWork.NoLoop;
    }

    /// <summary>A call that blocks or waits: RULES.md's list, by name and by the namespace of the type that declares it.</summary>
    public static bool IsBlockingCall(IMethodSymbol method, ThreadingTypes types)
    {
        var name = method.Name;
        var type = method.ContainingType;
        if (name.Contains("Wait"))
        {
            // Thread.SpinWait spins on the CPU without giving up the thread.
            return !(name == "SpinWait" && types.IsThread(type));
        }

        switch (name)
        {
            case "Sleep" or "ReadLine":
                return true;
            case "SpinUntil" when type?.Name == "SpinWait":
                // Spins, then yields and sleeps until another thread makes the condition true: a wait.
                return true;
            case "Join":
                // string.Join, Path.Join and LINQ's Join combine values; Thread.Join and any unknown Join wait.
                return type?.SpecialType != SpecialType.System_String && type?.Name is not ("Enumerable" or "Queryable");
            case "GetResult" when type?.Name.EndsWith("Awaiter", System.StringComparison.Ordinal) == true:
                return true;
        }

        if (IsType(type?.OriginalDefinition, types.BlockingCollection) && (name.Contains("Take") || name == "GetConsumingEnumerable"))
        {
            return true;
        }

        return IsIoType(type, types);
    }

    /// <summary>Console, and every type of System.IO and System.Net (streams, readers, files, sockets, HTTP), or derived from one.</summary>
    public static bool IsIoType(ITypeSymbol? type, ThreadingTypes types)
    {
        if (type is null)
        {
            return false;
        }

        if (IsType(type, types.Console))
        {
            return true;
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            if (IsInIoNamespace(current.ContainingNamespace))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The verdict that one operation forces, <see cref="BodyWork.FiniteCpuBound"/> for a finite loop, null when it says
    /// nothing. Without <paramref name="reach"/>, a loop on flags that only the methods it calls could write says nothing.
    /// </summary>
    private static BodyWork? ClassifyOperation(IOperation operation, Reach? reach, ThreadingTypes types, CancellationToken cancellationToken)
    {
        switch (operation)
        {
            case IInvalidOperation:
                return BodyWork.Unknown;
            case IAwaitOperation:
            case IForEachLoopOperation { IsAsynchronous: true }:
            case IUsingOperation { IsAsynchronous: true }:
            case IUsingDeclarationOperation { IsAsynchronous: true }:
                return BodyWork.BlocksOrWaits;
            case IInvocationOperation invocation:
                if (IsDedicatedThreadSetting(invocation.TargetMethod.Name, invocation.TargetMethod.ContainingType, types))
                {
                    return BodyWork.ConfiguresItsThread;
                }

                return IsBlockingCall(invocation.TargetMethod, types) ? BodyWork.BlocksOrWaits : null;
            case IObjectCreationOperation creation:
                return IsIoType(creation.Type, types) ? BodyWork.BlocksOrWaits : null;
            case IPropertyReferenceOperation property:
                if (property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property
                    && IsDedicatedThreadSetting(property.Property.Name, property.Property.ContainingType, types))
                {
                    return BodyWork.ConfiguresItsThread;
                }

                return IsTaskResult(property.Property, types) || IsIoType(property.Property.ContainingType, types) ? BodyWork.BlocksOrWaits : null;
            case ILoopOperation loop:
                return IsEndlessWorkerLoop(loop, reach, types, cancellationToken) switch
                {
                    true => BodyWork.EndlessWorkerLoop,
                    false => BodyWork.FiniteCpuBound,
                    null => null,
                };
            default:
                return null;
        }
    }

    /// <summary>Priority, ApartmentState, SetApartmentState and TrySetApartmentState of a Thread: what the pool cannot give.</summary>
    internal static bool IsDedicatedThreadSetting(string memberName, ITypeSymbol? containingType, ThreadingTypes types) =>
        memberName is "Priority" or "ApartmentState" or "SetApartmentState" or "TrySetApartmentState" && types.IsThread(containingType);

    private static bool IsTaskResult(IPropertySymbol property, ThreadingTypes types) =>
        property.Name == "Result" && property.ContainingType.Name is "Task" or "ValueTask"
        && types.Task is not null && SymbolEqualityComparer.Default.Equals(property.ContainingType.ContainingNamespace, types.Task.ContainingNamespace);

    /// <summary>
    /// <c>while (true)</c>, <c>for (;;)</c>, a loop over <c>GetConsumingEnumerable()</c>, or a loop whose condition reads only
    /// fields, flags or cancellation tokens that neither the loop nor the methods it calls write. Null when that needs the
    /// methods the loop calls and <paramref name="reach"/> is not given.
    /// </summary>
    private static bool? IsEndlessWorkerLoop(ILoopOperation loop, Reach? reach, ThreadingTypes types, CancellationToken cancellationToken)
    {
        IOperation? condition;
        switch (loop)
        {
            case IWhileLoopOperation whileLoop:
                condition = whileLoop.Condition;
                break;
            case IForLoopOperation forLoop:
                condition = forLoop.Condition;
                if (condition is null)
                {
                    return true;
                }

                break;
            case IForEachLoopOperation forEach:
                return OperationTree.Unwrap(forEach.Collection) is IInvocationOperation { TargetMethod.Name: "GetConsumingEnumerable" };
            default:
                return false;
        }

        if (condition is null)
        {
            return false;
        }

        if (condition.ConstantValue is { HasValue: true, Value: true })
        {
            return true;
        }

        var flags = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (!ReadsOnlyFlags(condition, flags, types) || flags.Count == 0)
        {
            return false;
        }

        return reach is null ? null : !WritesAny(loop, flags, reach, cancellationToken);
    }

    /// <summary>The condition's values are fields, bool locals or parameters, and cancellation tokens (and what those hold).</summary>
    private static bool ReadsOnlyFlags(IOperation condition, HashSet<ISymbol> flags, ThreadingTypes types)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IFieldReferenceOperation field:
                    flags.Add(field.Field.OriginalDefinition);
                    break;
                case ILocalReferenceOperation local when IsFlagType(local.Local.Type, types):
                    flags.Add(local.Local);
                    break;
                case IParameterReferenceOperation parameter when IsFlagType(parameter.Parameter.Type, types):
                    flags.Add(parameter.Parameter);
                    break;
                case IPropertyReferenceOperation { Instance: not null }:
                case IInvocationOperation { TargetMethod.Name: "Read", TargetMethod.ContainingType: var type } when IsType(type, types.Volatile):
                case IArgumentOperation:
                case IUnaryOperation:
                case IBinaryOperation:
                case IIsPatternOperation:
                case IPatternOperation:
                case IConversionOperation:
                case IParenthesizedOperation:
                case ILiteralOperation:
                case IInstanceReferenceOperation:
                case IConditionalAccessOperation:
                case IConditionalAccessInstanceOperation:
                    break;
                default:
                    if (operation.ConstantValue.HasValue)
                    {
                        break;
                    }

                    return false;
            }
        }

        return true;
    }

    private static bool IsFlagType(ITypeSymbol type, ThreadingTypes types) =>
        type.SpecialType == SpecialType.System_Boolean || IsType(type, types.CancellationToken);

    /// <summary>Whether the loop, or a method of this compilation that it calls, writes one of <paramref name="symbols"/>.</summary>
    private static bool WritesAny(ILoopOperation loop, HashSet<ISymbol> symbols, Reach reach, CancellationToken cancellationToken)
    {
        var scopes = new List<IOperation> { loop };
        foreach (var method in reach.MethodsCalledFrom(loop, cancellationToken))
        {
            scopes.Add(method.Body);
        }

        foreach (var scope in scopes)
        {
            foreach (var operation in scope.Descendants())
            {
                var target = operation switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                    _ => null,
                };
                if (target is not null && ReferencedSymbol(target) is { } written && symbols.Contains(written))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static ISymbol? ReferencedSymbol(IOperation target) => OperationTree.Unwrap(target) switch
    {
        IFieldReferenceOperation field => field.Field.OriginalDefinition,
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    /// <summary>A method reached from the body that reaches itself again.</summary>
    private static bool HasRecursion(ImmutableArray<ReachedMethod> reached, Reach reach)
    {
        var index = new Dictionary<IMethodSymbol, ReachedMethod>(SymbolEqualityComparer.Default);
        foreach (var method in reached)
        {
            index[method.Method] = method;
        }

        // Iterative depth-first search over the reached methods: 1 = on the current path, 2 = done.
        var state = new Dictionary<IMethodSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var start in reached)
        {
            if (state.ContainsKey(start.Method))
            {
                continue;
            }

            var stack = new Stack<(IMethodSymbol Method, IEnumerator<CallSite> Calls)>();
            state[start.Method] = 1;
            stack.Push((start.Method, ((IEnumerable<CallSite>)reach.CallsIn(start.Body)).GetEnumerator()));
            while (stack.Count > 0)
            {
                var (method, calls) = stack.Peek();
                if (!calls.MoveNext())
                {
                    state[method] = 2;
                    stack.Pop();
                    continue;
                }

                var target = calls.Current.Target;
                if (!index.TryGetValue(target, out var callee))
                {
                    continue;
                }

                if (!state.TryGetValue(target, out var seen))
                {
                    state[target] = 1;
                    stack.Push((target, ((IEnumerable<CallSite>)reach.CallsIn(callee.Body)).GetEnumerator()));
                }
                else if (seen == 1)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsInIoNamespace(INamespaceSymbol? ns)
    {
        // System.IO, System.Net and their sub-namespaces: the two outermost names are System and IO or Net.
        INamespaceSymbol? second = null;
        while (ns is { IsGlobalNamespace: false } && ns.ContainingNamespace is { IsGlobalNamespace: false })
        {
            second = ns;
            ns = ns.ContainingNamespace;
        }

        return ns is { Name: "System" } && second?.Name is "IO" or "Net";
    }

    private static bool IsType(ITypeSymbol? type, INamedTypeSymbol? expected) =>
        type is not null && expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);
}
