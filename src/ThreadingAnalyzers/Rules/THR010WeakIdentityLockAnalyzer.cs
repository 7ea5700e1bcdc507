using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR010: a <c>lock</c> statement, or <c>Monitor.Enter</c>/<c>TryEnter</c>, locks an object that code outside the
/// assembly can lock too (<c>this</c> of a public type, a public field or property of a public type), an object of weak
/// identity (a Type, a string, a Thread, a reflection object, ...), or an object that is new on every lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR010WeakIdentityLockAnalyzer : DiagnosticAnalyzer
{
    private const string ThisReason = "code outside the type can lock the same instance";
    private const string TypeReason = "a Type object is shared by all code in the process, which can lock it too";
    private const string StringReason = "strings are interned and shared, so unrelated code can lock the same string";
    private const string BoxReason = "the value is boxed into a new object on every lock, so the lock excludes nothing";
    private const string NewReason = "the object is created by the lock itself, so no other thread ever locks it and the lock excludes nothing";
    private const string PublicFieldReason = "the field is reachable from outside the type, so other code can lock the same object";
    private const string PublicPropertyReason = "the property is reachable from outside the type, so other code can lock the same object";
    private const string ThreadReason = "a Thread object is reachable by any code through Thread.CurrentThread, which can lock it too";
    private const string ReflectionReason = "reflection objects are cached and shared by all code in the process, which can lock them too";
    private const string MarshalByRefReason = "a MarshalByRefObject can be reached across application domains, where other code can lock it too";
    private const string RuntimeExceptionReason = "the runtime shares one instance of this exception with all code in the process, which can lock it too";
    private const string PrimitiveArrayReason = "an array of a primitive type has weak identity: the runtime can share it across application domains, where other code can lock it too";

    /// <summary>The names of the Monitor calls <see cref="LockedByMonitor"/> accepts.</summary>
    internal static readonly SourceWords EnterWords = new("Enter", "TryEnter");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR010);

    public override void Initialize(AnalysisContext context)
    {
        // Generated files are not analyzed. The few reports are checked against [GeneratedCode] here (GeneratedCode), which
        // the driver would otherwise do by walking each reported tree's declarations (99% of this rule's time on a large
        // code base with many reports).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): Monitor is resolved by the first Enter call.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterOperationAction(operationContext => AnalyzeLock(operationContext, types), OperationKind.Lock);
            start.RegisterOperationActionWhereMentioned(EnterWords, operationContext => AnalyzeMonitorEnter(operationContext, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeLock(OperationAnalysisContext context, ThreadingTypes types)
    {
        var lockOperation = (ILockOperation)context.Operation;
        if (lockOperation.Syntax is LockStatementSyntax { Expression: { } expression })
        {
            Report(context, lockOperation.LockedValue, expression, types);
        }
    }

    private static void AnalyzeMonitorEnter(OperationAnalysisContext context, ThreadingTypes types)
    {
        if (LockedByMonitor((IInvocationOperation)context.Operation, types) is { Syntax: ArgumentSyntax { Expression: { } expression } } locked)
        {
            Report(context, locked.Value, expression, types);
        }
    }

    /// <summary>The argument that <c>Monitor.Enter</c>/<c>TryEnter</c> locks (its first parameter), or null for any other call.</summary>
    internal static IArgumentOperation? LockedByMonitor(IInvocationOperation invocation, ThreadingTypes types)
    {
        if (invocation.TargetMethod is not { Name: "Enter" or "TryEnter", IsStatic: true } method
            || method.ContainingType?.Name != "Monitor"
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.Monitor))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return argument;
            }
        }

        return null;
    }

    private static void Report(OperationAnalysisContext context, IOperation locked, ExpressionSyntax expression, ThreadingTypes types)
    {
        if (Reason(locked, context.Compilation.Assembly) is { } reason
            && !GeneratedCode.Contains(expression.GetLocation(), context.Compilation, types.GeneratedCodeAttribute, context.CancellationToken))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR010, expression.GetLocation(), expression.ToString(), reason));
        }
    }

    /// <summary>Why locking <paramref name="value"/> is unsafe; null when it is fine or cannot be told.</summary>
    private static string? Reason(IOperation value, IAssemblySymbol assembly)
    {
        if (IsBoxing(value))
        {
            return BoxReason;
        }

        value = WithoutImplicitConversions(value);
        if (value.Type is not { IsReferenceType: true, TypeKind: not TypeKind.Error } type)
        {
            return null;
        }

        switch (value)
        {
            case IObjectCreationOperation or IArrayCreationOperation or IAnonymousObjectCreationOperation:
                return NewReason;
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when IsPublic(type):
                return ThisReason;
            case ITypeOfOperation:
                return TypeReason;
        }

        return WeakIdentityReason(type) ?? value switch
        {
            IFieldReferenceOperation { Field: { } field } reference when IsReachableFromOutside(field, assembly) && IsOwnMember(reference) => PublicFieldReason,
            IPropertyReferenceOperation { Property: { GetMethod: { } getter } property } reference when IsReachableFromOutside(property, assembly)
                && getter.DeclaredAccessibility == Accessibility.Public && IsOwnMember(reference) => PublicPropertyReason,
            _ => null,
        };
    }

    internal static IOperation WithoutImplicitConversions(IOperation value)
    {
        while (value is IConversionOperation { IsImplicit: true } conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }

    /// <summary>A conversion of a value type to object or an interface: a new box each time it runs.</summary>
    internal static bool IsBoxing(IOperation value) =>
        value is IConversionOperation { Type.IsReferenceType: true, Operand.Type: { IsValueType: true, TypeKind: not TypeKind.Error } };

    /// <summary>The reason when the expression's own type (not the runtime type behind it) has weak identity.</summary>
    private static string? WeakIdentityReason(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_String)
        {
            return StringReason;
        }

        if (type is IArrayTypeSymbol array)
        {
            return IsPrimitive(array.ElementType) ? PrimitiveArrayReason : null;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.ContainingNamespace is not { ContainingNamespace: { } outer } ns)
            {
                continue;
            }

            var inSystem = ns.Name == "System" && outer.IsGlobalNamespace;
            var inSystemNested = outer.Name == "System" && outer.ContainingNamespace is { IsGlobalNamespace: true };
            switch (current.Name)
            {
                case "Type" when inSystem:
                    return TypeReason;
                case "MemberInfo" or "ParameterInfo" when inSystemNested && ns.Name == "Reflection":
                    return ReflectionReason;
                case "Thread" when inSystemNested && ns.Name == "Threading":
                    return ThreadReason;
                case "MarshalByRefObject" when inSystem:
                    return MarshalByRefReason;
                case "OutOfMemoryException" or "StackOverflowException" or "ExecutionEngineException" when inSystem:
                    return RuntimeExceptionReason;
            }
        }

        return null;
    }

    private static bool IsPrimitive(ITypeSymbol type) => type.SpecialType is
        SpecialType.System_Boolean or SpecialType.System_Char or SpecialType.System_SByte or SpecialType.System_Byte
        or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32
        or SpecialType.System_Int64 or SpecialType.System_UInt64 or SpecialType.System_Single or SpecialType.System_Double
        or SpecialType.System_IntPtr or SpecialType.System_UIntPtr;

    /// <summary>
    /// A public field or property, declared in this assembly, of a type that code outside the assembly can see: protected
    /// and internal members are the assembly's own design (derived types share them on purpose), and a library's public
    /// lock object (<c>ICollection.SyncRoot</c>) is there to be locked.
    /// </summary>
    private static bool IsReachableFromOutside(ISymbol member, IAssemblySymbol assembly) =>
        member.DeclaredAccessibility == Accessibility.Public
        && SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, assembly)
        && IsPublic(member.ContainingType);

    /// <summary>
    /// Whether the object locks its own member (<c>this</c>'s, or a static one): there the author publishes a lock object
    /// and can make it private. Code that locks another object's member (<c>lock (player.Inventory)</c>) takes part in
    /// the protocol that object published, like a caller that locks <c>ICollection.SyncRoot</c>.
    /// </summary>
    private static bool IsOwnMember(IMemberReferenceOperation reference) =>
        reference.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>Public and nested only in public types: a public type nested in an internal one is not public.</summary>
    private static bool IsPublic(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.ContainingType)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return type is not null;
    }
}
