using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Internals;

/// <summary>Writes of a field that a <c>readonly</c> field would not allow.</summary>
internal static class FieldWrites
{
    /// <summary>
    /// The first write of <paramref name="field"/>, in the source of its type (every partial part, nested types included),
    /// that <c>readonly</c> would not allow: anywhere but the type's own constructors (static ones for a static field) on
    /// <c>this</c>, or an <c>init</c> accessor. Null when there is none. Code outside the type is not searched: only a
    /// private field is decided from its type alone.
    /// </summary>
    public static FieldWrite? FirstWriteReadonlyForbids(IFieldSymbol field, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var declaration in field.ContainingType.DeclaringSyntaxReferences)
        {
            var tree = declaration.SyntaxTree;
            var node = declaration.GetSyntax(cancellationToken);
            SemanticModel? model = null;
            foreach (var token in TokensNamed(node, field.Name, cancellationToken))
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != field.Name || token.Parent is not IdentifierNameSyntax name)
                {
                    continue;
                }

                SyntaxNode access = name.Parent is MemberAccessExpressionSyntax member && member.Name == name ? member : name;
                if (!MayBeWritten(access))
                {
                    // A read (lock (_gate), Monitor.Enter(_gate)) needs no binding: at a type's end the driver may have
                    // let go of the file's semantic model, and asking one binds the whole member again.
                    continue;
                }

                // The analyzer driver's compilation caches its semantic models, so this is the shared model (RS1030's concern).
                model ??= compilation.GetSemanticModel(tree);
                if (model.GetOperation(access, cancellationToken) is IFieldReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field)
                    && ValueWrites.IsWritten(reference)
                    && !IsConstruction(reference, field, model, cancellationToken))
                {
                    // The whole statement a reader looks for: the assignment, or the call that takes the field by ref.
                    var write = reference.Parent is IArgumentOperation { Parent: { } call } ? call : reference.Parent ?? reference;
                    return new FieldWrite(write.Syntax.GetLocation(), MemberName(model.GetEnclosingSymbol(access.SpanStart, cancellationToken)));
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether syntax lets <paramref name="access"/> be stored into, as <see cref="ValueWrites.IsWritten"/> decides from
    /// its operation: the target of an assignment, an increment or decrement, an element of a tuple (a deconstruction),
    /// an argument passed by <c>ref</c> or <c>out</c>, or taken by <c>ref</c>; parentheses and <c>!</c> looked through.
    /// A call to a COM interface may pass by ref without the keyword: not a lock field's use, so not searched for.
    /// </summary>
    internal static bool MayBeWritten(SyntaxNode access)
    {
        var node = access;
        while (node.Parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            node = node.Parent;
        }

        return node.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == node,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => node.Parent.Kind() is SyntaxKind.PreIncrementExpression
                or SyntaxKind.PreDecrementExpression or SyntaxKind.PostIncrementExpression or SyntaxKind.PostDecrementExpression,
            ArgumentSyntax argument => argument.Parent is TupleExpressionSyntax || !argument.RefKindKeyword.IsKind(SyntaxKind.None) && !argument.RefKindKeyword.IsKind(SyntaxKind.InKeyword),
            RefExpressionSyntax => true,
            _ => false,
        };
    }

    /// <summary>
    /// The tokens of <paramref name="node"/> that can be the identifier <paramref name="name"/>, in source order: those
    /// where the text spells it, found with a text search instead of a walk of every token of the type (a large type is
    /// searched once per locked field); every token when the text holds a Unicode escape, which may spell it too.
    /// </summary>
    private static System.Collections.Generic.IEnumerable<SyntaxToken> TokensNamed(SyntaxNode node, string name, CancellationToken cancellationToken)
    {
        var text = node.SyntaxTree.GetText(cancellationToken).ToString();
        var span = node.Span;
        var escape = text.IndexOf('\\', span.Start, span.Length);
        while (escape >= 0 && escape + 1 < span.End && text[escape + 1] is not ('u' or 'U'))
        {
            escape = escape + 1 < span.End ? text.IndexOf('\\', escape + 1, span.End - escape - 1) : -1;
        }

        if (escape >= 0)
        {
            foreach (var token in node.DescendantTokens())
            {
                yield return token;
            }

            yield break;
        }

        for (var index = text.IndexOf(name, span.Start, span.Length, System.StringComparison.Ordinal); index >= 0;
             index = index + name.Length < span.End ? text.IndexOf(name, index + name.Length, span.End - index - name.Length, System.StringComparison.Ordinal) : -1)
        {
            var token = node.FindToken(index);
            if (token.SpanStart == index || (token.SpanStart == index - 1 && text[token.SpanStart] == '@'))
            {
                yield return token;
            }
        }
    }

    /// <summary>A write that a readonly field allows: in the type's own constructor (directly, not in a lambda), on this object.</summary>
    private static bool IsConstruction(IFieldReferenceOperation reference, IFieldSymbol field, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetEnclosingSymbol(reference.Syntax.SpanStart, cancellationToken) is not IMethodSymbol method
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, field.ContainingType))
        {
            return false;
        }

        if (field.IsStatic)
        {
            return method.MethodKind == MethodKind.StaticConstructor;
        }

        return (method.MethodKind == MethodKind.Constructor || method.IsInitOnly)
            && reference.Instance is null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };
    }

    /// <summary>The member a write is in, as a reader names it: "a lambda in Reset", a property for its accessor, "the constructor of C".</summary>
    private static string MemberName(ISymbol? symbol)
    {
        string? function = null;
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction } inner)
        {
            function ??= inner.MethodKind == MethodKind.LocalFunction ? "local function " + inner.Name : "a lambda";
            symbol = symbol.ContainingSymbol;
        }

        var name = symbol switch
        {
            IMethodSymbol { AssociatedSymbol: { } property } => property.Name,
            IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor => "the constructor of " + constructor.ContainingType.Name,
            null => "other code",
            _ => symbol.Name,
        };
        return function is null ? name : function + " in " + name;
    }
}

/// <summary>A write of a field: where it is, and the member a message names for it.</summary>
internal sealed class FieldWrite
{
    public FieldWrite(Location location, string memberName)
    {
        Location = location;
        MemberName = memberName;
    }

    public Location Location { get; }

    public string MemberName { get; }
}
