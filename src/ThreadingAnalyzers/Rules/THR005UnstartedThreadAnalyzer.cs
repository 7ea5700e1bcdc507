using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR005: <c>new Thread(...)</c> is held in a local that is never started in its method and never leaves it
/// (returned, passed, stored, aliased or captured), is discarded as a statement, or is held in a private field that no
/// member of the type starts and that never leaves the type: the work it was made for never runs.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR005UnstartedThreadAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The message argument for a discarded <c>new Thread(...);</c>, which has no name.</summary>
    internal const string DiscardedThreadName = "new Thread(...)";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR005);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // Per type, not per block or per creation: a type start is called a tenth as often as either. Both
                    // shapes it reports name Thread (a creation as a statement, a local declared as a Thread).
                    if (!TypeNameText.Thread.MayName(symbolStart.Symbol, symbolStart.Compilation))
                    {
                        return;
                    }

                    symbolStart.RegisterOperationAction(c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);

                    // Only types that declare a private Thread field need the per-type facts (see THR001).
                    if (ThreadUsage.PrivateThreadFields((INamedTypeSymbol)symbolStart.Symbol, types).Any())
                    {
                        AnalyzeFieldsOfType(symbolStart, types);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type?.Name != "Thread")
        {
            return;
        }

        // new Thread(...); as a statement: nothing holds the thread, so nothing can ever start it.
        if (ParentThroughConversions(creation) is IExpressionStatementOperation
            && types.IsThread(creation.Type)
            && !BrokenCode.InText(OperationTree.Root(creation)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR005, creation.Syntax.GetLocation(), DiscardedThreadName));
            return;
        }

        if (ParentThroughConversions(creation) is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }
            || !types.IsThread(creation.Type)
            || !types.IsThread(declarator.Symbol.Type))
        {
            return;
        }

        var root = OperationTree.Root(declarator);

        // Half-typed code (t.Sta, t.) is silent until it compiles: it is usually the Start being written.
        if (BrokenCode.InText(root))
        {
            return;
        }

        var owner = OperationTree.EnclosingNestedFunction(declarator);
        foreach (var operation in root.Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, declarator.Symbol))
            {
                continue;
            }

            // A reference from a lambda or local function captures the thread: whoever runs it may start it. A use that
            // does not bind (t.Star()) may be the Start being typed.
            if (OperationTree.EnclosingNestedFunction(reference) != owner || reference.Parent is IInvalidOperation)
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

    /// <summary>
    /// Private Thread fields are decided over the whole type (every partial part), at the type's end: a field that is
    /// assigned <c>new Thread(...)</c>, that no member starts and that never leaves the type is reported at each creation.
    /// </summary>
    private static void AnalyzeFieldsOfType(SymbolStartAnalysisContext context, ThreadingTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = new ConcurrentDictionary<IFieldSymbol, UnstartedFieldFacts>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(c =>
        {
            var reference = (IFieldReferenceOperation)c.Operation;
            var field = reference.Field;
            if (ThreadUsage.IsPrivateThreadFieldOf(field, type, types))
            {
                var facts = fields.GetOrAdd(field, _ => new UnstartedFieldFacts());
                lock (facts)
                {
                    facts.Record(reference, types);
                }
            }
        }, OperationKind.FieldReference);

        context.RegisterOperationAction(c =>
        {
            var initializer = (IFieldInitializerOperation)c.Operation;
            foreach (var field in initializer.InitializedFields)
            {
                if (field.DeclaredAccessibility == Accessibility.Private && types.IsThread(field.Type))
                {
                    var facts = fields.GetOrAdd(field, _ => new UnstartedFieldFacts());
                    lock (facts)
                    {
                        facts.RecordAssignment(OperationTree.WithoutImplicitConversions(initializer.Value), types);
                    }
                }
            }
        }, OperationKind.FieldInitializer);

        context.RegisterSymbolEndAction(c =>
        {
            // A member being typed anywhere in the type may be the Start.
            if (fields.IsEmpty || type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(c.CancellationToken).ContainsDiagnostics))
            {
                return;
            }

            foreach (var pair in fields)
            {
                if (pair.Value.IsUnstarted && !NestedTypes.Mention(type, pair.Key.Name, c.CancellationToken))
                {
                    foreach (var creation in pair.Value.Creations)
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Descriptors.THR005, creation.Syntax.GetLocation(), pair.Key.Name));
                    }
                }
            }
        });
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

    private sealed class UnstartedFieldFacts
    {
        private bool _startedOrLeaves;

        public List<IOperation> Creations { get; } = new();

        public bool IsUnstarted => Creations.Count > 0 && !_startedOrLeaves;

        public void Record(IFieldReferenceOperation reference, ThreadingTypes types)
        {
            // A use that does not bind (_t.Star()) may be the Start being typed; a lock on the thread object keeps it in the type.
            if (reference.Parent is IInvalidOperation)
            {
                _startedOrLeaves = true;
                return;
            }

            if (IsLockedOn(reference, types))
            {
                return;
            }

            var use = ThreadUsage.Classify(reference, types);
            switch (use.Kind)
            {
                case ThreadUseKind.Start:
                case ThreadUseKind.Escapes:
                    _startedOrLeaves = true;
                    break;
                case ThreadUseKind.Assigned:
                    RecordAssignment(use.AssignedValue, types);
                    break;
            }
        }

        public void RecordAssignment(IOperation? value, ThreadingTypes types)
        {
            if (ThreadUsage.IsThreadCreation(value, types))
            {
                Creations.Add(value!);
            }
            else if (value is not ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } && value is not IDefaultValueOperation)
            {
                // Some other thread (a parameter, a factory's result) may be started elsewhere.
                _startedOrLeaves = true;
            }
        }

        /// <summary><c>lock (_t)</c> or <c>Monitor.Enter(_t)</c>: the object is used as a lock, which hands it to nobody.</summary>
        private static bool IsLockedOn(IFieldReferenceOperation reference, ThreadingTypes types)
        {
            var parent = reference.Parent is IConversionOperation { IsImplicit: true } conversion ? conversion.Parent : reference.Parent;
            return parent is ILockOperation
                || parent is IArgumentOperation { Parent: IInvocationOperation call }
                    && SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.Monitor);
        }
    }
}
