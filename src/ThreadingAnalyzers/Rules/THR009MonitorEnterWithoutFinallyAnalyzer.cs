using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR009: <c>Monitor.Enter(x)</c> whose matching <c>Monitor.Exit(x)</c>, in the same function, is not in the finally of
/// a try that the Enter immediately precedes or is inside of.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR009MonitorEnterWithoutFinallyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>
    /// Present when the code fix can turn <c>Monitor.Enter(x); ...; Monitor.Exit(x);</c> into a lock statement: the
    /// start position of the <c>Monitor.Exit(x);</c> statement in the same block.
    /// </summary>
    internal const string ExitStatementProperty = "THR009.ExitAt";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR009);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var enter = (IInvocationOperation)context.Operation;
        if (enter.TargetMethod.Name != "Enter"
            || !IsMonitor(enter.TargetMethod.ContainingType, types)
            || enter.Arguments.Length == 0
            || LockKey.Of(enter.Arguments[0].Value) is not { } key
            || enter.Syntax.ContainsDiagnostics
            || IsProtected(enter, key, types))
        {
            return;
        }

        // Released only where this function cannot see (an Acquire/Release pair of methods): the callers' business.
        var root = RunWindow.Root(enter);
        if (!Exits(root, key, types) || root.Descendants().Any(static o => o is IInvalidOperation))
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        if (FixableExit(enter, key, types) is { } exitStatement)
        {
            properties = properties.Add(ExitStatementProperty, exitStatement.Syntax.SpanStart.ToString(CultureInfo.InvariantCulture));
        }

        var argument = enter.Arguments[0].Syntax is ArgumentSyntax syntax ? syntax.Expression : enter.Arguments[0].Syntax;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR009, enter.Syntax.GetLocation(), properties, argument.ToString()));
    }

    private static bool IsMonitor(INamedTypeSymbol? type, ThreadingTypes types) =>
        type is { Name: "Monitor" } && types.Monitor is { } monitor && SymbolEqualityComparer.Default.Equals(type, monitor);

    private static bool IsMonitorCall(IInvocationOperation invocation, string name, LockKey key, ThreadingTypes types) =>
        invocation.TargetMethod.Name == name
        && invocation.Arguments.Length > 0
        && IsMonitor(invocation.TargetMethod.ContainingType, types)
        && key.Equals(LockKey.Of(invocation.Arguments[0].Value));

    /// <summary>
    /// The Enter statement is followed at once by a try whose finally exits the same lock, or the Enter is inside the
    /// body of such a try (the <c>Enter(x, ref lockTaken)</c> pattern, or the pre-C# 4 lock expansion).
    /// </summary>
    private static bool IsProtected(IInvocationOperation enter, LockKey key, ThreadingTypes types)
    {
        if (enter.Parent is IExpressionStatementOperation { Parent: IBlockOperation block } statement)
        {
            var index = block.Operations.IndexOf(statement);
            if (index + 1 < block.Operations.Length
                && block.Operations[index + 1] is ITryOperation { Finally: { } following }
                && Exits(following, key, types))
            {
                return true;
            }
        }

        IOperation child = enter;
        for (var current = enter.Parent; current is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; current = current.Parent)
        {
            if (current is ITryOperation { Finally: { } @finally } @try && @try.Body == child && Exits(@finally, key, types))
            {
                return true;
            }

            child = current;
        }

        return false;
    }

    private static bool Exits(IOperation region, LockKey key, ThreadingTypes types) =>
        region.Descendants().OfType<IInvocationOperation>().Any(i => IsMonitorCall(i, "Exit", key, types));

    /// <summary>
    /// The <c>Monitor.Exit(x);</c> statement that ends a <c>Monitor.Enter(x); ...; Monitor.Exit(x);</c> run of statements
    /// of one block, when the run can become <c>lock (x) { ... }</c> and still compile and mean the same.
    /// </summary>
    private static IOperation? FixableExit(IInvocationOperation enter, LockKey key, ThreadingTypes types)
    {
        if (enter.Arguments.Length != 1
            || enter.Parent is not IExpressionStatementOperation { Parent: IBlockOperation block } statement
            || statement.Syntax.Parent is not BlockSyntax
            || !CanBeLocked(enter.Arguments[0].Value, types))
        {
            return null;
        }

        var start = block.Operations.IndexOf(statement);
        for (var index = start + 1; index < block.Operations.Length; index++)
        {
            var current = block.Operations[index];
            if (current is IExpressionStatementOperation { Operation: IInvocationOperation exit }
                && exit.Arguments.Length == 1
                && IsMonitorCall(exit, "Exit", key, types))
            {
                return DeclaresLocalsUsedAfter(block, start, index) ? null : current;
            }

            // The statements move into the lock's block: what a lock cannot hold, or what must stay in this scope, stops the fix.
            if (current is ILocalFunctionOperation or ILabeledOperation or IUsingDeclarationOperation
                || TouchesLockOrSuspends(current, key, types))
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>lock takes a reference (a value would be boxed anew, CS0185); a System.Threading.Lock would switch to its own scope.</summary>
    private static bool CanBeLocked(IOperation argument, ThreadingTypes types)
    {
        var value = EntryPoints.Unwrap(argument);
        return value?.Type is { IsReferenceType: true } type
            && type.TypeKind != TypeKind.Dynamic
            && !(type.Name == "Lock" && types.Lock is { } lockType && SymbolEqualityComparer.Default.Equals(type, lockType));
    }

    /// <summary>Another Monitor call on the same lock, or an await or yield (neither allowed in a lock), outside nested functions.</summary>
    private static bool TouchesLockOrSuspends(IOperation operation, LockKey key, ThreadingTypes types)
    {
        var pending = new Stack<IOperation>();
        pending.Push(operation);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IAwaitOperation:
                case IReturnOperation { Kind: OperationKind.YieldReturn or OperationKind.YieldBreak }:
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                case IInvocationOperation invocation when invocation.Arguments.Length > 0
                    && invocation.TargetMethod.Name is "Enter" or "Exit" or "TryEnter"
                    && IsMonitor(invocation.TargetMethod.ContainingType, types)
                    && key.Equals(LockKey.Of(invocation.Arguments[0].Value)):
                    return true;
            }

            foreach (var child in current.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return false;
    }

    /// <summary>A local declared between Enter and Exit (at the block's level) and used after the Exit would leave its scope.</summary>
    private static bool DeclaresLocalsUsedAfter(IBlockOperation block, int enterIndex, int exitIndex)
    {
        if (block.Locals.IsEmpty || exitIndex + 1 >= block.Operations.Length)
        {
            return false;
        }

        var from = block.Operations[enterIndex].Syntax.Span.End;
        var to = block.Operations[exitIndex].Syntax.SpanStart;
        var moved = block.Locals
            .Where(local => local.DeclaringSyntaxReferences.Any(r => r.Span.Start >= from && r.Span.End <= to))
            .ToImmutableHashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        if (moved.IsEmpty)
        {
            return false;
        }

        for (var index = exitIndex + 1; index < block.Operations.Length; index++)
        {
            if (block.Operations[index].DescendantsAndSelf().OfType<ILocalReferenceOperation>().Any(r => moved.Contains(r.Local)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a Monitor call locks, when two calls can be seen to lock the same object: a local, a parameter, a field or property of this or static, this, or typeof(T).</summary>
    private readonly struct LockKey : System.IEquatable<LockKey>
    {
        private readonly ISymbol? _symbol;
        private readonly bool _isThis;
        private readonly bool _isTypeOf;

        private LockKey(ISymbol? symbol, bool isThis, bool isTypeOf)
        {
            _symbol = symbol;
            _isThis = isThis;
            _isTypeOf = isTypeOf;
        }

        public static LockKey? Of(IOperation? argument)
        {
            var value = EntryPoints.Unwrap(argument);
            return value switch
            {
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => new LockKey(null, isThis: true, isTypeOf: false),
                ITypeOfOperation typeOf => new LockKey(typeOf.TypeOperand, isThis: false, isTypeOf: true),
                _ => EntryPoints.ReferencedSymbol(value) is { } symbol ? new LockKey(symbol, isThis: false, isTypeOf: false) : null,
            };
        }

        public bool Equals(LockKey other) =>
            _isThis == other._isThis && _isTypeOf == other._isTypeOf && SymbolEqualityComparer.Default.Equals(_symbol, other._symbol);

        public bool Equals(LockKey? other) => other is { } key && Equals(key);

        public override bool Equals(object? obj) => obj is LockKey other && Equals(other);

        public override int GetHashCode() => SymbolEqualityComparer.Default.GetHashCode(_symbol);
    }
}
