using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR018: <c>lock (f)</c>, <c>Monitor.Enter(f)</c> or <c>Monitor.TryEnter(f)</c> where <c>f</c> is a reference-type
/// field that is not readonly: a thread that assigns it a new object while another holds the old one lets both in.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR018NonReadonlyLockFieldAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property set when the fix can add <c>readonly</c>: a private field assigned only where the object is constructed.</summary>
    public const string FixProperty = "THR018.Fix";

    private const string ConstructedOnlyReason = "it is assigned only where the object is constructed, so make it readonly and no thread can ever lock a different object";
    private const string NotPrivateReason = "it is not private, so code outside the type can assign it a new object while a thread holds the old one; make it readonly";
    private const string AssignedElsewhereReason = "{0} assigns it too, and a thread that locks the new object does not wait for one that still holds the old one; lock on a readonly field instead";

    private static readonly ImmutableDictionary<string, string?> Fixable = ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "readonly");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR018);

    public override void Initialize(AnalysisContext context)
    {
        // Generated files are not analyzed; reports are checked against [GeneratedCode] here (GeneratedCode), which the
        // driver would otherwise do by walking each reported tree's declarations (as for THR010).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes); a field's writes are searched once, when it is first locked.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            var writes = new ConcurrentDictionary<IFieldSymbol, FieldWrite?>(SymbolEqualityComparer.Default);
            start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, writes, types), SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// The locks of a type that can take one are collected as its members are analyzed and decided at its end: the search
    /// for a field's writes reads the operations of the type's other members, which by then the driver has built for
    /// every analyzer, instead of binding them first itself.
    /// </summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, ConcurrentDictionary<IFieldSymbol, FieldWrite?> writes, ThreadingTypes types)
    {
        if (!LockingTypes.MayTakeLock((INamedTypeSymbol)context.Symbol, static name => name is "Enter" or "TryEnter", context.CancellationToken))
        {
            return;
        }

        var locks = new ConcurrentBag<(IOperation Locked, ExpressionSyntax Expression)>();
        context.RegisterOperationAction(
            operationContext =>
            {
                var lockOperation = (ILockOperation)operationContext.Operation;
                if (lockOperation.Syntax is LockStatementSyntax { Expression: { } expression })
                {
                    locks.Add((lockOperation.LockedValue, expression));
                }
            },
            OperationKind.Lock);
        if (THR010WeakIdentityLockAnalyzer.EnterWords.MentionedBy(context.Symbol))
        {
            context.RegisterOperationAction(
                operationContext =>
                {
                    if (THR010WeakIdentityLockAnalyzer.LockedByMonitor((IInvocationOperation)operationContext.Operation, types) is { Syntax: ArgumentSyntax { Expression: { } expression } } locked)
                    {
                        locks.Add((locked.Value, expression));
                    }
                },
                OperationKind.Invocation);
        }
        context.RegisterSymbolEndAction(end =>
        {
            foreach (var (locked, expression) in locks)
            {
                Analyze(end, locked, expression, writes, types);
            }
        });
    }

    private static void Analyze(SymbolAnalysisContext context, IOperation locked, ExpressionSyntax expression, ConcurrentDictionary<IFieldSymbol, FieldWrite?> writes, ThreadingTypes types)
    {
        locked = THR010WeakIdentityLockAnalyzer.WithoutImplicitConversions(locked);
        if (locked is ICoalesceAssignmentOperation { Target: IFieldReferenceOperation created })
        {
            // lock (_sync ??= new object()): two threads that both see null lock two new objects.
            locked = created;
        }

        if (locked is not IFieldReferenceOperation { Field: var field }
            || BrokenCode.InText(OperationTree.Root(locked)) // half-typed code in the body: wait until it parses
            || field.IsReadOnly
            || field.IsConst
            || field.Type is not { IsReferenceType: true, TypeKind: not TypeKind.Error }
            || field.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } containing
            || containing.DeclaringSyntaxReferences.IsEmpty)
        {
            return;
        }

        var definition = field.OriginalDefinition;
        var write = writes.GetOrAdd(definition, f => FieldWrites.FirstWriteReadonlyForbids(f, context.Compilation, context.CancellationToken));
        Diagnostic diagnostic;
        if (write is not null)
        {
            diagnostic = Diagnostic.Create(
                Descriptors.THR018,
                expression.GetLocation(),
                new[] { write.Location },
                field.Name,
                string.Format(System.Globalization.CultureInfo.InvariantCulture, AssignedElsewhereReason, write.MemberName));
        }
        else if (field.DeclaredAccessibility != Accessibility.Private)
        {
            diagnostic = Diagnostic.Create(Descriptors.THR018, expression.GetLocation(), field.Name, NotPrivateReason);
        }
        else
        {
            diagnostic = Diagnostic.Create(Descriptors.THR018, expression.GetLocation(), additionalLocations: null, properties: Fixable, field.Name, ConstructedOnlyReason);
        }

        if (!GeneratedCode.Contains(diagnostic.Location, context.Compilation, types.GeneratedCodeAttribute, context.CancellationToken))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }
}
