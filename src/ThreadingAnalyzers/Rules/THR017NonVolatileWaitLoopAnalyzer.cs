using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR017: a loop that only waits (empty body, or Sleep/Yield/SpinWait) for a non-volatile field or captured local
/// that another execution writes: the JIT may read it once, before the loop, and spin forever. Fields are decided over
/// the type at its end, against the writes of every member; captured locals within their method.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR017NonVolatileWaitLoopAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present when <c>Volatile.Read(ref x)</c> compiles in place of the read: x is a field or local of a type Volatile.Read takes.</summary>
    internal const string FixProperty = "THR017.Fix";

    private const string ConcurrentWriter = "code that runs concurrently";
    private const string OtherThreadWriter = "another thread";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR017);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation);
            var reach = Reach.For(start.Compilation);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // A writer that runs concurrently is seen only where the type starts code: no entry point words, nothing to find.
                    if (EntryPointText.PlacesIn(symbolStart.Symbol, types.Options) is not null)
                    {
                        AnalyzeType(symbolStart, types, reach);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext context, ThreadingTypes types, Reach reach)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var loops = new ConcurrentBag<(List<(IOperation Read, ISymbol Target)> Reads, ISymbol Member)>();
        var blocks = new ConcurrentBag<(ImmutableArray<IOperation> Blocks, ISymbol Member)>();

        context.RegisterOperationAction(c =>
        {
            if (!types.CanStartConcurrentCode || WaitedReads(c.Operation, types, reach) is not { } reads)
            {
                return;
            }

            // One diagnostic per loop: the first variable that another execution writes, else the type decides on its fields.
            foreach (var read in reads)
            {
                if (read.Target is ILocalSymbol or IParameterSymbol && ReportVariable(c, read.Read, read.Target, types))
                {
                    return;
                }
            }

            reads.RemoveAll(static r => r.Target is ILocalSymbol or IParameterSymbol);
            if (reads.Count > 0)
            {
                loops.Add((reads, c.ContainingSymbol));
            }
        }, OperationKind.Loop);

        // Writes and entry points matter only to a type with a wait loop, which few have: the members' operations are
        // kept and walked at the end for them, instead of a callback for every reference and call of every member.
        context.RegisterOperationBlockAction(c => blocks.Add((c.OperationBlocks, c.OwningSymbol)));

        context.RegisterSymbolEndAction(end =>
        {
            if (loops.IsEmpty)
            {
                return;
            }

            var writes = new List<(IOperation Write, ISymbol Target, ISymbol Member)>();
            var entries = new List<EntryPoint>();
            foreach (var (roots, member) in blocks)
            {
                foreach (var root in roots)
                {
                    foreach (var operation in root.DescendantsAndSelf())
                    {
                        Collect(operation, member, type, types, writes, entries);
                    }
                }
            }

            if (entries.Count == 0)
            {
                return;
            }

            var executions = new Executions(entries, reach, end.CancellationToken);
            foreach (var loop in loops)
            {
                if (ConcurrentWrite(loop.Reads, loop.Member, writes, executions) is { } found)
                {
                    if (Compiles(found.Read, found.Write))
                    {
                        end.ReportDiagnostic(Create(found.Read, found.Target, found.Write, found.Writer));
                    }
                }
            }
        });
    }

    /// <summary>A write of the type's non-volatile field or property outside construction, or an entry point.</summary>
    private static void Collect(
        IOperation operation, ISymbol member, INamedTypeSymbol type, ThreadingTypes types, List<(IOperation Write, ISymbol Target, ISymbol Member)> writes, List<EntryPoint> entries)
    {
        switch (operation.Kind)
        {
            case OperationKind.FieldReference or OperationKind.PropertyReference:
                var target = operation switch
                {
                    IFieldReferenceOperation field when !field.Field.IsVolatile && SymbolEqualityComparer.Default.Equals(field.Field.ContainingType, type) => field.Field,
                    IPropertyReferenceOperation property when SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, type) => (ISymbol)property.Property,
                    _ => null,
                };
                if (target is not null && ValueWrites.IsWritten(operation) && member is not IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor })
                {
                    writes.Add((operation, target, member));
                }

                break;
            case OperationKind.Invocation or OperationKind.ObjectCreation:
                if (types.CanStartConcurrentCode && EntryPoints.TryGet(operation, types) is { } entry)
                {
                    entries.Add(entry);
                }

                break;
        }
    }

    /// <summary>The first read of a field or property of the loop that an execution other than the loop's writes, with that write.</summary>
    private static (IOperation Read, ISymbol Target, IOperation Write, string Writer)? ConcurrentWrite(
        List<(IOperation Read, ISymbol Target)> reads, ISymbol member, List<(IOperation Write, ISymbol Target, ISymbol Member)> writes, Executions executions)
    {
        foreach (var read in reads)
        {
            var waiting = executions.Of(read.Read, member);
            foreach (var write in writes.Where(w => SymbolEqualityComparer.Default.Equals(w.Target, read.Target)).OrderBy(static w => w.Write.Syntax.SpanStart))
            {
                var writing = executions.Of(write.Write, write.Member);
                if (!Equals(waiting.Key, writing.Key) && (waiting.IsConcurrent || writing.IsConcurrent))
                {
                    return (read.Read, read.Target, write.Write, writing.IsConcurrent ? ConcurrentWriter : OtherThreadWriter);
                }
            }
        }

        return null;
    }

    /// <summary>A local or parameter: the writes and the entry points are all in the method that declares it. True when reported.</summary>
    private static bool ReportVariable(OperationAnalysisContext context, IOperation read, ISymbol variable, ThreadingTypes types)
    {
        var root = OperationTree.Root(read);
        var bodies = new HashSet<IOperation>(EntryPoints.Find(root, types).SelectMany(static e => e.Bodies).Select(static b => b.Function).OfType<IOperation>());
        if (bodies.Count == 0)
        {
            return false;
        }

        var waiting = ConcurrentLambda(read, bodies);
        foreach (var (operation, _) in OperationWalk.DescendantsOf(root).WithKinds())
        {
            if (operation is ILocalReferenceOperation or IParameterReferenceOperation
                && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(operation), variable)
                && ValueWrites.IsWritten(operation)
                && ConcurrentLambda(operation, bodies) is var writing
                && writing != waiting && (waiting ?? writing) is not null)
            {
                if (Compiles(read, operation))
                {
                    context.ReportDiagnostic(Create(read, variable, operation, writing is not null ? ConcurrentWriter : OtherThreadWriter));
                }

                return true;
            }
        }

        return false;
    }

    /// <summary>Half-typed code in the member of the loop or of the write: wait until it compiles.</summary>
    private static bool Compiles(IOperation read, IOperation write)
    {
        var readRoot = OperationTree.Root(read);
        var writeRoot = OperationTree.Root(write);
        return !BrokenCode.In(readRoot) && (writeRoot == readRoot || !BrokenCode.In(writeRoot));
    }

    private static IOperation? ConcurrentLambda(IOperation operation, HashSet<IOperation> bodies)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation && bodies.Contains(current))
            {
                return current;
            }
        }

        return null;
    }

    private static Diagnostic Create(IOperation read, ISymbol target, IOperation write, string writer)
    {
        var properties = CanReadVolatile(read, target)
            ? ImmutableDictionary<string, string?>.Empty.Add(FixProperty, "")
            : ImmutableDictionary<string, string?>.Empty;
        var line = write.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
        return Diagnostic.Create(
            Descriptors.THR017, read.Syntax.GetLocation(), new[] { write.Syntax.GetLocation() }, properties,
            target.Name, writer, line.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The reads in a waiting loop's condition that the rule is about: the loop body only waits, the condition reads
    /// only plain fields, plain properties, variables and constants and calls nothing; the reads of non-volatile
    /// fields, plain properties and variables, which the loop does not write, in source order.
    /// </summary>
    private static List<(IOperation Read, ISymbol Target)>? WaitedReads(IOperation operation, ThreadingTypes types, Reach reach)
    {
        var (condition, body) = operation switch
        {
            IWhileLoopOperation loop => (loop.Condition, loop.Body),
            IForLoopOperation { Before.IsEmpty: true, AtLoopBottom.IsEmpty: true } loop => (loop.Condition, loop.Body),
            _ => (null, null),
        };
        if (condition is null || !WaitOnlyBody.IsOnlyWaiting(body, types) || BrokenCode.InText(operation))
        {
            return null;
        }

        List<(IOperation Read, ISymbol Target)>? found = null;
        foreach (var (node, kind) in OperationWalk.DescendantsOf(condition).WithKinds())
        {
            switch (kind)
            {
                case OperationKind.Literal or OperationKind.Conversion or OperationKind.Parenthesized or OperationKind.UnaryOperator
                    or OperationKind.BinaryOperator or OperationKind.InstanceReference or OperationKind.FieldReference or OperationKind.LocalReference
                    or OperationKind.ParameterReference or OperationKind.PropertyReference or OperationKind.IsType or OperationKind.IsPattern
                    or OperationKind.ConstantPattern or OperationKind.RelationalPattern or OperationKind.NegatedPattern or OperationKind.BinaryPattern:
                    break;
                default:
                    return null;
            }

            var target = node switch
            {
                IFieldReferenceOperation { Field: { IsConst: false } field } when !field.IsVolatile && field.Type.TypeKind != TypeKind.Error && !field.IsReadOnly && IsOwnOrStatic(node) => field,
                IFieldReferenceOperation { Field.IsVolatile: true } => null,
                IPropertyReferenceOperation { Property: { } property } when IsOwnOrStatic(node) && PlainTarget(property, reach, node) is { } plain => plain,
                ILocalReferenceOperation { Local: { } local } => local,
                IParameterReferenceOperation { Parameter: { } parameter } => (ISymbol)parameter,
                _ => null,
            };
            if (node is IPropertyReferenceOperation && target is null)
            {
                // Any other property runs code of its own (a CancellationToken's IsCancellationRequested reads a volatile field).
                return null;
            }

            if (target is not null)
            {
                (found ??= new()).Add((node, target));
            }
        }

        found?.Sort(static (a, b) => a.Read.Syntax.SpanStart.CompareTo(b.Read.Syntax.SpanStart));
        return found;
    }

    /// <summary>The field behind a property whose getter only returns it (<c>get =&gt; _f;</c>), or the property itself when it is an auto-property.</summary>
    private static ISymbol? PlainTarget(IPropertySymbol property, Reach reach, IOperation near)
    {
        if (property.ContainingType?.TypeKind != TypeKind.Class || property.GetMethod is not { } getter)
        {
            return null;
        }

        if (reach.IsAutoProperty(property))
        {
            return property;
        }

        var body = reach.BodyOf(getter, near);
        var block = body switch
        {
            IMethodBodyOperation method => method.BlockBody ?? method.ExpressionBody,
            IBlockOperation arrow => arrow,
            _ => null,
        };
        var returned = block is { Operations.Length: 1 } && block.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value : null;
        return returned is IFieldReferenceOperation { Field: { IsVolatile: false, IsReadOnly: false, IsConst: false } field } && IsOwnOrStatic(returned) ? field : null;
    }

    /// <summary>A field or property of this object, or a static one: the reads in the loop read one location.</summary>
    private static bool IsOwnOrStatic(IOperation reference) => reference switch
    {
        IMemberReferenceOperation { Instance: null } => true,
        IMemberReferenceOperation { Instance: IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } => true,
        _ => false,
    };

    /// <summary>Volatile.Read has overloads for the primitive types and for any class: not for enums and other structs, properties or parameters passed by value.</summary>
    private static bool CanReadVolatile(IOperation read, ISymbol target) =>
        read is IFieldReferenceOperation or ILocalReferenceOperation
        && target is IFieldSymbol or ILocalSymbol
        && (target is IFieldSymbol field ? field.Type : ((ILocalSymbol)target).Type) is { } type
        && (type.IsReferenceType
            || type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16
                or SpecialType.System_UInt16 or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64
                or SpecialType.System_UInt64 or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_Single
                or SpecialType.System_Double);

    /// <summary>
    /// Which execution an operation of the type is part of: the concurrent lambda it is in, the method an entry point
    /// starts (or one it calls), or else the member itself, which runs on its caller's thread.
    /// </summary>
    private sealed class Executions
    {
        private readonly HashSet<IOperation> _lambdas = new();
        private readonly HashSet<ISymbol> _methods = new(SymbolEqualityComparer.Default);

        public Executions(IEnumerable<EntryPoint> entries, Reach reach, CancellationToken cancellationToken)
        {
            foreach (var body in entries.SelectMany(static e => e.Bodies))
            {
                if (body.Function is { } function)
                {
                    _lambdas.Add(function);
                    AddReached(reach.MethodsCalledFrom(function, cancellationToken));
                }
                else if (body.Method is { } method)
                {
                    _methods.Add(method.OriginalDefinition);
                    AddReached(reach.MethodsCalledFrom(method.OriginalDefinition, cancellationToken));
                }
            }
        }

        private void AddReached(ImmutableArray<ReachedMethod> reached)
        {
            foreach (var method in reached)
            {
                _methods.Add(method.Method.OriginalDefinition);
            }
        }

        public (object Key, bool IsConcurrent) Of(IOperation operation, ISymbol member)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation && _lambdas.Contains(current))
                {
                    return (current, true);
                }
            }

            var method = member is IMethodSymbol { AssociatedSymbol: IPropertySymbol } accessor ? accessor : member;
            return (member, _methods.Contains(method.OriginalDefinition));
        }
    }
}
