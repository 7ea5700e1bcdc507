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
/// THR012: <c>new Thread(M)</c> with a ParameterizedThreadStart body that casts its <c>object</c> argument, started with
/// <c>Start(arg)</c> in the same method: the compiler cannot check the argument, a wrong one fails on the new thread.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR012ParameterizedThreadStartCastAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Types as the code names them, without the <c>?</c> that a nullable context adds to a cast of <c>object?</c>.</summary>
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.MinimallyQualifiedFormat
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR012);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationActionWhere(TypeNameText.Thread.MayCreate, c => AnalyzeCreation(c, types), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, ThreadingTypes types)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Type?.Name != "Thread"
            || creation.Arguments.Length == 0
            || creation.Constructor is not { Parameters.Length: > 0 } constructor
            || !types.IsThread(creation.Type)
            || !SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type, types.ParameterizedThreadStart)
            || OperationTree.WithoutImplicitConversions(creation.Arguments[0].Value) is not IDelegateCreationOperation { Target: var target })
        {
            return;
        }

        var (body, parameter, description) = target switch
        {
            IMethodReferenceOperation { Method: { Parameters.Length: 1 } method } =>
                (Reach.For(context.Compilation).BodyOf(method.OriginalDefinition, creation), method.OriginalDefinition.Parameters[0], $"'{method.Name}'"),
            // A static lambda is written not to capture (no closure per thread): the argument is passed on purpose.
            IAnonymousFunctionOperation { Symbol: { Parameters.Length: 1, IsStatic: false } } lambda => (lambda, lambda.Symbol.Parameters[0], "(a lambda)"),
            _ => (null, null, ""),
        };
        if (body is null || parameter is null)
        {
            return;
        }

        var starts = StartsWithArgument(creation, types, out var startedWithoutArgument);
        if (starts.Count == 0
            || startedWithoutArgument
            || BrokenCode.InText(OperationTree.Root(creation)) // half-typed code anywhere in the method: wait until it compiles
            || BrokenCode.In(body)
            || CastTypes(body, parameter) is not { Count: > 0 } castTypes)
        {
            return;
        }

        var typeNames = string.Join(" or ", castTypes.Select(static t => "'" + t.ToDisplayString(TypeFormat) + "'"));
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.THR012, creation.Syntax.GetLocation(), starts.Select(static s => s.Syntax.GetLocation()), description, typeNames));
    }

    /// <summary>
    /// The <c>Start(arg)</c> calls on the new thread in the creation's own function: chained (<c>new Thread(M).Start(arg)</c>),
    /// or through the local or field of this type that the creation is stored in. <paramref name="startedWithoutArgument"/>
    /// tells whether a <c>Start()</c> is there too (the body then gets null, which a cast may be written for).
    /// </summary>
    private static List<IInvocationOperation> StartsWithArgument(IObjectCreationOperation creation, ThreadingTypes types, out bool startedWithoutArgument)
    {
        startedWithoutArgument = false;
        var starts = new List<IInvocationOperation>();
        var parent = creation.Parent;
        while (parent is IConversionOperation { IsImplicit: true })
        {
            parent = parent.Parent;
        }

        if (parent is IInvocationOperation chained)
        {
            if (chained.Instance == creation)
            {
                Add(chained, types, starts, ref startedWithoutArgument);
            }

            return starts;
        }

        ISymbol? holder = parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } => local.Local,
            ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field } => field.Field,
            _ => null,
        };
        if (holder is null)
        {
            return starts;
        }

        var function = OperationTree.EnclosingNestedFunction(creation);
        foreach (var operation in OperationWalk.DescendantsOf(function ?? OperationTree.Root(creation)))
        {
            var isHolder = operation switch
            {
                ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, holder),
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => SymbolEqualityComparer.Default.Equals(field.Field, holder),
                _ => false,
            };
            if (isHolder && operation.Parent is IInvocationOperation call && call.Instance == operation && OperationTree.EnclosingNestedFunction(call) == function)
            {
                Add(call, types, starts, ref startedWithoutArgument);
            }
        }

        return starts;
    }

    private static void Add(IInvocationOperation call, ThreadingTypes types, List<IInvocationOperation> starts, ref bool startedWithoutArgument)
    {
        if (!ThreadUsage.IsStart(call, types))
        {
            return;
        }

        if (call.Arguments.Length == 1)
        {
            starts.Add(call);
        }
        else
        {
            startedWithoutArgument = true;
        }
    }

    /// <summary>
    /// The types the body casts or matches its parameter to, in order: <c>(Job)state</c>, <c>state as Job</c>,
    /// <c>state is Job j</c>, <c>case Job j:</c>, a switch expression's arms; null when one of them does not bind.
    /// </summary>
    private static List<ITypeSymbol>? CastTypes(IOperation body, IParameterSymbol parameter)
    {
        var types = new List<ITypeSymbol>();
        foreach (var operation in OperationWalk.DescendantsOf(body))
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IConversionOperation { IsImplicit: false } cast:
                    Add(types, cast.Type);
                    break;
                case IIsTypeOperation isType:
                    Add(types, isType.TypeOperand);
                    break;
                case IIsPatternOperation isPattern:
                    Add(types, isPattern.Pattern.NarrowedType);
                    break;
                case ISwitchOperation @switch:
                    foreach (var clause in @switch.Cases.SelectMany(static c => c.Clauses).OfType<IPatternCaseClauseOperation>())
                    {
                        Add(types, clause.Pattern.NarrowedType);
                    }

                    break;
                case ISwitchExpressionOperation switchExpression:
                    foreach (var arm in switchExpression.Arms)
                    {
                        Add(types, arm.Pattern.NarrowedType);
                    }

                    break;
            }
        }

        return types.Any(static t => t.TypeKind == TypeKind.Error) ? null : types;
    }

    /// <summary>A type other than object (a cast to object, <c>is null</c> or a discard arm checks nothing).</summary>
    private static void Add(List<ITypeSymbol> types, ITypeSymbol? type)
    {
        if (type is not null
            && type.SpecialType != SpecialType.System_Object
            && !types.Contains(type, SymbolEqualityComparer.Default))
        {
            types.Add(type);
        }
    }
}
