using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Concurrency;

/// <summary>What one reference to a variable that holds a <c>Thread</c> does with it.</summary>
internal enum ThreadUseKind
{
    /// <summary>A member that neither joins, starts nor configures it (Name, IsAlive, Interrupt, a null check, nameof).</summary>
    Harmless,
    Start,
    Join,
    /// <summary><c>IsBackground = true</c>.</summary>
    MadeBackground,
    /// <summary><c>IsBackground = someValue</c>: we cannot know what it is.</summary>
    BackgroundUnknown,
    /// <summary>The variable is assigned; see <see cref="ThreadUse.AssignedValue"/>.</summary>
    Assigned,
    /// <summary>The thread leaves what we can see: returned, passed, stored, aliased.</summary>
    Escapes,
}

internal readonly struct ThreadUse
{
    public ThreadUse(ThreadUseKind kind, IOperation? assignedValue = null)
    {
        Kind = kind;
        AssignedValue = assignedValue;
    }

    public ThreadUseKind Kind { get; }

    /// <summary>For <see cref="ThreadUseKind.Assigned"/>: the value, conversions removed; null when it cannot be seen.</summary>
    public IOperation? AssignedValue { get; }
}

/// <summary>Classifies references to locals and fields of type <c>Thread</c>, for the rules about starting and joining threads.</summary>
internal static class ThreadUsage
{
    /// <summary>Classifies a local or field reference whose type is <c>Thread</c>.</summary>
    public static ThreadUse Classify(IOperation reference, ThreadingTypes types)
    {
        var parent = reference.Parent;
        switch (parent)
        {
            case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                return new ThreadUse(ThreadUseKind.Assigned, OperationTree.WithoutImplicitConversions(assignment.Value));
            case IInvocationOperation invocation when invocation.Instance == reference:
                return ClassifyMember(invocation, types);
            case IPropertyReferenceOperation property when property.Instance == reference:
                return ClassifyMember(property, types);
            case IConditionalAccessOperation conditional when conditional.Operation == reference:
                return conditional.WhenNotNull switch
                {
                    IInvocationOperation call when call.Instance is IConditionalAccessInstanceOperation => ClassifyMember(call, types),
                    IPropertyReferenceOperation property when property.Instance is IConditionalAccessInstanceOperation => ClassifyMember(property, types),
                    _ => new ThreadUse(ThreadUseKind.Escapes),
                };
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals }:
            case IIsPatternOperation:
            case INameOfOperation:
                return new ThreadUse(ThreadUseKind.Harmless);
            case IConversionOperation { Parent: IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } }:
                return new ThreadUse(ThreadUseKind.Harmless);
            default:
                return new ThreadUse(ThreadUseKind.Escapes);
        }
    }

    /// <summary>The IsBackground value that an object creation's initializer sets, if any.</summary>
    public static ThreadUseKind? BackgroundInInitializer(IObjectCreationOperation creation)
    {
        if (creation.Initializer is null)
        {
            return null;
        }

        ThreadUseKind? result = null;
        foreach (var initializer in creation.Initializer.Initializers)
        {
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" } } assignment)
            {
                result = BackgroundValue(assignment.Value);
            }
        }

        return result;
    }

    /// <summary>The names <see cref="IsStart"/> accepts: a text without them starts no thread.</summary>
    public static readonly SourceWords StartWords = new("Start", "UnsafeStart");

    /// <summary>
    /// A call that starts a thread: <c>Start()</c>, <c>Start(arg)</c>, or <c>UnsafeStart</c>, which starts it just the same
    /// (without flowing the execution context).
    /// </summary>
    public static bool IsStart(IInvocationOperation call, ThreadingTypes types) =>
        call.TargetMethod.Name is "Start" or "UnsafeStart" && types.IsThread(call.TargetMethod.ContainingType);

    /// <summary>A private field of <paramref name="type"/> that holds a Thread: the per-type rules see every use of it.</summary>
    public static bool IsPrivateThreadFieldOf(IFieldSymbol field, INamedTypeSymbol type, ThreadingTypes types) =>
        field.DeclaredAccessibility == Accessibility.Private && types.IsThread(field.Type) && SymbolEqualityComparer.Default.Equals(field.ContainingType, type);

    /// <summary>The fields of <paramref name="type"/> that <see cref="IsPrivateThreadFieldOf"/> holds for.</summary>
    public static IEnumerable<IFieldSymbol> PrivateThreadFields(INamedTypeSymbol type, ThreadingTypes types) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(field => IsPrivateThreadFieldOf(field, type, types));

    public static bool IsThreadCreation(IOperation? operation, ThreadingTypes types) =>
        operation is IObjectCreationOperation creation && types.IsThread(creation.Type);

    private static ThreadUse ClassifyMember(IOperation member, ThreadingTypes types)
    {
        switch (member)
        {
            case IInvocationOperation call when types.IsThread(call.TargetMethod.ContainingType):
                return new ThreadUse(IsStart(call, types) ? ThreadUseKind.Start : call.TargetMethod.Name == "Join" ? ThreadUseKind.Join : ThreadUseKind.Harmless);
            case IPropertyReferenceOperation { Property.Name: "IsBackground", Parent: ISimpleAssignmentOperation assignment } property
                when assignment.Target == property:
                return new ThreadUse(BackgroundValue(assignment.Value));
            case IPropertyReferenceOperation:
                return new ThreadUse(ThreadUseKind.Harmless);
            default:
                // Extension methods and members of other types receive the thread as an argument: it escapes.
                return new ThreadUse(ThreadUseKind.Escapes);
        }
    }

    private static ThreadUseKind BackgroundValue(IOperation value) =>
        value.ConstantValue is { HasValue: true, Value: bool constant }
            ? (constant ? ThreadUseKind.MadeBackground : ThreadUseKind.Harmless)
            : ThreadUseKind.BackgroundUnknown;
}
