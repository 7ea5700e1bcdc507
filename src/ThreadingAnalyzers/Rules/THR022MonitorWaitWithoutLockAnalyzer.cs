using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR022: <c>Monitor.Wait</c>, <c>Pulse</c> or <c>PulseAll</c> on an object whose lock is not held there: not inside
/// <c>lock</c> or a Monitor section on the same object, not in a Synchronized method that holds it, not in a private
/// method whose every caller holds it. The call throws <c>SynchronizationLockException</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR022MonitorWaitWithoutLockAnalyzer : DiagnosticAnalyzer
{
    private static readonly SourceWords WaitWords = new("Wait", "Pulse", "PulseAll");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR022);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation);
            start.RegisterOperationActionWhereMentioned(WaitWords, c => AnalyzeInvocation(c, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var call = (IInvocationOperation)context.Operation;
        var method = call.TargetMethod;
        if (method.Name is not ("Wait" or "Pulse" or "PulseAll")
            || method.ContainingType?.Name != "Monitor"
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Monitor)
            || call.Arguments.Length == 0
            || LockIdentity.Of(call.Arguments[0].Value) is not { Kind: not LockIdentityKind.Unknown } identity
            || BrokenCode.InText(call))
        {
            return;
        }

        // A lambda runs where its delegate is invoked, which may be inside the lock: that cannot be seen from here.
        var function = LockModel.FunctionOf(call);
        if (function.Kind == OperationKind.AnonymousFunction || BrokenCode.In(function))
        {
            return;
        }

        // Most calls sit in their function's own lock on the object: that answer needs no model of the type's callers.
        if (AnyMayBe(LockModel.HeldInFunction(call, function), identity))
        {
            return;
        }

        var member = function is ILocalFunctionOperation local ? local.Symbol : context.ContainingSymbol as IMethodSymbol;
        var model = LockModel.For(context.Compilation);
        if (member is null
            || IsCalledOnlyWhereItCannotBeSeen(member, model)
            || AnyMayBe(model.HeldAt(call, context.ContainingSymbol as IMethodSymbol), identity))
        {
            return;
        }

        if (CallsAnAcquiringHelperBefore(call, function, Reach.For(context.Compilation)))
        {
            return;
        }

        var argument = call.Arguments[0].Syntax is ArgumentSyntax syntax ? syntax.Expression : call.Arguments[0].Syntax;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR022, call.Syntax.GetLocation(), method.Name, argument.ToString()));
    }

    /// <summary>A lock named by nothing, or by another local, may be the same object under another name.</summary>
    private static bool AnyMayBe(ImmutableArray<HeldLock> held, LockIdentity identity)
    {
        foreach (var lockHeld in held)
        {
            if (lockHeld.Identity.Equals(identity) || lockHeld.Identity.Kind is LockIdentityKind.Unknown or LockIdentityKind.Local)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A call, earlier in the function, to a method of the compilation that enters a monitor and leaves it held
    /// (<c>TakeLock(ref lockTaken)</c>): the lock is held past that call, under a name the rule cannot compare.
    /// </summary>
    private static bool CallsAnAcquiringHelperBefore(IInvocationOperation call, IOperation function, Reach reach)
    {
        var position = call.Syntax.SpanStart;
        foreach (var site in reach.CallsIn(function))
        {
            if (site.Operation.Syntax.SpanStart >= position || reach.BodyOf(site.Target, function) is not { } body)
            {
                continue;
            }

            var sections = LockSections.Of(body);
            foreach (var acquire in sections.HeldAt(int.MaxValue))
            {
                if (acquire.IsMonitor)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A private method that nothing calls (dead code), or a protected or internal one that its own type never calls:
    /// its callers, if any, are where the rule cannot see whether they hold the lock.
    /// </summary>
    private static bool IsCalledOnlyWhereItCannotBeSeen(IMethodSymbol member, LockModel model)
    {
        if (!TypeLocks.InheritsCallersLocks(member) || member.ContainingType is not { } type)
        {
            return false;
        }

        var locks = model.ForType(type);
        return !locks.Escapes(member) && locks.CallersOf(member).Count == 0;
    }
}
