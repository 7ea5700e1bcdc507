using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR010: a <c>lock</c> statement locks <c>this</c>, a <c>Type</c>, a string, a boxed value, or a field that code
/// outside the type can reach: other code can take the same lock, or (boxing) no two threads ever share it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR010WeakIdentityLockAnalyzer : DiagnosticAnalyzer
{
    private const string ThisReason = "code outside the type can lock the same instance";
    private const string TypeReason = "a Type object is shared by all code in the process, which can lock it too";
    private const string StringReason = "strings are interned and shared, so unrelated code can lock the same string";
    private const string BoxReason = "the value is boxed into a new object on every lock, so the lock excludes nothing";
    private const string PublicFieldReason = "the field is reachable from outside the type, so other code can lock the same object";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR010);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterOperationAction(AnalyzeLock, OperationKind.Lock);
    }

    private static void AnalyzeLock(OperationAnalysisContext context)
    {
        var lockOperation = (ILockOperation)context.Operation;
        if (lockOperation.Syntax is not LockStatementSyntax { Expression: { } expression }
            || Reason(lockOperation.LockedValue) is not { } reason)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR010, expression.GetLocation(), expression.ToString(), reason));
    }

    /// <summary>Why locking <paramref name="value"/> is unsafe; null when it is fine or cannot be told.</summary>
    private static string? Reason(IOperation value)
    {
        if (IsBoxing(value))
        {
            return BoxReason;
        }

        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        if (value.Type is not { IsReferenceType: true, TypeKind: not TypeKind.Error } type)
        {
            return null;
        }

        switch (value)
        {
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                return ThisReason;
            case ITypeOfOperation:
                return TypeReason;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return StringReason;
        }

        if (IsSystemType(type))
        {
            return TypeReason;
        }

        return value is IFieldReferenceOperation { Field: { } field } && IsReachableFromOutside(field) ? PublicFieldReason : null;
    }

    /// <summary>A conversion of a value type to object or an interface: a new box each time it runs.</summary>
    internal static bool IsBoxing(IOperation value) =>
        value is IConversionOperation { Type.IsReferenceType: true, Operand.Type: { IsValueType: true, TypeKind: not TypeKind.Error } };

    private static bool IsSystemType(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Type" && current.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A public field, or a protected one of a type that can be derived from, of a public type (nested in public types).</summary>
    private static bool IsReachableFromOutside(IFieldSymbol field)
    {
        var containing = field.ContainingType;
        switch (field.DeclaredAccessibility)
        {
            case Accessibility.Public:
                break;
            case Accessibility.Protected or Accessibility.ProtectedOrInternal when !containing.IsSealed && !containing.IsStatic:
                break;
            default:
                return false;
        }

        for (var type = containing; type is not null; type = type.ContainingType)
        {
            if (type.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }
}
