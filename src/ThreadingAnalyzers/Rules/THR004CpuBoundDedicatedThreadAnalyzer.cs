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

/// <summary>THR004: <c>new Thread(body)</c> whose body is a finite CPU-bound computation that the thread pool could run.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR004CpuBoundDedicatedThreadAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The message's name for a thread that is not held in a local or field.</summary>
    internal const string InlineThreadName = "new Thread(...)";

    internal const string TaskRun = "Task.Run";

    internal const string ParallelFor = "Parallel.For";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR004);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            // Nothing is asked of the compilation here (see ThreadingTypes): the first type that names an entry point does.
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // A type whose code cannot create a Thread (its files never name it, no target-typed new) has nothing to report.
                    if (TypeNameText.Thread.MayCreate(symbolStart.Symbol, symbolStart.Compilation) && types.ThreadIsReferenced)
                    {
                        AnalyzeType(symbolStart, types);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    /// <summary>
    /// The threads created in the members of one type. Where they are created only cheap checks run; whether a body is a
    /// finite CPU-bound computation is decided when the type ends, when the driver has built the operation trees of
    /// every member of the type (the methods a body calls are then not bound ahead of the driver).
    /// A thread held in a local, a local collection, or nowhere is decided where it is created; one held in a private
    /// field of the type needs every use of the field in the type first.
    /// </summary>
    private static void AnalyzeType(SymbolStartAnalysisContext context, ThreadingTypes types)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = ThreadUsage.PrivateThreadFields(type, types).ToImmutableHashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        var candidates = new ConcurrentQueue<(IObjectCreationOperation Creation, IFieldSymbol? Field, string Name)>();
        var spoiled = new ConcurrentDictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default);

        context.RegisterOperationAction(operationContext =>
        {
            var creation = (IObjectCreationOperation)operationContext.Operation;
            if (creation.Type?.Name != "Thread" || !types.IsThread(creation.Type) || !IsInType(operationContext.ContainingSymbol, type))
            {
                return;
            }

            if (HeldInField(creation) is { } field)
            {
                if (fields.Contains(field) && !ConfiguresInInitializer(creation))
                {
                    candidates.Enqueue((creation, field, field.Name));
                }
            }
            else if (NameIfUnconfigured(creation, types) is { } name)
            {
                candidates.Enqueue((creation, null, name));
            }
        }, OperationKind.ObjectCreation);

        if (!fields.IsEmpty)
        {
            context.RegisterOperationAction(operationContext =>
            {
                var reference = (IFieldReferenceOperation)operationContext.Operation;
                if (fields.Contains(reference.Field) && UseMayConfigure(reference, types))
                {
                    spoiled[reference.Field] = true;
                }
            }, OperationKind.FieldReference);
        }

        context.RegisterSymbolEndAction(endContext =>
        {
            foreach (var (creation, field, name) in candidates)
            {
                if (field is not null && (spoiled.ContainsKey(field) || IsMentionedInNestedType(type, field.Name, endContext.CancellationToken)))
                {
                    continue;
                }

                if (RunsFiniteCpuBoundWork(creation, types, endContext.CancellationToken))
                {
                    endContext.ReportDiagnostic(Diagnostic.Create(Descriptors.THR004, creation.Syntax.GetLocation(), name, Replacement(creation, types)));
                }
            }
        });
    }

    /// <summary>Whether the member <paramref name="member"/> belongs to <paramref name="type"/> itself, not to a type nested in it.</summary>
    private static bool IsInType(ISymbol member, INamedTypeSymbol type)
    {
        var current = member;
        while (current is not null and not INamedTypeSymbol)
        {
            current = current.ContainingSymbol;
        }

        return SymbolEqualityComparer.Default.Equals(current, type);
    }

    /// <summary>The body is seen, no maxStackSize is asked for, and the body is a finite CPU-bound computation.</summary>
    private static bool RunsFiniteCpuBoundWork(IObjectCreationOperation creation, ThreadingTypes types, CancellationToken cancellationToken)
    {
        if (BrokenCode.InText(OperationTree.Root(creation))
            || creation.Arguments.Any(a => a.Parameter?.Name == "maxStackSize")
            || EntryPoints.TryGet(creation, types) is not { Kind: EntryPointKind.Thread, Bodies.Length: 1 } entry)
        {
            return false;
        }

        return CpuBoundClassifier.Classify(entry.Bodies[0], creation, types, cancellationToken) == BodyWork.FiniteCpuBound;
    }

    /// <summary>The message's {1}: what the fix uses, or what fits where no fix applies (threads started in a <c>for</c> loop).</summary>
    private static string Replacement(IObjectCreationOperation creation, ThreadingTypes types)
    {
        if (THR004ReplacementShapes.TryParallelFor(creation, types) is not null)
        {
            return ParallelFor;
        }

        if (THR004ReplacementShapes.TryTaskRun(creation, types) is not null)
        {
            return TaskRun;
        }

        var entry = EntryPoints.TryGet(creation, types);
        return entry is not null && RunWindow.StartsRepeatedlyInLoop(entry) && NearestLoop(creation) is IForLoopOperation ? ParallelFor : TaskRun;
    }

    private static ILoopOperation? NearestLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop)
            {
                return loop;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The field that the creation is assigned to (or initializes), if any.</summary>
    private static IFieldSymbol? HeldInField(IObjectCreationOperation creation) => OperationTree.Outermost(creation) switch
    {
        { Parent: ISimpleAssignmentOperation { Target: IFieldReferenceOperation field } assignment } value when assignment.Value == value => field.Field,
        { Parent: IFieldInitializerOperation { InitializedFields.Length: 1 } initializer } => initializer.InitializedFields[0],
        _ => null,
    };

    private static bool ConfiguresInInitializer(IObjectCreationOperation creation) =>
        creation.Initializer is not null && creation.Initializer.Initializers.Any(i =>
            i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Priority" or "ApartmentState" } });

    /// <summary>
    /// The message's {0} when nothing gives the thread what the pool cannot (Priority, apartment state), and the thread does
    /// not go where such settings could be made unseen; null otherwise. Follows the thread through the local that holds
    /// it, the local array or List&lt;Thread&gt; it is stored in, and the variables that read it back (foreach, ForEach).
    /// </summary>
    private static string? NameIfUnconfigured(IObjectCreationOperation creation, ThreadingTypes types)
    {
        if (ConfiguresInInitializer(creation))
        {
            return null;
        }

        var outermost = OperationTree.Outermost(creation);
        var threads = new List<ISymbol>();
        var collections = new List<ILocalSymbol>();
        string name;
        switch (outermost.Parent)
        {
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when types.IsThread(declarator.Symbol.Type):
                threads.Add(declarator.Symbol);
                name = declarator.Symbol.Name;
                break;
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when assignment.Value == outermost && types.IsThread(local.Type):
                threads.Add(local.Local);
                name = local.Local.Name;
                break;
            case ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation array } element } assignment
                when assignment.Value == outermost:
                collections.Add(array.Local);
                name = element.Syntax.ToString();
                break;
            case IArgumentOperation argument when StoredIn(argument, types) is { } list:
                collections.Add(list);
                name = InlineThreadName;
                break;
            case IInvocationOperation { TargetMethod.Name: "Start" } start when start.Instance == outermost:
                return InlineThreadName;
            default:
                return null;
        }

        // A worklist: each thread variable's uses may store it in a collection; each collection's uses may read threads back.
        var root = OperationTree.Root(creation);
        var followedThreads = 0;
        var followedCollections = 0;
        while (followedThreads < threads.Count || followedCollections < collections.Count)
        {
            if (followedThreads < threads.Count)
            {
                foreach (var reference in THR004ReplacementShapes.References(root, threads[followedThreads++]))
                {
                    if (StoredIn(reference, types) is { } collection)
                    {
                        AddOnce(collections, collection);
                    }
                    else if (UseMayConfigure(reference, types))
                    {
                        return null;
                    }
                }
            }
            else if (!FollowCollection(root, collections[followedCollections++], threads, types))
            {
                return null;
            }
        }

        return name;
    }

    /// <summary>
    /// Adds to <paramref name="threads"/> the variables that read threads back from <paramref name="collection"/>; false when
    /// the collection is used in a way that could reach code we cannot see, or one of its threads is configured.
    /// </summary>
    private static bool FollowCollection(IOperation root, ILocalSymbol collection, List<ISymbol> threads, ThreadingTypes types)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, collection))
            {
                var value = declarator.GetVariableInitializer()?.Value is { } initializer ? OperationTree.Unwrap(initializer) : null;
                if (value is not (null or IArrayCreationOperation or IObjectCreationOperation { Initializer: null }))
                {
                    return false;
                }
            }
        }

        foreach (var reference in THR004ReplacementShapes.References(root, collection))
        {
            var parent = reference.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IArrayElementReferenceOperation element when element.ArrayReference == reference:
                    if (ThreadUsage.Classify(element, types).Kind != ThreadUseKind.Assigned && UseMayConfigure(element, types))
                    {
                        return false;
                    }

                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: true } item when item.Instance == reference:
                    if (UseMayConfigure(item, types))
                    {
                        return false;
                    }

                    break;
                case IPropertyReferenceOperation { Property.Name: "Length" or "Count" or "Capacity" }:
                    break;
                case IInvocationOperation { TargetMethod.Name: "Add" or "Clear" or "Contains" or "IndexOf" } call when call.Instance == reference:
                    break;
                case IInvocationOperation { TargetMethod.Name: "ForEach", Arguments.Length: 1 } call when call.Instance == reference:
                    if (OperationTree.Unwrap(call.Arguments[0].Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } lambda })
                    {
                        return false;
                    }

                    AddOnce(threads, lambda.Symbol.Parameters[0]);
                    break;
                case IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation variable }:
                    AddOnce(threads, variable.Symbol);
                    break;
                case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                    if (OperationTree.Unwrap(assignment.Value) is not (IArrayCreationOperation or IObjectCreationOperation { Initializer: null }))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary>The local array or List&lt;Thread&gt; that a thread is put into: <c>C[i] = t</c> or <c>C.Add(t)</c>.</summary>
    private static ILocalSymbol? StoredIn(IOperation value, ThreadingTypes types)
    {
        var outermost = OperationTree.Outermost(value);
        return outermost.Parent switch
        {
            ISimpleAssignmentOperation { Target: IArrayElementReferenceOperation { ArrayReference: ILocalReferenceOperation array } } assignment
                when assignment.Value == outermost => array.Local,
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation list } add }
                when list.Type is INamedTypeSymbol named && types.ListOfT is not null
                    && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, types.ListOfT) => list.Local,
            _ => null,
        };
    }

    /// <summary>A use of a thread that sets what the pool cannot give, or hands the thread to code that could.</summary>
    private static bool UseMayConfigure(IOperation reference, ThreadingTypes types)
    {
        var use = ThreadUsage.Classify(reference, types);
        if (use.Kind == ThreadUseKind.Escapes)
        {
            return true;
        }

        return reference.Parent switch
        {
            IInvocationOperation call when call.Instance == reference =>
                CpuBoundClassifier.IsDedicatedThreadSetting(call.TargetMethod.Name, call.TargetMethod.ContainingType, types),
            IPropertyReferenceOperation { Parent: ISimpleAssignmentOperation assignment } property when property.Instance == reference && assignment.Target == property =>
                CpuBoundClassifier.IsDedicatedThreadSetting(property.Property.Name, property.Property.ContainingType, types),
            IConditionalAccessOperation { WhenNotNull: IInvocationOperation call } =>
                CpuBoundClassifier.IsDedicatedThreadSetting(call.TargetMethod.Name, call.TargetMethod.ContainingType, types),
            _ => false,
        };
    }

    private static void AddOnce<T>(List<T> list, T item)
        where T : ISymbol
    {
        if (!list.Any(existing => SymbolEqualityComparer.Default.Equals(existing, item)))
        {
            list.Add(item);
        }
    }

    /// <summary>Private fields are visible to nested types, whose code this type's analysis does not see.</summary>
    private static bool IsMentionedInNestedType(INamedTypeSymbol type, string fieldName, CancellationToken cancellationToken) =>
        type.GetTypeMembers().Any(nested => nested.DeclaringSyntaxReferences
            .Any(reference => reference.GetSyntax(cancellationToken).ToString().Contains(fieldName)));
}
