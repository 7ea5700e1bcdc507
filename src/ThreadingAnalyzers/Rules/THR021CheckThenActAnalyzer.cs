using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR021: <c>ContainsKey</c>/<c>TryGetValue</c> on a ConcurrentDictionary, then a store of the same key in a second
/// call: each call is atomic, the pair is not, so another thread can add or remove the key in between.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR021CheckThenActAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property naming the fix the shape allows: <see cref="TryAddFix"/> or <see cref="GetOrAddFix"/>.</summary>
    internal const string FixProperty = "THR021.Fix";
    internal const string TryAddFix = "TryAdd";
    internal const string GetOrAddFix = "GetOrAdd";

    private static readonly SourceWords CheckWords = new("ContainsKey", "TryGetValue");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR021);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes).
            var types = ThreadingTypes.From(start.Compilation);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // Every report starts at a check the type itself makes: a type that never names one has nothing.
                    if (CheckWords.MentionedBy(symbolStart.Symbol))
                    {
                        AnalyzeType(symbolStart, types);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// Checks on a ConcurrentDictionary-typed receiver are reported at once; checks on a dictionary interface field
    /// wait for the type's end, when every assignment of the field is known.
    /// </summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, ThreadingTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var pending = new ConcurrentBag<(IFieldSymbol Field, Diagnostic Diagnostic)>();
        var notConcurrent = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);
        var concurrent = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(c =>
        {
            var invocation = (IInvocationOperation)c.Operation;
            if (invocation.TargetMethod.Name is not ("ContainsKey" or "TryGetValue")
                || !SymbolEqualityComparer.Default.Equals(c.ContainingSymbol.ContainingType, type)
                || ReceiverKind(invocation.Instance, types, type) is not { } kind
                || THR021CheckThenActShapes.Match(invocation) is not { } match
                || BrokenCode.InText(OperationTree.Root(invocation))
                || LockSet.IsHeldAt(invocation, OperationTree.OwnFunction(invocation), c.ContainingSymbol as IMethodSymbol))
            {
                return;
            }

            var properties = kind == Kind.Concurrent && match.Fix is { } fix
                ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, fix)
                : ImmutableDictionary<string, string?>.Empty;
            var diagnostic = Diagnostic.Create(
                Descriptors.THR021,
                invocation.Syntax.GetLocation(),
                ImmutableArray.Create(match.Act.Syntax.GetLocation()),
                properties,
                match.ReceiverText,
                invocation.TargetMethod.Name,
                match.KeyText,
                match.AtomicOperation);
            if (kind == Kind.Concurrent)
            {
                c.ReportDiagnostic(diagnostic);
            }
            else
            {
                pending.Add((((IFieldReferenceOperation)invocation.Instance!).Field, diagnostic));
            }
        }, OperationKind.Invocation);

        context.RegisterOperationAction(c =>
        {
            var (field, value) = c.Operation switch
            {
                ISimpleAssignmentOperation { Target: IFieldReferenceOperation target } assignment => (target.Field, assignment.Value),
                IFieldInitializerOperation initializer when initializer.InitializedFields.Length == 1 => (initializer.InitializedFields[0], initializer.Value),
                _ => (null, null),
            };
            if (field is not null && value is not null && SymbolEqualityComparer.Default.Equals(field.ContainingType, type))
            {
                (IsConcurrentDictionary(OperationTree.WithoutImplicitConversions(value).Type, types) ? concurrent : notConcurrent)[field] = true;
            }
        }, OperationKind.SimpleAssignment, OperationKind.FieldInitializer);

        context.RegisterSymbolEndAction(c =>
        {
            foreach (var (field, diagnostic) in pending)
            {
                if (concurrent.ContainsKey(field) && !notConcurrent.ContainsKey(field))
                {
                    c.ReportDiagnostic(diagnostic);
                }
            }
        });
    }

    private enum Kind
    {
        Concurrent,
        InterfaceField,
    }

    /// <summary>
    /// A ConcurrentDictionary receiver, or a private or readonly field of this type declared as a dictionary interface
    /// (only its own type assigns it, so its assignments tell what it holds); null for anything else.
    /// </summary>
    private static Kind? ReceiverKind(IOperation? receiver, ThreadingTypes types, INamedTypeSymbol type)
    {
        if (receiver is null)
        {
            return null;
        }

        if (IsConcurrentDictionary(receiver.Type, types))
        {
            return Kind.Concurrent;
        }

        return receiver is IFieldReferenceOperation { Field: { } field }
            && (field.DeclaredAccessibility == Accessibility.Private || field.IsReadOnly)
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
            && field.Type is INamedTypeSymbol { TypeKind: TypeKind.Interface, Name: "IDictionary" or "IReadOnlyDictionary", Arity: 2 }
            ? Kind.InterfaceField
            : null;
    }

    private static bool IsConcurrentDictionary(ITypeSymbol? type, ThreadingTypes types) =>
        type is INamedTypeSymbol { Name: "ConcurrentDictionary", Arity: 2 } named
        && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, types.ConcurrentDictionary);
}
