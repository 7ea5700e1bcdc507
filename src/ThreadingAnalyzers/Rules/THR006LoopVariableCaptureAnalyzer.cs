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
/// THR006: a lambda started concurrently inside a loop reads a variable that the loop changes (a <c>for</c> variable, or
/// one declared before a loop and written in it) while the lambda may still run: it sees the current value, not the one
/// of its iteration.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR006LoopVariableCaptureAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR006);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): the first type that names an entry point does.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    if (EntryPointText.Mentions(symbolStart.Symbol, types.Options) && types.CanStartConcurrentCode)
                    {
                        symbolStart.RegisterOperationAction(
                            operationContext => AnalyzeEntryPoint(operationContext, types),
                            OperationKind.Invocation,
                            OperationKind.ObjectCreation);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeEntryPoint(OperationAnalysisContext context, ThreadingTypes types)
    {
        if (BrokenCode.InText(context.Operation)
            || !IsInLoop(context.Operation)
            || EntryPoints.TryGet(context.Operation, types) is not { } entry
            || RunWindow.Of(entry).RepeatingLoop is not { } repeatingLoop
            || (entry.Kind == EntryPointKind.Thread && !IsStartedIn(repeatingLoop, types)))
        {
            return;
        }

        foreach (var body in entry.Bodies)
        {
            if (body.Function is not IAnonymousFunctionOperation lambda || !entry.Operation.Syntax.Span.Contains(lambda.Syntax.Span))
            {
                continue;
            }

            foreach (var (variable, reference) in LoopVariablesReadBy(lambda, entry.Operation, repeatingLoop))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR006, reference.Syntax.GetLocation(), variable.Name, entry.DisplayName));
            }
        }
    }

    /// <summary>Whether a loop of the same function holds the operation: most entry points are in none, and their windows are not asked for.</summary>
    private static bool IsInLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current.Kind)
            {
                case OperationKind.Loop:
                    return true;
                case OperationKind.AnonymousFunction or OperationKind.LocalFunction or OperationKind.MethodBody or OperationKind.ConstructorBody:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// The variables <paramref name="lambda"/> reads (first reference each) that a loop around the entry point, inside the
    /// loop that starts it again without waiting, declares outside its body (a <c>for</c> variable, or one declared
    /// before the loop) and writes outside the lambda.
    /// </summary>
    internal static List<(ISymbol Variable, IOperation Reference)> LoopVariablesReadBy(IAnonymousFunctionOperation lambda, IOperation entry, ILoopOperation repeatingLoop)
    {
        var found = new List<(ISymbol Variable, IOperation Reference)>();
        var loops = new List<ILoopOperation>();
        for (var current = entry.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop)
            {
                loops.Add(loop);
            }

            if (current == repeatingLoop)
            {
                break;
            }
        }

        foreach (var operation in lambda.Body.Descendants())
        {
            var variable = operation switch
            {
                ILocalReferenceOperation { Local: { IsConst: false, IsRef: false } local } => (ISymbol)local,
                IParameterReferenceOperation { Parameter.RefKind: RefKind.None } parameter => parameter.Parameter,
                _ => null,
            };
            if (variable is null || Contains(found, variable) || ValueWrites.IsWritten(operation) || DeclaredWithin(variable, lambda.Syntax))
            {
                continue;
            }

            foreach (var loop in loops)
            {
                if (!DeclaredWithin(variable, loop.Body.Syntax) && (IsForVariable(loop, variable) || !DeclaredWithin(variable, loop.Syntax))
                    && IsWrittenOutside(loop, variable, lambda))
                {
                    found.Add((variable, operation));
                    break;
                }
            }
        }

        // The lambda that writes the variable itself is another bug (THR002), and copying it would change what it does.
        found.RemoveAll(pair => WritesAnywhere(lambda, pair.Variable));
        return found;
    }

    private static bool Contains(List<(ISymbol Variable, IOperation Reference)> found, ISymbol variable)
    {
        foreach (var (known, _) in found)
        {
            if (SymbolEqualityComparer.Default.Equals(known, variable))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsForVariable(ILoopOperation loop, ISymbol variable) =>
        loop is IForLoopOperation forLoop && variable is ILocalSymbol local && forLoop.Locals.Any(candidate => SymbolEqualityComparer.Default.Equals(candidate, local));

    private static bool DeclaredWithin(ISymbol variable, SyntaxNode scope)
    {
        foreach (var reference in variable.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == scope.SyntaxTree && scope.Span.Contains(reference.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the loop (its condition, increments or body) writes the variable outside the lambda and other nested functions.</summary>
    private static bool IsWrittenOutside(ILoopOperation loop, ISymbol variable, IAnonymousFunctionOperation lambda)
    {
        foreach (var operation in loop.Descendants())
        {
            if (IsReferenceTo(operation, variable) && ValueWrites.IsWritten(operation) && !(OperationTree.EnclosingNestedFunction(operation) is { } function && loop.Syntax.Span.Contains(function.Syntax.Span)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool WritesAnywhere(IAnonymousFunctionOperation lambda, ISymbol variable)
    {
        foreach (var operation in lambda.Body.Descendants())
        {
            if (IsReferenceTo(operation, variable) && ValueWrites.IsWritten(operation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsReferenceTo(IOperation operation, ISymbol variable) => operation switch
    {
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
        _ => false,
    };

    /// <summary>A thread runs only once started: <c>new Thread(...).Start()</c>, or a <c>Start()</c> on a Thread inside the loop.</summary>
    private static bool IsStartedIn(ILoopOperation loop, ThreadingTypes types)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IInvocationOperation start && ThreadUsage.IsStart(start, types))
            {
                return true;
            }
        }

        return false;
    }
}
