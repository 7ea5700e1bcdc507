using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>THR003: a Thread member that is obsolete or superseded is used where a modern equivalent exists.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR003LegacyThreadApiAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The diagnostic property that names the rewrite the code fix applies; absent when there is no safe rewrite.</summary>
    internal const string FixProperty = "THR003.Fix";

    /// <summary>The rewrites the code fix knows, as values of <see cref="FixProperty"/>.</summary>
    internal static class FixKind
    {
        public const string SetApartmentState = nameof(SetApartmentState);
        public const string GetApartmentState = nameof(GetApartmentState);
        public const string VolatileRead = nameof(VolatileRead);
        public const string VolatileWrite = nameof(VolatileWrite);
        public const string MemoryBarrier = nameof(MemoryBarrier);
        public const string CurrentManagedThreadId = nameof(CurrentManagedThreadId);
        public const string CurrentDomain = nameof(CurrentDomain);
    }

    private const string ApartmentStateName = "ApartmentState";
    private const string ManagedThreadIdName = "ManagedThreadId";
    private const string Handshake = "a ManualResetEventSlim or SemaphoreSlim handshake";
    private const string Cancellation = "cooperative cancellation with a CancellationToken";
    private const string ThreadLocalStorage = "ThreadLocal<T>, AsyncLocal<T> or [ThreadStatic]";
    private const string ExecutionContextText = "ExecutionContext";

    /// <summary>The legacy methods, by name: what to use instead and the rewrite, if any.</summary>
    private static readonly Dictionary<string, LegacyMember> LegacyMethods = new()
    {
        ["VolatileRead"] = new("Thread.VolatileRead", "Volatile.Read", FixKind.VolatileRead),
        ["VolatileWrite"] = new("Thread.VolatileWrite", "Volatile.Write", FixKind.VolatileWrite),
        ["MemoryBarrier"] = new("Thread.MemoryBarrier", "Interlocked.MemoryBarrier", FixKind.MemoryBarrier),
        ["GetDomain"] = new("Thread.GetDomain", "AppDomain.CurrentDomain", FixKind.CurrentDomain),
        ["Suspend"] = new("Thread.Suspend", Handshake, null),
        ["Resume"] = new("Thread.Resume", Handshake, null),
        ["Abort"] = new("Thread.Abort", Cancellation, null),
        ["ResetAbort"] = new("Thread.ResetAbort", Cancellation, null),
        ["AllocateDataSlot"] = new("Thread.AllocateDataSlot", ThreadLocalStorage, null),
        ["AllocateNamedDataSlot"] = new("Thread.AllocateNamedDataSlot", ThreadLocalStorage, null),
        ["GetNamedDataSlot"] = new("Thread.GetNamedDataSlot", ThreadLocalStorage, null),
        ["FreeNamedDataSlot"] = new("Thread.FreeNamedDataSlot", ThreadLocalStorage, null),
        ["GetData"] = new("Thread.GetData", ThreadLocalStorage, null),
        ["SetData"] = new("Thread.SetData", ThreadLocalStorage, null),
        ["GetCompressedStack"] = new("Thread.GetCompressedStack", ExecutionContextText, null),
        ["SetCompressedStack"] = new("Thread.SetCompressedStack", ExecutionContextText, null),
    };

    private static readonly LegacyMember ApartmentStateWrite = new("Thread.ApartmentState", "Thread.SetApartmentState", FixKind.SetApartmentState);
    private static readonly LegacyMember ApartmentStateRead = new("Thread.ApartmentState", "Thread.GetApartmentState", FixKind.GetApartmentState);
    private static readonly LegacyMember CurrentManagedThreadId = new("Thread.CurrentThread.ManagedThreadId", "Environment.CurrentManagedThreadId", FixKind.CurrentManagedThreadId);

    /// <summary>
    /// A use of a legacy member has the member's name in its syntax: a block whose text holds none of these names
    /// uses none, and most blocks hold none.
    /// </summary>
    private static readonly SourceWords LegacyWords = new(LegacyMethods.Keys.Concat(new[] { ApartmentStateName, ManagedThreadIdName }).ToArray());

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR003);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): IsThread answers false when Thread is not referenced.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            // A row whose replacement this target framework lacks is not reported: there is nothing better to use.
            // Found on first use, from an action, when the compiler has resolved the types (see ThreadingTypes).
            var available = new Lazy<ImmutableHashSet<string>>(() => AvailableReplacements(types));
            start.RegisterOperationActionWhereMentioned(
                LegacyWords,
                () => types.ThreadIsReferenced,
                c =>
                {
                    switch (c.Operation.Kind)
                    {
                        case OperationKind.Invocation:
                            AnalyzeInvocation(c, types, available);
                            break;
                        case OperationKind.MethodReference:
                            AnalyzeMethodReference(c, types, available);
                            break;
                        default:
                            AnalyzePropertyReference(c, types, available);
                            break;
                    }
                },
                OperationKind.Invocation,
                OperationKind.MethodReference,
                OperationKind.PropertyReference);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, ThreadingTypes types, Lazy<ImmutableHashSet<string>> available)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!LegacyMethods.TryGetValue(invocation.TargetMethod.Name, out var legacy)
            || !types.IsThread(invocation.TargetMethod.ContainingType)
            || !IsAvailable(legacy, available))
        {
            return;
        }

        // `Thread.GetDomain();` as a statement cannot become `AppDomain.CurrentDomain;`, which is not a statement.
        var fixable = legacy.FixKind is not null
            && ArgumentsArePositional(invocation)
            && !(legacy.FixKind == FixKind.CurrentDomain && invocation.Parent is IExpressionStatementOperation);
        Report(context, invocation, legacy, fixable);
    }

    private static void AnalyzeMethodReference(OperationAnalysisContext context, ThreadingTypes types, Lazy<ImmutableHashSet<string>> available)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        if (!LegacyMethods.TryGetValue(reference.Method.Name, out var legacy)
            || !types.IsThread(reference.Method.ContainingType)
            || !IsAvailable(legacy, available)
            || IsInNameOf(reference))
        {
            return;
        }

        // Only a group of the same shape is a safe swap: AppDomain.CurrentDomain is a property, Volatile.Read takes
        // `ref readonly` on .NET 8 and later (CS9198 against a delegate with `ref`), and Volatile.Write is generic over classes.
        var fixable = legacy.FixKind is FixKind.MemoryBarrier;
        Report(context, reference, legacy, fixable);
    }

    private static void AnalyzePropertyReference(OperationAnalysisContext context, ThreadingTypes types, Lazy<ImmutableHashSet<string>> available)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        var name = reference.Property.Name;
        if (name is not (ApartmentStateName or ManagedThreadIdName)
            || !types.IsThread(reference.Property.ContainingType)
            || IsInNameOf(reference))
        {
            return;
        }

        if (name == ApartmentStateName)
        {
            AnalyzeApartmentState(context, reference, available);
        }
        else if (IsAvailable(CurrentManagedThreadId, available) && IsCurrentThread(reference.Instance, types, context.CancellationToken))
        {
            Report(context, reference, CurrentManagedThreadId, fixable: true);
        }
    }

    private static void AnalyzeApartmentState(OperationAnalysisContext context, IPropertyReferenceOperation reference, Lazy<ImmutableHashSet<string>> available)
    {
        switch (reference.Parent)
        {
            case IAssignmentOperation assignment when assignment.Target == reference:
                if (IsAvailable(ApartmentStateWrite, available))
                {
                    // Only `t.ApartmentState = x;` as a statement becomes `t.SetApartmentState(x);`: not an initializer, not a used value.
                    var fixable = assignment is ISimpleAssignmentOperation
                        && assignment.Parent is IExpressionStatementOperation
                        && reference.Syntax is MemberAccessExpressionSyntax;
                    Report(context, assignment, ApartmentStateWrite, fixable);
                }

                break;
            case IIncrementOrDecrementOperation increment:
                if (IsAvailable(ApartmentStateWrite, available))
                {
                    Report(context, increment, ApartmentStateWrite, fixable: false);
                }

                break;
            case ITupleOperation:
                // Possibly the target of a deconstruction: report, but do not turn a write into a call.
                if (IsAvailable(ApartmentStateWrite, available))
                {
                    Report(context, reference, ApartmentStateWrite, fixable: false);
                }

                break;
            default:
                if (IsAvailable(ApartmentStateRead, available))
                {
                    var fixable = reference.Syntax is MemberAccessExpressionSyntax or MemberBindingExpressionSyntax;
                    Report(context, reference, ApartmentStateRead, fixable);
                }

                break;
        }
    }

    private static void Report(OperationAnalysisContext context, IOperation site, LegacyMember legacy, bool fixable)
    {
        // Half-typed code (a missing token, an unresolved argument) gets no diagnostic until it compiles.
        if (BrokenCode.In(site) || IsInInvalidOperation(site))
        {
            return;
        }

        var properties = fixable && legacy.FixKind is not null
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, legacy.FixKind)
            : ImmutableDictionary<string, string?>.Empty;
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.THR003, site.Syntax.GetLocation(), properties, legacy.Name, legacy.Replacement));
    }

    private static bool IsAvailable(LegacyMember legacy, Lazy<ImmutableHashSet<string>> available) =>
        legacy.FixKind is null || available.Value.Contains(legacy.FixKind);

    private static ImmutableHashSet<string> AvailableReplacements(ThreadingTypes types)
    {
        var builder = ImmutableHashSet.CreateBuilder<string>();
        if (HasMember(types.Volatile, "Read", static m => m is IMethodSymbol { IsStatic: true }))
        {
            builder.Add(FixKind.VolatileRead);
        }

        if (HasMember(types.Volatile, "Write", static m => m is IMethodSymbol { IsStatic: true }))
        {
            builder.Add(FixKind.VolatileWrite);
        }

        if (HasMember(types.Interlocked, "MemoryBarrier", static m => m is IMethodSymbol { IsStatic: true, Parameters.Length: 0 }))
        {
            builder.Add(FixKind.MemoryBarrier);
        }

        if (HasMember(types.Environment, "CurrentManagedThreadId", static m => m is IPropertySymbol { IsStatic: true }))
        {
            builder.Add(FixKind.CurrentManagedThreadId);
        }

        if (HasMember(types.AppDomain, "CurrentDomain", static m => m is IPropertySymbol { IsStatic: true }))
        {
            builder.Add(FixKind.CurrentDomain);
        }

        if (HasMember(types.Thread, "SetApartmentState", static m => m is IMethodSymbol { IsStatic: false, Parameters.Length: 1 }))
        {
            builder.Add(FixKind.SetApartmentState);
        }

        if (HasMember(types.Thread, "GetApartmentState", static m => m is IMethodSymbol { IsStatic: false, Parameters.Length: 0 }))
        {
            builder.Add(FixKind.GetApartmentState);
        }

        return builder.ToImmutable();
    }

    private static bool HasMember(INamedTypeSymbol? type, string name, System.Func<ISymbol, bool> shape) =>
        type is not null && type.GetMembers(name).Any(m => m.DeclaredAccessibility == Accessibility.Public && shape(m));

    /// <summary>Named arguments survive the rewrite only in positional order: the replacement's parameters have other names.</summary>
    private static bool ArgumentsArePositional(IInvocationOperation invocation)
    {
        if (invocation.Syntax is not InvocationExpressionSyntax { ArgumentList.Arguments: var arguments })
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Syntax is ArgumentSyntax { NameColon: not null } syntax
                && (argument.Parameter is null || arguments.IndexOf(syntax) != argument.Parameter.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInNameOf(IOperation operation) => HasAncestor<INameOfOperation>(operation);

    private static bool IsInInvalidOperation(IOperation operation) => HasAncestor<IInvalidOperation>(operation);

    private static bool HasAncestor<T>(IOperation operation)
        where T : IOperation
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is T)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="instance"/> is certainly the thread that runs this code.</summary>
    private static bool IsCurrentThread(IOperation? instance, ThreadingTypes types, CancellationToken cancellationToken)
    {
        instance = OperationTree.Unwrap(instance);
        return instance switch
        {
            IPropertyReferenceOperation property => IsCurrentThreadProperty(property, types),
            ILocalReferenceOperation local => IsLocalHoldingCurrentThread(local, types, cancellationToken),
            _ => false,
        };
    }

    private static bool IsCurrentThreadProperty(IPropertyReferenceOperation property, ThreadingTypes types) =>
        property.Property is { Name: "CurrentThread", IsStatic: true } && types.IsThread(property.Property.ContainingType);

    /// <summary>
    /// A local initialized with <c>Thread.CurrentThread</c>, never written again, read in the same function and with no
    /// await or yield after its declaration (after one the code may resume on another thread, and a lambda may run on one).
    /// </summary>
    private static bool IsLocalHoldingCurrentThread(ILocalReferenceOperation reference, ThreadingTypes types, CancellationToken cancellationToken)
    {
        // Syntax first: walking the method for writes is worth it only for `x = ...CurrentThread`.
        var local = reference.Local;
        if (local.IsRef
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: var initial }
            || !NamesCurrentThread(initial)
            || !types.IsThread(local.Type))
        {
            return false;
        }

        var top = OperationTree.Root(reference);

        IVariableDeclaratorOperation? declarator = null;
        foreach (var operation in top.Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation candidate when SymbolEqualityComparer.Default.Equals(candidate.Symbol, local):
                    declarator = candidate;
                    break;
                case ILocalReferenceOperation other when SymbolEqualityComparer.Default.Equals(other.Local, local) && IsWrite(other):
                    return false;
            }
        }

        if (declarator?.Initializer?.Value is not { } value
            || OperationTree.Unwrap(value) is not IPropertyReferenceOperation property
            || !IsCurrentThreadProperty(property, types))
        {
            return false;
        }

        var function = OperationTree.EnclosingNestedFunction(declarator);
        if (function != OperationTree.EnclosingNestedFunction(reference))
        {
            return false;
        }

        return !MaySwitchThreadAfter(function?.Syntax ?? top.Syntax, declarator.Syntax.SpanStart);
    }

    private static bool NamesCurrentThread(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText == "CurrentThread",
            IdentifierNameSyntax name => name.Identifier.ValueText == "CurrentThread",
            _ => false,
        };
    }

    private static bool IsWrite(ILocalReferenceOperation reference) => reference.Parent switch
    {
        IAssignmentOperation assignment => assignment.Target == reference
            || (assignment is ISimpleAssignmentOperation { IsRef: true } && assignment.Value == reference),
        IArgumentOperation argument => argument.Parameter is null || argument.Parameter.RefKind is RefKind.Ref or RefKind.Out,
        ITupleOperation => true,
        IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.IsRef: true } } => true,
        _ => reference.Syntax.Parent is RefExpressionSyntax,
    };

    /// <summary>Whether the function body has an await or a yield after <paramref name="position"/>, not counting nested functions.</summary>
    private static bool MaySwitchThreadAfter(SyntaxNode function, int position) =>
        function.DescendantNodes(node => node == function || !IsNestedFunctionOrMember(node))
            .Any(node => node.SpanStart > position && node switch
            {
                AwaitExpressionSyntax or YieldStatementSyntax => true,
                CommonForEachStatementSyntax forEach => forEach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
                UsingStatementSyntax @using => @using.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
                LocalDeclarationStatementSyntax declaration => declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
                _ => false,
            });

    private static bool IsNestedFunctionOrMember(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
        || (node is MemberDeclarationSyntax && node is not GlobalStatementSyntax);

    private sealed class LegacyMember
    {
        public LegacyMember(string name, string replacement, string? fixKind)
        {
            Name = name;
            Replacement = replacement;
            FixKind = fixKind;
        }

        /// <summary>The legacy member as the message names it, e.g. <c>Thread.Abort</c>.</summary>
        public string Name { get; }

        /// <summary>What to use instead, as the message says it.</summary>
        public string Replacement { get; }

        /// <summary>The code fix's rewrite, or null when the replacement needs a redesign.</summary>
        public string? FixKind { get; }
    }
}
