using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;

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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation);
            if (types.Thread is null && types.Task is null && types.ThreadPool is null && types.Parallel is null)
            {
                return;
            }

            var reach = Reach.For(start.Compilation);
            start.RegisterSymbolStartAction(symbolStart => AnalyzeType(symbolStart, types, reach), SymbolKind.NamedType);
        });
    }

    /// <summary>Per type, so that a write reached from several entry points of the type is reported once.</summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, ThreadingTypes types, Reach reach)
    {
        var findings = new ConcurrentDictionary<Location, Finding>();
        context.RegisterOperationBlockAction(block =>
        {
            // The driver builds each member's operation tree once for every analyzer with operation actions; text and
            // then syntax decide, before the tree is walked, whether the member can start concurrent code at all.
            IOperation? analyzed = null;
            foreach (var operation in block.OperationBlocks)
            {
                var syntax = operation.Syntax;
                var root = RunWindow.Root(operation);
                if (root == analyzed || syntax is TypeDeclarationSyntax || root.Syntax.ContainsDiagnostics
                    || !TextMentionsEntryPoint(syntax) || !MayStartConcurrentCode(syntax))
                {
                    continue;
                }

                analyzed = root;
                var sharing = Sharing.Analyze(root, block.OwningSymbol, types, reach, block.CancellationToken);
                foreach (var run in sharing.Runs)
                {
                    foreach (var access in run.Accesses)
                    {
                        if (access.IsWrite && !access.IsLocked && sharing.IsShared(run, access))
                        {
                            var finding = new Finding(access, run.Entry);
                            findings.AddOrUpdate(access.Operation.Syntax.GetLocation(), finding, (_, existing) => existing.IsBefore(finding) ? existing : finding);
                        }
                    }
                }
            }
        });

        context.RegisterSymbolEndAction(end =>
        {
            foreach (var pair in findings)
            {
                var finding = pair.Value;
                end.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.THR002,
                    pair.Key,
                    Properties(finding.Access),
                    finding.Access.Target.Symbol.Name,
                    Verb(finding.Access),
                    finding.Entry.DisplayName));
            }
        });
    }

    private static readonly string[] EntryPointWords = { "Task.Run", "StartNew", "QueueUserWorkItem", "Parallel.", "ForAll", "Thread", "Timer", "new(", "new Task" };

    private static readonly ConditionalWeakTable<SyntaxTree, int[]> EntryPointWordPositions = new();

    /// <summary>Whether the code block's text holds a word of an entry point; the positions are found once per tree.</summary>
    private static bool TextMentionsEntryPoint(SyntaxNode codeBlock)
    {
        var positions = EntryPointWordPositions.GetValue(codeBlock.SyntaxTree, static tree =>
        {
            var text = tree.GetText().ToString();
            var found = new List<int>();
            foreach (var word in EntryPointWords)
            {
                for (var index = text.IndexOf(word, StringComparison.Ordinal); index >= 0; index = text.IndexOf(word, index + word.Length, StringComparison.Ordinal))
                {
                    found.Add(index);
                }
            }

            found.Sort();
            return found.ToArray();
        });
        var span = codeBlock.Span;
        var first = Array.BinarySearch(positions, span.Start);
        if (first < 0)
        {
            first = ~first;
        }

        return first < positions.Length && positions[first] < span.End;
    }

    /// <summary>
    /// A call or creation that looks like an entry point: <c>Task.Run</c>, <c>*.StartNew</c>, <c>*.QueueUserWorkItem</c>,
    /// <c>Parallel.*</c>, <c>*.ForAll</c>, <c>new Thread</c>, <c>new Timer</c>, <c>new Task</c>, or a target-typed <c>new(...)</c>
    /// given a lambda or declared as a Thread, Timer or Task. Symbols decide later; this only spares members that start nothing.
    /// </summary>
    private static bool MayStartConcurrentCode(SyntaxNode codeBlock)
    {
        foreach (var node in codeBlock.DescendantNodes())
        {
            switch (node)
            {
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }:
                    var receiver = RightmostName(access.Expression);
                    switch (access.Name.Identifier.ValueText)
                    {
                        case "Run" when receiver == "Task":
                        case "For" or "ForEach" or "ForEachAsync" or "Invoke" when receiver == "Parallel":
                        case "StartNew" or "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" or "ForAll":
                            return true;
                    }

                    break;
                case ObjectCreationExpressionSyntax creation when RightmostName(creation.Type) is "Thread" or "Timer" or "Task":
                    return true;
                case ImplicitObjectCreationExpressionSyntax implicitCreation:
                    if (implicitCreation.ArgumentList.Arguments.Any(a => a.Expression is AnonymousFunctionExpressionSyntax)
                        || implicitCreation.Parent?.Parent?.Parent is VariableDeclarationSyntax { Type: var declared } && RightmostName(declared) is "Thread" or "Timer" or "Task")
                    {
                        return true;
                    }

                    break;
            }
        }

        return false;
    }

    private static string? RightmostName(SyntaxNode node) => node switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

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
        public Finding(Access access, EntryPoint entry)
        {
            Access = access;
            Entry = entry;
        }

        public Access Access { get; }

        public EntryPoint Entry { get; }

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
