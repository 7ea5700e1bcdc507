using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR005: <c>new Thread(...)</c> is held in a local that is never started in its method and never leaves it
/// (returned, passed, stored, aliased or captured): the work it was made for never runs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR005UnstartedThreadAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR005);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type?.Name != "Thread"
            || ParentThroughConversions(creation) is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            || !types.IsThread(creation.Type)
            || !types.IsThread(declarator.Symbol.Type))
        {
            return;
        }

        var root = (IOperation)declarator;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        // Half-typed code (t.Sta, t.) is silent until it compiles: it is usually the Start being written.
        if (root.Syntax.ContainsDiagnostics)
        {
            return;
        }

        var owner = RunWindow.EnclosingFunction(declarator);
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol))
            {
                continue;
            }

            // A reference from a lambda or local function captures the thread: whoever runs it may start it. A use that
            // does not bind (t.Star()) may be the Start being typed.
            if (RunWindow.EnclosingFunction(reference) != owner || reference.Parent is IInvalidOperation)
            {
                return;
            }

            switch (ThreadUsage.Classify(reference, types).Kind)
            {
                case ThreadUseKind.Start:
                case ThreadUseKind.Escapes:
                case ThreadUseKind.Assigned:
                    return;
            }
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR005, creation.Syntax.GetLocation(), declarator.Symbol.Name));
    }

    /// <summary>The parent above implicit conversions to the same type (a target-typed <c>new(...)</c> has one).</summary>
    private static IOperation? ParentThroughConversions(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true } conversion && SymbolEqualityComparer.Default.Equals(conversion.Type, operation.Type))
        {
            parent = parent.Parent;
        }

        return parent;
    }
}
