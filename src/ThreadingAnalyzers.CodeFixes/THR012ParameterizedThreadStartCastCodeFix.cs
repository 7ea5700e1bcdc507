using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR012 fix "Pass a typed argument through a lambda": <c>new Thread(Work)</c> ... <c>t.Start(job)</c> becomes
/// <c>new Thread(() =&gt; Work(job))</c> ... <c>t.Start()</c>, and <c>Work(object state)</c> with <c>(Job)state</c>
/// becomes <c>Work(Job state)</c> with <c>state</c>. Offered only when the change cannot alter what the thread sees:
/// the argument is a constant, or a local or parameter that is in scope at the creation and never written after its
/// declaration (the lambda reads it when the thread runs, Start read it when it was called); and Work is a private
/// method of the same type that nothing else names, whose parameter is used only through casts to one type.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR012ParameterizedThreadStartCastCodeFix)), Shared]
public sealed class THR012ParameterizedThreadStartCastCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR012.TypedLambda";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR012.Id);

    protected override bool NeedsSemanticModel => true;

    // Each diagnostic changes its own creation, Start and method (a method named once belongs to one diagnostic).
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan.Of(root, model!, diagnostic, cancellationToken) is not null)
        {
            yield return new FixOffer("Pass a typed argument through a lambda", EquivalenceKey);
        }
    }

    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
        {
            if (Plan.Of(editor.OriginalRoot, editor.SemanticModel, diagnostic, cancellationToken) is { } plan)
            {
                plan.Apply(editor);
            }
        }

        return editor.GetChangedDocument();
    }

    private sealed class Plan
    {
        private ExpressionSyntax _body = null!;
        private ExpressionSyntax _argument = null!;
        private InvocationExpressionSyntax _start = null!;
        private ParameterSyntax _parameter = null!;
        private TypeSyntax _newType = null!;
        private List<(ExpressionSyntax Cast, ExpressionSyntax Operand)> _casts = null!;

        public static Plan? Of(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (diagnostic.AdditionalLocations.Count != 1
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } creation
                || arguments[0].Expression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Name: IdentifierNameSyntax })
                || root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } startArguments } start
                || startArguments[0] is not { NameColon: null } argument
                || !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            {
                return null;
            }

            var body = arguments[0].Expression;
            if (model.GetSymbolInfo(body, cancellationToken).Symbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private, IsGenericMethod: false, Parameters.Length: 1 } method
                || method.Parameters[0] is not { RefKind: RefKind.None, IsParams: false } parameter
                || model.GetEnclosingSymbol(creation.SpanStart, cancellationToken)?.ContainingType is not { } type
                || !SymbolEqualityComparer.Default.Equals(type, method.ContainingType)
                || type.DeclaringSyntaxReferences.Length != 1
                || method.DeclaringSyntaxReferences.Length != 1
                || method.DeclaringSyntaxReferences[0].SyntaxTree != root.SyntaxTree
                || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax { ParameterList.Parameters.Count: 1 } declaration
                || declaration.ParameterList.Parameters[0] is not { Type: { } parameterType } parameterSyntax
                || type.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not TypeDeclarationSyntax typeDeclaration
                || NamesOf(typeDeclaration, method, model, cancellationToken) != 1
                || Casts(declaration, parameter, model, cancellationToken) is not ({ } castType, { } castTypeSyntax, { } casts)
                || !IsStableArgument(argument.Expression, creation, model, cancellationToken))
            {
                return null;
            }

            var conversion = model.ClassifyConversion(argument.Expression, castType);
            if (!conversion.Exists || !conversion.IsImplicit)
            {
                return null;
            }

            // object? becomes Job?: the annotation says the argument may be null, which the cast did not check either.
            var newType = castTypeSyntax.WithoutTrivia();
            if (parameterType is NullableTypeSyntax && castType.IsReferenceType && newType is not NullableTypeSyntax)
            {
                newType = NullableType(newType);
            }

            return new Plan
            {
                _body = body,
                _argument = argument.Expression,
                _start = start,
                _parameter = parameterSyntax,
                _newType = newType.WithTriviaFrom(parameterType),
                _casts = casts,
            };
        }

        public void Apply(DocumentEditor editor)
        {
            var call = InvocationExpression(_body.WithoutTrivia(), ArgumentList(SingletonSeparatedList(Argument(_argument.WithoutTrivia()))));
            editor.ReplaceNode(_body, ParenthesizedLambdaExpression(call).WithTriviaFrom(_body));
            editor.ReplaceNode(_start.ArgumentList, ArgumentList().WithTriviaFrom(_start.ArgumentList));
            editor.ReplaceNode(_parameter.Type!, _newType);
            foreach (var (cast, operand) in _casts)
            {
                editor.ReplaceNode(cast, operand.WithoutTrivia().WithTriviaFrom(cast));
            }
        }

        /// <summary>How many names in the type bind to <paramref name="method"/> (the creation's own included).</summary>
        private static int NamesOf(TypeDeclarationSyntax type, IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken) =>
            type.DescendantNodes().OfType<IdentifierNameSyntax>().Count(name =>
                name.Identifier.ValueText == method.Name
                && model.GetSymbolInfo(name, cancellationToken) is var info
                && (SymbolEqualityComparer.Default.Equals(info.Symbol, method) || info.CandidateSymbols.Contains(method, SymbolEqualityComparer.Default)));

        /// <summary>
        /// The one type that every use of the parameter casts it to (<c>(Job)state</c>, <c>state as Job</c>), as written, with
        /// the expressions to replace (a cast's enclosing parentheses included) by the parameter (with its <c>!</c>, if any); null
        /// when a use is no cast.
        /// </summary>
        private static (ITypeSymbol? Type, TypeSyntax? Syntax, List<(ExpressionSyntax Cast, ExpressionSyntax Operand)>? Casts) Casts(
            MethodDeclarationSyntax declaration, IParameterSymbol parameter, SemanticModel model, CancellationToken cancellationToken)
        {
            ITypeSymbol? type = null;
            TypeSyntax? typeSyntax = null;
            var casts = new List<(ExpressionSyntax Cast, ExpressionSyntax Operand)>();
            foreach (var name in declaration.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText != parameter.Name
                    || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, parameter))
                {
                    continue;
                }

                // (Job)state! keeps its `!`: the parameter becomes Job? where it was object?.
                ExpressionSyntax operand = name.Parent is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed ? suppressed : name;
                ExpressionSyntax cast;
                TypeSyntax written;
                switch (operand.Parent)
                {
                    case CastExpressionSyntax castExpression when castExpression.Expression == operand:
                        (cast, written) = (castExpression, castExpression.Type);
                        break;
                    case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AsExpression, Right: TypeSyntax asType } asExpression when asExpression.Left == operand:
                        (cast, written) = (asExpression, asType);
                        break;
                    default:
                        return default;
                }

                var castType = model.GetTypeInfo(cast, cancellationToken).Type;
                if (castType is null or { TypeKind: TypeKind.Error } || (type is not null && !SymbolEqualityComparer.Default.Equals(type, castType)))
                {
                    return default;
                }

                (type, typeSyntax) = (castType, typeSyntax ?? written);
                casts.Add((cast.Parent is ParenthesizedExpressionSyntax parentheses ? parentheses : cast, operand));
            }

            return casts.Count == 0 ? default : (type, typeSyntax, casts);
        }

        /// <summary>
        /// Whether the lambda reads the value Start was given: a constant, or a local or parameter that is in scope at the
        /// creation, declared before it and not written anywhere but in its declaration.
        /// </summary>
        private static bool IsStableArgument(ExpressionSyntax argument, SyntaxNode creation, SemanticModel model, CancellationToken cancellationToken)
        {
            if (model.GetConstantValue(argument, cancellationToken).HasValue)
            {
                return true;
            }

            if (argument is not IdentifierNameSyntax name
                || model.GetSymbolInfo(name, cancellationToken).Symbol is not ({ Kind: SymbolKind.Local or SymbolKind.Parameter } variable)
                || variable is ILocalSymbol { IsRef: true } or IParameterSymbol { RefKind: not RefKind.None }
                || variable.DeclaringSyntaxReferences.Length != 1
                || variable.DeclaringSyntaxReferences[0].Span.End > creation.SpanStart
                || !model.LookupSymbols(creation.SpanStart, name: variable.Name).Contains(variable, SymbolEqualityComparer.Default))
            {
                return false;
            }

            var scope = creation.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? (SyntaxNode)creation.SyntaxTree.GetRoot(cancellationToken);
            return !scope.DescendantNodes().OfType<IdentifierNameSyntax>().Any(use =>
                use.Identifier.ValueText == variable.Name
                && IsWritten(use)
                && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(use, cancellationToken).Symbol, variable));
        }

        private static bool IsWritten(IdentifierNameSyntax use) =>
            use.Parent is RefExpressionSyntax
                or PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }
                or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression }
            || (use.Parent is ArgumentSyntax argument && !argument.RefKindKeyword.IsKind(SyntaxKind.None))
            || use.Ancestors().OfType<AssignmentExpressionSyntax>().Any(assignment => assignment.Left.Span.Contains(use.Span));
    }
}
