using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR019: a <c>System.Threading.Timer</c> that will fire, whose only reference is a local or a discarded value: the
/// timer queue does not root the Timer object, so the GC collects it and its callback stops.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR019TimerNotKeptAliveAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The local that holds the timer, present when other statements use it (the fix then keeps the local).</summary>
    internal const string LocalProperty = "THR019.Local";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR019);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): the type is resolved at the first creation of a Timer.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            // Every timer this rule reports is held by a local, a discard or nothing, so its creation or its local's
            // declaration names Timer (or an alias for it) in the same file.
            start.RegisterOperationActionWhere(TypeNameText.Timer.MayName, c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type?.Name != "Timer"
            || !SymbolEqualityComparer.Default.Equals(creation.Type, types.Timer)
            || creation.Constructor is null)
        {
            return;
        }

        var parent = creation.Parent;
        while (parent is IConversionOperation { IsImplicit: true })
        {
            parent = parent.Parent;
        }

        ILocalSymbol? local;
        string what;
        switch (parent)
        {
            case IExpressionStatementOperation:
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                local = null;
                what = "discarded";
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when !IsUsing(declarator):
                local = declarator.Symbol;
                what = $"held only by the local '{local.Name}'";
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target }:
                local = target.Local;
                what = $"held only by the local '{local.Name}'";
                break;
            default:
                return;
        }

        var root = OperationTree.Root(creation);
        if (BrokenCode.InText(root)) // half-typed code anywhere in the method: wait until it compiles
        {
            return;
        }

        var willFire = !IsInfinite(DueTime(creation));
        var otherUses = false;
        if (local is not null)
        {
            var owner = OperationTree.EnclosingNestedFunction(creation);
            foreach (var operation in OperationWalk.DescendantsOf(root))
            {
                if (operation is not ILocalReferenceOperation reference
                    || !SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    || reference.Parent == parent)
                {
                    continue;
                }

                // Captured by a lambda or local function (its own callback included), disposed, passed, returned, stored,
                // aliased or assigned again: the timer is kept, or ended, or goes where we cannot follow it.
                if (OperationTree.EnclosingNestedFunction(reference) != owner || !IsChange(reference, types, out var armed))
                {
                    return;
                }

                willFire |= armed;
                otherUses = true;
            }
        }

        if (!willFire)
        {
            return;
        }

        var properties = otherUses
            ? ImmutableDictionary<string, string?>.Empty.Add(LocalProperty, local!.Name)
            : ImmutableDictionary<string, string?>.Empty;

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR019, creation.Syntax.GetLocation(), properties, what));
    }

    /// <summary><c>using var t = new Timer(...)</c> and <c>using (var t = new Timer(...))</c> dispose it at the end of the scope.</summary>
    private static bool IsUsing(IVariableDeclaratorOperation declarator) =>
        declarator.Parent is IVariableDeclarationOperation { Parent: IUsingOperation or IVariableDeclarationGroupOperation { Parent: IUsingOperation or IUsingDeclarationOperation } };

    /// <summary>
    /// Whether the reference is the receiver of <c>Change(due, period)</c>, which neither keeps nor ends the timer;
    /// <paramref name="armed"/> tells whether that call makes it fire.
    /// </summary>
    private static bool IsChange(ILocalReferenceOperation reference, ThreadingTypes types, out bool armed)
    {
        armed = false;
        if (reference.Parent is not IInvocationOperation { TargetMethod.Name: "Change" } change
            || change.Instance != reference
            || !SymbolEqualityComparer.Default.Equals(change.TargetMethod.ContainingType, types.Timer))
        {
            return false;
        }

        armed = change.Arguments.Length > 0 && !IsInfinite(change.Arguments[0].Value);
        return true;
    }

    /// <summary>The due time argument; null for <c>new Timer(callback)</c>, which waits for a Change.</summary>
    private static IOperation? DueTime(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "dueTime")
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>Timeout.Infinite</c> (-1, as int, long or uint) or <c>Timeout.InfiniteTimeSpan</c>: the timer does not fire until
    /// Change. Any other value, constant or not, lets it fire.
    /// </summary>
    private static bool IsInfinite(IOperation? dueTime)
    {
        if (dueTime is null)
        {
            return true;
        }

        var value = OperationTree.WithoutImplicitConversions(dueTime);
        if (value is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", ContainingType.Name: "Timeout" } })
        {
            return true;
        }

        return dueTime.ConstantValue is { HasValue: true, Value: { } constant }
            && constant switch
            {
                int i => i == -1,
                long l => l == -1,
                uint u => u == uint.MaxValue,
                _ => false,
            };
    }
}
