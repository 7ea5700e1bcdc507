using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR015: double-checked lazy initialization (a check of a field without the lock, the same check under it) that
/// other threads can see before it is complete: (a) the new object is stored in the field and then configured, or
/// (b) a non-volatile value-type flag is set after the work it guards. The classic form, which stores a finished new
/// object, is safe under the runtime's memory model (a reference store is a release for the object's construction).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR015LazyInitPublishedEarlyAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Which fix applies: <see cref="BuildInLocal"/> or <see cref="MakeVolatile"/>.</summary>
    internal const string FixProperty = "THR015.Fix";

    internal const string BuildInLocal = "Local";
    internal const string MakeVolatile = "Volatile";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR015);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeLock, OperationKind.Lock);
    }

    private static void AnalyzeLock(OperationAnalysisContext context)
    {
        var lockOperation = (ILockOperation)context.Operation;
        if (OuterCheck(lockOperation) is not { } outerField
            || InnerCheck(lockOperation.Body, outerField) is not { } inner
            || BrokenCode.In(OperationTree.Root(lockOperation)))
        {
            return;
        }

        var statements = inner.WhenTrue is IBlockOperation block ? block.Operations : ImmutableArray.Create(inner.WhenTrue);
        if (outerField.Type.IsReferenceType)
        {
            ReportEarlyPublication(context, outerField, statements);
        }
        else if (!outerField.IsVolatile)
        {
            ReportPlainFlag(context, outerField, statements);
        }
    }

    /// <summary>(a) <c>_x = new X(); _x.Init();</c> or <c>_x = x; x.Init();</c>: the field holds the object before the lock ends and before it is done.</summary>
    private static void ReportEarlyPublication(OperationAnalysisContext context, IFieldSymbol field, ImmutableArray<IOperation> statements)
    {
        for (var index = 0; index < statements.Length; index++)
        {
            if (statements[index] is not IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment }
                || !SymbolEqualityComparer.Default.Equals(target.Field, field))
            {
                continue;
            }

            var value = OperationTree.Unwrap(assignment.Value);
            ISymbol? built = value switch
            {
                IObjectCreationOperation => field,
                ILocalReferenceOperation local => local.Local,
                _ => null,
            };
            if (built is null)
            {
                return;
            }

            for (var later = index + 1; later < statements.Length; later++)
            {
                if (Configures(statements[later], built))
                {
                    var kind = value is IObjectCreationOperation ? "the object is stored in it and then configured" : "the object is stored in it before it is configured";
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.THR015, assignment.Syntax.GetLocation(), new[] { statements[later].Syntax.GetLocation() },
                        ImmutableDictionary<string, string?>.Empty.Add(FixProperty, BuildInLocal),
                        field.Name, kind, "build the object in a local and assign the field last"));
                    return;
                }
            }

            return;
        }
    }

    /// <summary>(b) <c>Load(); _initialized = true;</c> on a non-volatile value-type flag: a plain store is no release.</summary>
    private static void ReportPlainFlag(OperationAnalysisContext context, IFieldSymbol field, ImmutableArray<IOperation> statements)
    {
        if (statements.Length < 2
            || statements[statements.Length - 1] is not IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment }
            || !SymbolEqualityComparer.Default.Equals(target.Field, field))
        {
            return;
        }

        var properties = field.DeclaringSyntaxReferences.Length == 1 && CanBeVolatile(field.Type)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, MakeVolatile)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.THR015, assignment.Syntax.GetLocation(), properties,
            field.Name, "it is set after the work it guards, with a plain write that other threads can see before that work's writes",
            "make it volatile, or write it with Volatile.Write and read it with Volatile.Read"));
    }

    /// <summary>A statement that calls, sets or passes on a member of the object (through the field or the local that holds it).</summary>
    private static bool Configures(IOperation statement, ISymbol built)
    {
        foreach (var (operation, _) in OperationWalk.DescendantsOf(statement).WithKinds())
        {
            var instance = operation switch
            {
                IInvocationOperation invocation => invocation.Instance,
                IMemberReferenceOperation member when ValueWrites.IsWritten(member) => member.Instance,
                _ => null,
            };
            if (instance is not null && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(OperationTree.Unwrap(instance)), built))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The field that an <c>if</c> around the lock tests without it: the lock is in the <c>if</c>'s true branch.</summary>
    private static IFieldSymbol? OuterCheck(ILockOperation lockOperation)
    {
        var parent = lockOperation.Parent;
        if (parent is IBlockOperation { Operations.Length: 1 })
        {
            parent = parent.Parent;
        }

        return parent is IConditionalOperation { WhenFalse: null } outer && outer.WhenTrue != null && CheckedField(outer.Condition) is { } field ? field : null;
    }

    /// <summary>The <c>if</c> under the lock that tests the same field again.</summary>
    private static IConditionalOperation? InnerCheck(IOperation body, IFieldSymbol field)
    {
        var statements = body is IBlockOperation block ? block.Operations : ImmutableArray.Create(body);
        foreach (var statement in statements)
        {
            if (statement is IConditionalOperation { WhenFalse: null } inner
                && SymbolEqualityComparer.Default.Equals(CheckedField(inner.Condition), field))
            {
                return inner;
            }
        }

        return null;
    }

    /// <summary>
    /// The own or static field that a lazy-initialization check tests: <c>_x == null</c>, <c>_x is null</c>,
    /// <c>!_done</c>, <c>_done == false</c>.
    /// </summary>
    private static IFieldSymbol? CheckedField(IOperation condition)
    {
        var tested = OperationTree.Unwrap(condition) switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals when OperationTree.Unwrap(equals.RightOperand) is ILiteralOperation => equals.LeftOperand,
            IIsPatternOperation { Pattern: IConstantPatternOperation } pattern => pattern.Value,
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not => not.Operand,
            _ => null,
        };
        return OperationTree.ReferencedSymbol(OperationTree.Unwrap(tested)) as IFieldSymbol;
    }

    /// <summary>The types C# lets a field be volatile of, for the fix.</summary>
    private static bool CanBeVolatile(ITypeSymbol type) =>
        type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16
            or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Char
            or SpecialType.System_Single or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
        || type is INamedTypeSymbol { TypeKind: TypeKind.Enum, EnumUnderlyingType.SpecialType: not (SpecialType.System_Int64 or SpecialType.System_UInt64) };
}
