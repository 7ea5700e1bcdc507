using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR013: a field that the type writes (or mutates, for a collection that is not safe to share) while holding a lock
/// somewhere, so its authors share it between threads, and writes, mutates or (collection) reads elsewhere without that
/// lock, after construction. The lock is the evidence: no thread needs to be in sight.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR013InconsistentSynchronizationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Present when one lock guards the field everywhere it is guarded: how the fix writes it (<c>_sync</c>, <c>this</c>, <c>typeof(C)</c>).</summary>
    internal const string GateProperty = "THR013.Gate";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR013);

    public override void Initialize(AnalysisContext context)
    {
        // Generated files are not analyzed; reports are checked against [GeneratedCode] here (GeneratedCode), which the
        // driver would otherwise do by walking each reported tree's declarations (as for THR010).
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var types = ThreadingTypes.From(start.Compilation, start.Options);
            start.RegisterSymbolStartAction(
                symbolStart =>
                {
                    // The outermost type answers for the types nested in it, at its end: the lock model covers them all
                    // (a nested type calls its container's private methods), and by then the driver has built every
                    // member's operation tree, which the model would otherwise bind itself at a nested type's end.
                    if (symbolStart.Symbol is INamedTypeSymbol { ContainingType: null } type && MayLock(type, symbolStart.CancellationToken))
                    {
                        LockingTypes.AnalyzeAtEnd(symbolStart, end => AnalyzeTypes(end, type, types));
                    }
                    else if (symbolStart.Symbol is INamedTypeSymbol { ContainingType: not null } nested
                        && MayLock(LockingTypes.Outermost(nested), symbolStart.CancellationToken))
                    {
                        LockingTypes.BuildNested(symbolStart);
                    }
                },
                SymbolKind.NamedType);
        });
    }

    private static void AnalyzeTypes(SymbolAnalysisContext context, INamedTypeSymbol type, ThreadingTypes types)
    {
        if (type.TypeKind is TypeKind.Class or TypeKind.Struct && HasReportableField(type, types))
        {
            AnalyzeType(context, type, types);
        }

        // The members the type keeps, not GetTypeMembers(), which builds a new array of them for every type asked.
        foreach (var member in type.GetMembers())
        {
            if (member is INamedTypeSymbol nested && MayLock(nested, context.CancellationToken))
            {
                AnalyzeTypes(context, nested, types);
            }
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol type, ThreadingTypes types)
    {
        var locks = LockModel.For(context.Compilation).ForType(type);
        var accesses = new List<FieldAccess>();
        using (RecentlyComputed.Open())
        {
            foreach (var function in locks.Functions)
            {
                if (SymbolEqualityComparer.Default.Equals(function.Member.ContainingType, type) && !function.HasErrors)
                {
                    THR013FieldAccesses.Collect(function, type, types, accesses);
                }
            }

            if (!MayBeGuarded(accesses, locks))
            {
                return;
            }

            LockedFunction? last = null;
            var onEntry = ImmutableArray<HeldLock>.Empty;
            foreach (var access in accesses)
            {
                if (!ReferenceEquals(access.Function, last))
                {
                    last = access.Function;
                    onEntry = locks.HeldOnEntry(last);
                }

                access.AddHeldOnEntry(onEntry);
            }
        }

        var silent = new SilentMembers(locks);
        var byField = new Dictionary<IFieldSymbol, List<FieldAccess>>(SymbolEqualityComparer.Default);
        foreach (var access in accesses)
        {
            if (silent.IsSilent(access.Function))
            {
                continue;
            }

            if (!byField.TryGetValue(access.Field, out var list))
            {
                byField.Add(access.Field, list = new List<FieldAccess>());
            }

            list.Add(access);
        }

        // A lock object that is assigned anew is THR018's concern, not a race on data: its writes are left out.
        var gates = GateFields(accesses);
        foreach (var pair in byField)
        {
            if (gates.Contains(pair.Key))
            {
                pair.Value.RemoveAll(static access => access.Kind == FieldAccessKind.Written);
            }

            ReportField(context, pair.Value, types);
        }
    }

    /// <summary>
    /// Whether the type has a field that an access can be reported on, asked before its lock model is built. Only writes
    /// and collection calls are: a readonly field is written by constructors (silent) and init accessors only, so one
    /// that holds no collection (nor a type parameter, which may be one) has no access to report in a type without init.
    /// </summary>
    private static bool HasReportableField(INamedTypeSymbol type, ThreadingTypes types)
    {
        var members = type.GetMembers();
        var hasInit = false;
        foreach (var member in members)
        {
            if (member is IMethodSymbol { IsInitOnly: true })
            {
                hasInit = true;
                break;
            }
        }

        foreach (var member in members)
        {
            if (member is IFieldSymbol { IsConst: false, IsVolatile: false, IsImplicitlyDeclared: false } field
                && (!field.IsReadOnly || hasInit || field.Type.TypeKind == TypeKind.TypeParameter || types.IsUnsynchronizedCollection(field.Type))
                && !ThreadingTypes.HasAttribute(field, types.ThreadStaticAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a write or mutation may hold a lock that <see cref="ReportField"/> takes for the field's gate: without one
    /// nothing is reported, and the calls of the whole type, which only a private method's locks on entry need, are not
    /// looked for. A Synchronized method's lock is taken to be one.
    /// </summary>
    private static bool MayBeGuarded(List<FieldAccess> accesses, TypeLocks locks)
    {
        List<FieldAccess>? inheriting = null;
        foreach (var access in accesses)
        {
            if (access.Kind == FieldAccessKind.Read)
            {
                continue;
            }

            if (MayGuard(access.Held, access.Field))
            {
                return true;
            }

            if (access.Function.Method is { } method)
            {
                if (LockSet.IsSynchronized(method))
                {
                    return true;
                }

                if (TypeLocks.InheritsCallersLocks(method.OriginalDefinition))
                {
                    (inheriting ??= new List<FieldAccess>()).Add(access);
                }
            }
        }

        if (inheriting is not null)
        {
            foreach (var access in inheriting)
            {
                if (MayGuard(locks.Inherited(access.Function.Method!), access.Field))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MayGuard(ImmutableArray<HeldLock> held, IFieldSymbol field)
    {
        foreach (var item in held)
        {
            if (!item.IsReadLock && item.Identity.IsTypeWide && !IsOtherData(item.Identity, field))
            {
                return true;
            }
        }

        return false;
    }

    private static void ReportField(SymbolAnalysisContext context, List<FieldAccess> accesses, ThreadingTypes types)
    {
        // The lock that guards the most guarded writes; the others that guard some are the "two different locks" case.
        var counts = new Dictionary<LockIdentity, int>();
        var order = new List<LockIdentity>();
        foreach (var access in accesses)
        {
            if (access.Kind == FieldAccessKind.Read)
            {
                continue;
            }

            foreach (var held in access.Held)
            {
                if (held.IsReadLock || IsOtherData(held.Identity, access.Field))
                {
                    continue;
                }

                if (held.Identity.IsTypeWide && !order.Contains(held.Identity))
                {
                    order.Add(held.Identity);
                }

                if (held.Identity.IsTypeWide)
                {
                    counts[held.Identity] = counts.TryGetValue(held.Identity, out var count) ? count + 1 : 1;
                }
            }
        }

        if (order.Count == 0)
        {
            return;
        }

        var gate = order[0];
        foreach (var identity in order)
        {
            if (counts[identity] > counts[gate])
            {
                gate = identity;
            }
        }

        FieldAccess? guarded = null;
        foreach (var access in accesses)
        {
            if (access.Kind != FieldAccessKind.Read && HoldsForWriting(access.Held, gate))
            {
                guarded = access;
                break;
            }
        }

        var properties = order.Count == 1 && GateText(gate) is { } text
            ? ImmutableDictionary<string, string?>.Empty.Add(GateProperty, text)
            : ImmutableDictionary<string, string?>.Empty;
        var reported = new HashSet<SyntaxNode>();
        foreach (var access in accesses)
        {
            if (!IsUnguarded(access, gate) || !reported.Add(StatementOf(access.Operation.Syntax))
                || GeneratedCode.Contains(access.Operation.Syntax.GetLocation(), context.Compilation, types.GeneratedCodeAttribute, context.CancellationToken))
            {
                continue;
            }

            var line = guarded!.Operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.THR013,
                access.Operation.Syntax.GetLocation(),
                new[] { guarded.Operation.Syntax.GetLocation() },
                access.Held.IsEmpty ? properties : ImmutableDictionary<string, string?>.Empty,
                access.Field.Name,
                Verb(access.Kind),
                gate.Name,
                Symbols.MemberName(guarded.Function.Member),
                line.ToString(CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Not under the gate, and under no lock that might be it (a local, a call's result, another object's field).</summary>
    private static bool IsUnguarded(FieldAccess access, LockIdentity gate)
    {
        foreach (var held in access.Held)
        {
            if (held.Identity.Equals(gate) ? !held.IsReadLock || access.Kind == FieldAccessKind.Read : !held.Identity.IsTypeWide)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A static collection locked while an instance field is changed: the lock guards the collection it names (the
    /// shared registry an instance copies from), not the instance's own state.
    /// </summary>
    private static bool IsOtherData(LockIdentity identity, IFieldSymbol field) =>
        !field.IsStatic && identity is { Kind: LockIdentityKind.Member, Symbol: IFieldSymbol { IsStatic: true, Type: { SpecialType: not SpecialType.System_Object } gateType } }
        && gateType.Name != "Lock";

    private static bool HoldsForWriting(ImmutableArray<HeldLock> held, LockIdentity gate)
    {
        foreach (var item in held)
        {
            if (!item.IsReadLock && item.Identity.Equals(gate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The fields that some access locks on.</summary>
    private static HashSet<IFieldSymbol> GateFields(List<FieldAccess> accesses)
    {
        var gates = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        foreach (var access in accesses)
        {
            foreach (var held in access.Held)
            {
                if (held.Identity is { Kind: LockIdentityKind.Member, Symbol: IFieldSymbol field })
                {
                    gates.Add(field);
                }
            }
        }

        return gates;
    }

    private static string? GateText(LockIdentity gate) => gate.Kind switch
    {
        LockIdentityKind.This => "this",
        LockIdentityKind.TypeOf => "typeof(" + gate.Symbol!.Name + ")",
        LockIdentityKind.Member when gate.Symbol is IFieldSymbol => gate.Symbol.Name,
        _ => null,
    };

    private static SyntaxNode StatementOf(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax)
            {
                return current;
            }
        }

        return node;
    }

    private static string Verb(FieldAccessKind kind) => kind switch
    {
        FieldAccessKind.Written => "written",
        FieldAccessKind.Modified => "modified",
        _ => "read",
    };

    /// <summary>
    /// Whether a declaration of the type can take a lock at all: a <c>lock</c>, a call whose name acquires, or a
    /// Synchronized attribute. Compared on tokens before any operation is built.
    /// </summary>
    private static bool MayLock(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken) =>
        LockingTypes.MayTakeLock(
            type,
            static name => name is "Enter" or "TryEnter" or "Synchronized" or "Wait" or "WaitOne" or "WaitAsync" or "EnterWriteLock" or "EnterUpgradeableReadLock" or "EnterScope",
            cancellationToken);

    /// <summary>
    /// Members that set the object up or tear it down (Init*, Initialize*, Close*, Dispose*): the host calls them
    /// before the workers start or after they are stopped, and a write there meets no guarded code.
    /// </summary>
    private static bool IsLifecycle(string name) =>
        name.StartsWith("Init", System.StringComparison.Ordinal) || name.StartsWith("Close", System.StringComparison.Ordinal)
        || name.StartsWith("Dispose", System.StringComparison.Ordinal);

    /// <summary>
    /// Members that run before the object is shared (constructors and the private members only they call) or never
    /// (private members that nothing calls). Lambdas written in a constructor run later: they are not silent.
    /// </summary>
    private sealed class SilentMembers
    {
        private readonly TypeLocks _locks;
        private readonly Dictionary<IMethodSymbol, bool> _known = new(SymbolEqualityComparer.Default);

        public SilentMembers(TypeLocks locks) => _locks = locks;

        public bool IsSilent(LockedFunction function) => function.Method is { } method && IsSilent(method, depth: 0);

        private bool IsSilent(IMethodSymbol method, int depth)
        {
            if (method.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor)
            {
                return true;
            }

            if (IsLifecycle(method.Name))
            {
                return true;
            }

            if (!TypeLocks.IsPrivate(method) || _locks.Escapes(method) || depth > 8)
            {
                return false;
            }

            if (_known.TryGetValue(method, out var known))
            {
                return known;
            }

            // Assumed while its callers are asked, so that recursion among constructor helpers stays silent.
            _known[method] = true;
            var silent = true;
            foreach (var (_, caller) in _locks.CallersOf(method))
            {
                if (caller.Method is not { } callerMethod || !IsSilent(callerMethod, depth + 1))
                {
                    silent = false;
                    break;
                }
            }

            _known[method] = silent;
            return silent;
        }
    }
}
