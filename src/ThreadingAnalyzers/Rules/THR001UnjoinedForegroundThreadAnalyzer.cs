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

/// <summary>THR001: a foreground thread held in a local or private field is started and nobody joins it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR001UnjoinedForegroundThreadAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The message argument for <c>new Thread(...).Start()</c>, which has no name.</summary>
    internal const string InlineThreadName = "new Thread(...)";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR001);

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
                    // Every thread this rule follows is created or declared where its file names Thread: a creation
                    // (new Thread(...) inline or into a local) or a private field. Most files never do.
                    if (!TypeNameText.Thread.MayName(symbolStart.Symbol, symbolStart.Compilation))
                    {
                        return;
                    }

                    // Per type, not per block: a block start gate cost more than the callback per invocation it saved
                    // (see docs/performance.md); a type start is called a tenth as often.
                    if (ThreadUsage.StartWords.MentionedBy(symbolStart.Symbol))
                    {
                        symbolStart.RegisterOperationAction(operationContext => AnalyzeStart(operationContext, types), OperationKind.Invocation);
                    }

                    // Only types that declare a private Thread field need the per-type facts: asking for the members of
                    // every type is most of what the rule costs.
                    if (ThreadUsage.PrivateThreadFields((INamedTypeSymbol)symbolStart.Symbol, types).Any())
                    {
                        AnalyzeFieldsOfType(symbolStart, types);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>Inline <c>new Thread(...).Start()</c> and threads held in locals are decided where Start() is.</summary>
    private static void AnalyzeStart(OperationAnalysisContext context, ThreadingTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!ThreadUsage.IsStart(invocation, types) || BrokenCode.InText(OperationTree.Root(invocation)))
        {
            return;
        }

        switch (invocation.Instance)
        {
            case IObjectCreationOperation creation:
                if (ThreadUsage.BackgroundInInitializer(creation) is not (ThreadUseKind.MadeBackground or ThreadUseKind.BackgroundUnknown))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR001, invocation.NameLocation(), InlineThreadName));
                }

                break;
            case ILocalReferenceOperation local:
                if (IsLocalThreadUnjoined(local, types))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR001, invocation.NameLocation(), local.Local.Name));
                }

                break;
        }
    }

    /// <summary>Private Thread fields are decided over the whole type (every partial part), at the type's end.</summary>
    private static void AnalyzeFieldsOfType(SymbolStartAnalysisContext context, ThreadingTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = new ConcurrentDictionary<IFieldSymbol, FieldFacts>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(operationContext =>
        {
            var reference = (IFieldReferenceOperation)operationContext.Operation;
            var field = reference.Field;
            if (!ThreadUsage.IsPrivateThreadFieldOf(field, type, types))
            {
                return;
            }

            var use = ThreadUsage.Classify(reference, types);
            if (use.Kind == ThreadUseKind.Start && BrokenCode.InText(OperationTree.Root(reference)))
            {
                use = new ThreadUse(ThreadUseKind.Harmless);
            }

            var facts = fields.GetOrAdd(field, _ => new FieldFacts());
            lock (facts)
            {
                facts.Record(use, reference, types);
            }
        }, OperationKind.FieldReference);

        context.RegisterOperationAction(operationContext =>
        {
            var initializer = (IFieldInitializerOperation)operationContext.Operation;
            foreach (var field in initializer.InitializedFields)
            {
                if (field.DeclaredAccessibility == Accessibility.Private && types.IsThread(field.Type))
                {
                    var facts = fields.GetOrAdd(field, _ => new FieldFacts());
                    lock (facts)
                    {
                        facts.RecordAssignment(OperationTree.WithoutImplicitConversions(initializer.Value), types);
                    }
                }
            }
        }, OperationKind.FieldInitializer);

        context.RegisterSymbolEndAction(endContext =>
        {
            foreach (var pair in fields)
            {
                var facts = pair.Value;
                if (facts.IsUnjoinedForeground && !NestedTypes.Mention(type, pair.Key.Name, endContext.CancellationToken))
                {
                    foreach (var start in facts.Starts)
                    {
                        endContext.ReportDiagnostic(Diagnostic.Create(Descriptors.THR001, StartLocation(start), pair.Key.Name));
                    }
                }
            }
        });
    }

    /// <summary>
    /// The local's value at the Start() call is the one of the last assignment before it in the source: that
    /// thread must be created here, never made background, never escape, and never be joined.
    /// </summary>
    private static bool IsLocalThreadUnjoined(ILocalReferenceOperation startReceiver, ThreadingTypes types)
    {
        var local = startReceiver.Local;
        var root = OperationTree.Root(startReceiver);
        var declarator = root.Descendants().OfType<IVariableDeclaratorOperation>()
            .FirstOrDefault(d => SymbolEqualityComparer.Default.Equals(d.Symbol, local));
        if (declarator is null)
        {
            return false;
        }

        var declaringFunction = OperationTree.EnclosingNestedFunction(declarator);
        var startPosition = startReceiver.Syntax.SpanStart;

        // Every assignment of the local, in source order; the declarator's initializer is the first one.
        var uses = new List<(int Position, IOperation Reference, ThreadUse Use)>();
        if (declarator.GetVariableInitializer() is { } initializer)
        {
            uses.Add((declarator.Syntax.SpanStart, declarator, new ThreadUse(ThreadUseKind.Assigned, OperationTree.WithoutImplicitConversions(initializer.Value))));
        }

        foreach (var reference in root.Descendants().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var use = ThreadUsage.Classify(reference, types);
            switch (CaptureOf(reference, declaringFunction))
            {
                case Capture.Ignored:
                    continue;
                case Capture.Escapes:
                    use = new ThreadUse(ThreadUseKind.Escapes);
                    break;
            }

            var position = use.Kind == ThreadUseKind.Assigned ? reference.Parent!.Syntax.SpanStart : reference.Syntax.SpanStart;
            uses.Add((position, reference, use));
        }

        uses.Sort((a, b) => a.Position.CompareTo(b.Position));

        var generationStart = -1;
        for (var i = 0; i < uses.Count; i++)
        {
            if (uses[i].Use.Kind == ThreadUseKind.Assigned && uses[i].Position <= startPosition)
            {
                generationStart = i;
            }
        }

        if (generationStart < 0)
        {
            return false;
        }

        var created = uses[generationStart].Use.AssignedValue as IObjectCreationOperation;
        if (created is null || !types.IsThread(created.Type)
            || ThreadUsage.BackgroundInInitializer(created) is ThreadUseKind.MadeBackground or ThreadUseKind.BackgroundUnknown)
        {
            return false;
        }

        for (var i = generationStart + 1; i < uses.Count && uses[i].Use.Kind != ThreadUseKind.Assigned; i++)
        {
            if (uses[i].Use.Kind is ThreadUseKind.Join or ThreadUseKind.MadeBackground or ThreadUseKind.BackgroundUnknown or ThreadUseKind.Escapes)
            {
                return false;
            }
        }

        return true;
    }

    private enum Capture
    {
        /// <summary>Not captured, or captured by a lambda or local function that the method itself invokes.</summary>
        RunsHere,
        /// <summary>Captured by a delegate that runs elsewhere or later.</summary>
        Escapes,
        /// <summary>
        /// Never runs while the thread may need joining: an AppDomain.ProcessExit handler runs after every
        /// foreground thread has ended, and a local function that nothing calls or references never runs.
        /// </summary>
        Ignored,
    }

    private static Capture CaptureOf(IOperation reference, IOperation? declaringFunction)
    {
        var result = Capture.RunsHere;
        for (var function = OperationTree.EnclosingNestedFunction(reference); function is not null && function != declaringFunction; function = OperationTree.EnclosingNestedFunction(function))
        {
            if (IsProcessExitHandler(function) || IsUnusedLocalFunction(function))
            {
                return Capture.Ignored;
            }

            if (!IsInvokedInPlace(function))
            {
                result = Capture.Escapes;
            }
        }

        return result;
    }

    private static bool IsUnusedLocalFunction(IOperation function) =>
        function is ILocalFunctionOperation localFunction
        && !OperationTree.Root(function).Descendants().Any(operation => operation switch
        {
            IInvocationOperation call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, localFunction.Symbol),
            IMethodReferenceOperation reference => SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, localFunction.Symbol),
            _ => false,
        });

    private static bool IsProcessExitHandler(IOperation function) =>
        function.Parent is IDelegateCreationOperation { Parent: IEventAssignmentOperation { Adds: true } assignment }
        && assignment.EventReference is IEventReferenceOperation { Event.Name: "ProcessExit", Event.ContainingType.Name: "AppDomain" };

    /// <summary>A local function called in the method, or a lambda stored in a local delegate that the method invokes.</summary>
    private static bool IsInvokedInPlace(IOperation function)
    {
        var root = OperationTree.Root(function);
        switch (function)
        {
            case ILocalFunctionOperation localFunction:
                return root.Descendants().OfType<IInvocationOperation>()
                    .Any(call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, localFunction.Symbol));
            case IAnonymousFunctionOperation
            {
                Parent: IDelegateCreationOperation { Parent: IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } },
            }:
                return root.Descendants().OfType<IInvocationOperation>()
                    .Any(call => call.TargetMethod.Name == "Invoke"
                        && call.Instance is ILocalReferenceOperation delegateLocal
                        && SymbolEqualityComparer.Default.Equals(delegateLocal.Local, declarator.Symbol));
            default:
                return false;
        }
    }

    /// <summary>The Start name of a field's start, written <c>_t.Start()</c> or <c>_t?.Start()</c>.</summary>
    private static Location StartLocation(IOperation start) => start switch
    {
        IInvocationOperation call => call.NameLocation(),
        IConditionalAccessOperation { WhenNotNull: IInvocationOperation call } => call.NameLocation(),
        _ => start.Syntax.GetLocation(),
    };

    private sealed class FieldFacts
    {
        private bool _created;
        private bool _assignedSomethingElse;
        private bool _joinedOrBackgroundOrEscapes;

        public List<IOperation> Starts { get; } = new();

        public bool IsUnjoinedForeground => Starts.Count > 0 && _created && !_assignedSomethingElse && !_joinedOrBackgroundOrEscapes;

        public void Record(ThreadUse use, IFieldReferenceOperation reference, ThreadingTypes types)
        {
            switch (use.Kind)
            {
                case ThreadUseKind.Start:
                    Starts.Add(reference.Parent!);
                    break;
                case ThreadUseKind.Assigned:
                    RecordAssignment(use.AssignedValue, types);
                    break;
                case ThreadUseKind.Join:
                case ThreadUseKind.MadeBackground:
                case ThreadUseKind.BackgroundUnknown:
                case ThreadUseKind.Escapes:
                    _joinedOrBackgroundOrEscapes = true;
                    break;
            }
        }

        public void RecordAssignment(IOperation? value, ThreadingTypes types)
        {
            if (value is IObjectCreationOperation creation && types.IsThread(creation.Type))
            {
                _created = true;
                if (ThreadUsage.BackgroundInInitializer(creation) is ThreadUseKind.MadeBackground or ThreadUseKind.BackgroundUnknown)
                {
                    _joinedOrBackgroundOrEscapes = true;
                }
            }
            else if (value is not ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } && value is not IDefaultValueOperation)
            {
                _assignedSomethingElse = true;
            }
        }
    }
}
