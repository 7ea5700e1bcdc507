using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR002: code that runs concurrently writes a field, auto-property, captured variable or non-thread-safe collection
/// that another execution can reach at the same time, without a lock.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR002UnsynchronizedSharedStateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "Interlocked" when the write is an int/long ++, --, += or -= whose value is unused.</summary>
    internal const string FixKindProperty = "FixKind";

    internal const string InterlockedFix = "Interlocked";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR002);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code is not analyzed. A write is reported where it is, which may be in generated code that a
        // hand-written body reaches: those reports are dropped here (GeneratedCode), as the driver would drop them at
        // a higher cost (see there) were ReportDiagnostics not set.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): the first type that names an entry point does.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            var reach = Reach.For(start.Compilation);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // A type whose text holds no entry-point-shaped call or creation gets no further action.
                    if (EntryPointText.PlacesIn(symbolStart.Symbol, types.Options) is { } places && types.CanStartConcurrentCode)
                    {
                        AnalyzeType(symbolStart, places, types, reach);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>Per type, so that a write reached from several entry points of the type is reported once.</summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, EntryPointPlaces places, ThreadingTypes types, Reach reach)
    {
        // Most types that name an entry point start nothing in most members: the list is made for the first candidate.
        // The driver may run the members' actions at the same time, so it is locked (uncontended in a build).
        var gate = new object();
        List<(IOperation Root, ISymbol Owner)>? candidates = null;
        context.RegisterOperationBlockAction(block =>
        {
            // Text only: most members start no concurrent code and are not looked at again.
            IOperation? seen = null;
            foreach (var operation in block.OperationBlocks)
            {
                var syntax = operation.Syntax;
                if (syntax is TypeDeclarationSyntax || !places.MayStartConcurrentCode(syntax))
                {
                    continue;
                }

                var root = OperationTree.Root(operation);
                if (root != seen && !BrokenCode.InText(root))
                {
                    seen = root;
                    lock (gate)
                    {
                        (candidates ??= new List<(IOperation Root, ISymbol Owner)>()).Add((root, block.OwningSymbol));
                    }
                }
            }
        });

        // The members are analyzed when the type ends: by then the driver has built the operation trees of every member
        // of the type (for this and every other analyzer), so the methods a concurrent body calls in its own type are
        // not bound a second time, nor ahead of the driver.
        context.RegisterSymbolEndAction(end =>
        {
            List<(IOperation Root, ISymbol Owner)>? members;
            lock (gate)
            {
                members = candidates;
            }

            if (members is null)
            {
                return;
            }

            var findings = new Dictionary<Location, Finding>();
            var sharings = new List<Sharing>(members.Count);
            var otherMembersStart = members.Count > 1;
            foreach (var (root, owner) in members)
            {
                sharings.Add(Sharing.Analyze(root, owner, places.WordsIn(root.Syntax.SyntaxTree), types, reach, end.CancellationToken, otherMembersStart));
            }

            foreach (var sharing in sharings)
            {
                foreach (var run in sharing.Runs)
                {
                    foreach (var access in run.Accesses)
                    {
                        if (access.IsUnlockedWrite
                            && (sharing.ConflictOf(run, access) ?? (otherMembersStart ? Sharing.ConflictAcross(run, access, sharings.Where(other => other != sharing)) : null)) is { } conflict)
                        {
                            var finding = new Finding(access, run.Entry, conflict);
                            var location = access.Operation.Syntax.GetLocation();
                            if (!findings.TryGetValue(location, out var existing) || !existing.IsBefore(finding))
                            {
                                findings[location] = finding;
                            }
                        }
                    }
                }
            }

            foreach (var pair in findings)
            {
                var finding = pair.Value;
                if (GeneratedCode.Contains(pair.Key, end.Compilation, types.GeneratedCodeAttribute, end.CancellationToken))
                {
                    continue;
                }

                var start = finding.Entry.Operation.Syntax.GetLocation();
                var other = finding.Conflict.OtherLocation;
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.THR002,
                    pair.Key,
                    other is null ? new[] { start } : new[] { start, other },
                    Properties(finding.Access),
                    finding.Access.Target.Symbol.Name,
                    Verb(finding.Access),
                    finding.Entry.DisplayName,
                    LineOf(start, pair.Key),
                    Explanation(finding, pair.Key)));
            }
        });
    }

    /// <summary>Where the write meets the other execution, for the message's last part.</summary>
    private static string Explanation(Finding finding, Location write)
    {
        var conflict = finding.Conflict;
        switch (conflict.Kind)
        {
            case ConflictKind.OtherBody when conflict.Other is { } other && conflict.OtherEntry == finding.Entry:
                return "another delegate it runs at the same time " + OtherVerb(other) + " it at line " + LineOf(other.Operation.Syntax.GetLocation(), write);
            case ConflictKind.OtherBody when conflict.Other is { } other && conflict.OtherEntry is { } entry:
                return "code started with " + entry.DisplayName + " (line " + LineOf(entry.Operation.Syntax.GetLocation(), write) + ") also "
                    + OtherVerb(other) + " it at line " + LineOf(other.Operation.Syntax.GetLocation(), write);
            case ConflictKind.Starter when conflict.Other is { } other:
                return "the starting code " + OtherVerb(other) + " it at line " + LineOf(other.Operation.Syntax.GetLocation(), write) + " while that code may still run";
            default:
                return "that code runs more than once at a time";
        }
    }

    private static string OtherVerb(Access other) => other.Kind switch
    {
        AccessKind.Read => "reads",
        AccessKind.CollectionMutation => "modifies",
        _ => "writes",
    };

    /// <summary>The 1-based line of <paramref name="location"/>, with its file's name when it is not the file of <paramref name="reported"/>.</summary>
    private static string LineOf(Location location, Location reported)
    {
        var line = (location.GetLineSpan().StartLinePosition.Line + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return location.SourceTree == reported.SourceTree ? line : line + " of " + System.IO.Path.GetFileName(location.SourceTree?.FilePath ?? string.Empty);
    }

    private static ImmutableDictionary<string, string?> Properties(Access access) =>
        IsInterlockedCandidate(access)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixKindProperty, InterlockedFix)
            : ImmutableDictionary<string, string?>.Empty;

    /// <summary>
    /// x++, x--, x += n, x -= n on an int or long field or captured variable, where the value is unused or is the new
    /// value (which Interlocked returns); not on volatile fields (a ref to them warns CS0420).
    /// </summary>
    private static bool IsInterlockedCandidate(Access access)
    {
        var targetType = access.Reference.Type?.SpecialType;
        if (targetType is not (SpecialType.System_Int32 or SpecialType.System_Int64)
            || access.Reference is not (IFieldReferenceOperation { Field.IsVolatile: false } or ILocalReferenceOperation or IParameterReferenceOperation))
        {
            return false;
        }

        var valueIsUnused = access.Operation.Parent is IExpressionStatementOperation;
        return access.Operation switch
        {
            IIncrementOrDecrementOperation increment => valueIsUnused || !increment.IsPostfix,
            ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, OperatorMethod: null, IsChecked: false } compound =>
                FitsInterlockedAdd(compound.Value.Type?.SpecialType, targetType.Value),
            _ => false,
        };
    }

    private static bool FitsInterlockedAdd(SpecialType? amount, SpecialType target) => amount switch
    {
        SpecialType.System_Int32 or SpecialType.System_Int16 or SpecialType.System_SByte or SpecialType.System_Byte
            or SpecialType.System_UInt16 or SpecialType.System_Char => true,
        SpecialType.System_Int64 or SpecialType.System_UInt32 => target == SpecialType.System_Int64,
        _ => false,
    };

    /// <summary>"incremented", "decremented", "assigned", "modified by List&lt;int&gt;.Add", ...</summary>
    private static string Verb(Access access)
    {
        switch (access.Operation)
        {
            case IIncrementOrDecrementOperation increment:
                return increment.Kind == OperationKind.Increment ? "incremented" : "decremented";
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add }:
                return "incremented";
            case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Subtract }:
                return "decremented";
            case IInvocationOperation invocation when access.Kind == AccessKind.CollectionMutation:
                return "modified by " + TypeName(invocation.TargetMethod.ContainingType) + "." + invocation.TargetMethod.Name;
            case IInvocationOperation invocation:
                return "passed by ref to " + invocation.TargetMethod.Name;
            case IAssignmentOperation { Target: IPropertyReferenceOperation property } when access.Kind == AccessKind.CollectionMutation:
                return property.Property.IsIndexer
                    ? "modified by the " + TypeName(property.Property.ContainingType) + " indexer"
                    : "modified by " + TypeName(property.Property.ContainingType) + "." + property.Property.Name;
            default:
                return "assigned";
        }
    }

    private static string TypeName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);

    private sealed class Finding
    {
        public Finding(Access access, EntryPoint entry, Conflict conflict)
        {
            Access = access;
            Entry = entry;
            Conflict = conflict;
        }

        public Access Access { get; }

        public EntryPoint Entry { get; }

        public Conflict Conflict { get; }

        /// <summary>The same write reached from several entry points is reported once, naming the first entry point in the source.</summary>
        public bool IsBefore(Finding other)
        {
            var syntax = Entry.Operation.Syntax;
            var otherSyntax = other.Entry.Operation.Syntax;
            var byPath = string.CompareOrdinal(syntax.SyntaxTree.FilePath, otherSyntax.SyntaxTree.FilePath);
            return byPath < 0 || (byPath == 0 && syntax.SpanStart <= otherSyntax.SpanStart);
        }
    }
}
