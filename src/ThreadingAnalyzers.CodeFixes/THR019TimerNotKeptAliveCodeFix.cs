using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR019 fix "Keep the timer in a field": adds <c>private System.Threading.Timer? _timer;</c> (static in a static member,
/// <c>?</c> where nullable annotations are on, a new name per timer) and stores the timer in it: the discarded
/// <c>new Timer(...)</c> or the local's declaration becomes <c>_timer = new Timer(...);</c>, and a local that other
/// statements use is kept and followed by <c>_timer = t;</c>. When the type has a <c>Dispose()</c> method, it ends with
/// <c>_timer?.Dispose();</c>. Not offered in top-level statements (no type to hold the field), in structs and interfaces
/// (a copy of a struct, or no instance field, would not hold the timer), in a loop (one field keeps only the last of the
/// timers), in field initializers and static lambdas (no instance field in reach).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR019TimerNotKeptAliveCodeFix)), Shared]
public sealed class THR019TimerNotKeptAliveCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR019.KeepInField";

    private const string FieldName = "_timer";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR019.Id);

    protected override bool NeedsSemanticModel => true;

    // Timers of one type get fields with different names, and one Dispose gets all of their Dispose calls.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Site.Of(root, model!, diagnostic, cancellationToken) is not null)
        {
            yield return new FixOffer("Keep the timer in a field", EquivalenceKey);
        }
    }

    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        var taken = new HashSet<string>();
        var fields = new Dictionary<TypeDeclarationSyntax, List<SyntaxNode>>();
        var disposals = new Dictionary<MethodDeclarationSyntax, List<StatementSyntax>>();
        // The file's own line ends, elastic so that the formatter still places the statements.
        var lineEnd = editor.OriginalRoot.DescendantTrivia().FirstOrDefault(static t => t.IsKind(SyntaxKind.EndOfLineTrivia));
        var endOfLine = ElasticEndOfLine(lineEnd.IsKind(SyntaxKind.EndOfLineTrivia) ? lineEnd.ToString() : "\n");
        foreach (var diagnostic in diagnostics.OrderBy(static d => d.Location.SourceSpan.Start))
        {
            if (Site.Of(editor.OriginalRoot, model, diagnostic, cancellationToken) is not { } site)
            {
                continue;
            }

            var name = Enumerable.Range(1, 100)
                .Select(static i => i == 1 ? FieldName : FieldName + i.ToString(CultureInfo.InvariantCulture))
                .First(n => !taken.Contains(n) && site.IsFree(n, model, cancellationToken));
            taken.Add(name);
            site.Store(editor, name);
            Add(fields, site.Type, NewField(name, site, model));
            if (!site.IsStatic && DisposeMethod(site.Type) is { } dispose)
            {
                Add(disposals, dispose, ParseStatement(name + "?.Dispose();").WithTrailingTrivia(endOfLine).WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        foreach (var pair in fields)
        {
            LockGates.Insert(editor, pair.Key, pair.Value);
        }

        foreach (var pair in disposals)
        {
            AddToDispose(editor, pair.Key, pair.Value, endOfLine);
        }

        return editor.GetChangedDocument();
    }

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> lists, TKey key, TValue value)
        where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = new List<TValue>();
        }

        list.Add(value);
    }

    /// <summary><c>private (static) System.Threading.Timer? name;</c>, written in full for the cleanup to shorten.</summary>
    private static SyntaxNode NewField(string name, Site site, SemanticModel model)
    {
        TypeSyntax type = ParseTypeName("global::System.Threading.Timer").WithAdditionalAnnotations(Simplifier.Annotation);
        if (model.GetNullableContext(site.Type.OpenBraceToken.SpanStart).AnnotationsEnabled())
        {
            type = NullableType(type);
        }

        var modifiers = site.IsStatic
            ? TokenList(Token(SyntaxKind.PrivateKeyword), Token(SyntaxKind.StaticKeyword))
            : TokenList(Token(SyntaxKind.PrivateKeyword));
        return FieldDeclaration(VariableDeclaration(type).AddVariables(VariableDeclarator(name)))
            .WithModifiers(modifiers)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>The type's own parameterless <c>Dispose()</c> returning void, with a body (a block or an expression).</summary>
    private static MethodDeclarationSyntax? DisposeMethod(TypeDeclarationSyntax type) =>
        type.Members.OfType<MethodDeclarationSyntax>().FirstOrDefault(static method =>
            method.Identifier.ValueText == "Dispose"
            && method.ParameterList.Parameters.Count == 0
            && method.TypeParameterList is null
            && method.ReturnType is PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.VoidKeyword }
            && !method.Modifiers.Any(SyntaxKind.StaticKeyword)
            && (method.Body is not null || method.ExpressionBody is not null));

    /// <summary>Appends the statements to the Dispose body; an expression body becomes a block that runs it first.</summary>
    private static void AddToDispose(DocumentEditor editor, MethodDeclarationSyntax dispose, List<StatementSyntax> statements, SyntaxTrivia endOfLine)
    {
        if (dispose.Body is { } body)
        {
            editor.ReplaceNode(body, (current, _) => ((BlockSyntax)current).AddStatements(statements.ToArray()).WithAdditionalAnnotations(Formatter.Annotation));
            return;
        }

        editor.ReplaceNode(dispose, (current, _) =>
        {
            var method = (MethodDeclarationSyntax)current;
            var first = ExpressionStatement(method.ExpressionBody!.Expression.WithoutTrivia()).WithTrailingTrivia(endOfLine);
            return method
                .WithExpressionBody(null)
                .WithSemicolonToken(default)
                .WithBody(Block(new[] { first }.Concat(statements)))
                .WithTrailingTrivia(method.SemicolonToken.TrailingTrivia)
                .WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    /// <summary>Where the timer is made, and how the fix stores it.</summary>
    private sealed class Site
    {
        private ExpressionSyntax _creation = null!;
        private string? _keptLocal;

        public TypeDeclarationSyntax Type { get; private set; } = null!;

        public bool IsStatic { get; private set; }

        public static Site? Of(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation
                || creation.Ancestors().FirstOrDefault(static a => a is MemberDeclarationSyntax or GlobalStatementSyntax) is not BaseMethodDeclarationSyntax and not BasePropertyDeclarationSyntax
                || creation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
                || type is not (ClassDeclarationSyntax or RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword })
                || creation.Ancestors().TakeWhile(static a => a is not MemberDeclarationSyntax)
                    .Any(static a => a is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                        || (a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax && IsStaticFunction(a))))
            {
                return null;
            }

            var member = creation.Ancestors().First(static a => a is MemberDeclarationSyntax);
            if (member is BasePropertyDeclarationSyntax && !creation.Ancestors().Any(static a => a is AccessorDeclarationSyntax))
            {
                return null; // a property's initializer cannot reach instance fields
            }

            var site = new Site
            {
                _creation = creation,
                Type = type,
                IsStatic = model.GetDeclaredSymbol(member, cancellationToken)?.IsStatic ?? false,
            };
            diagnostic.Properties.TryGetValue(THR019TimerNotKeptAliveAnalyzer.LocalProperty, out site._keptLocal);
            return site.StoreStatement() is not null ? site : null;
        }

        private static bool IsStaticFunction(SyntaxNode function) => function switch
        {
            AnonymousFunctionExpressionSyntax lambda => lambda.Modifiers.Any(SyntaxKind.StaticKeyword),
            LocalFunctionStatementSyntax local => local.Modifiers.Any(SyntaxKind.StaticKeyword),
            _ => false,
        };

        /// <summary>
        /// The statement to change: the creation as a statement (<c>new Timer(...);</c>, <c>_ = new Timer(...);</c>), the
        /// local's declaration, or the assignment to the local, in a block or a switch section; null for other shapes.
        /// </summary>
        private StatementSyntax? StoreStatement()
        {
            StatementSyntax? statement = _creation.Parent switch
            {
                ExpressionStatementSyntax expression => expression,
                AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax expression } => expression,
                EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax declaration } } } => declaration,
                _ => null,
            };
            return statement?.Parent is BlockSyntax or SwitchSectionSyntax ? statement : null;
        }

        /// <summary>Whether a field named <paramref name="name"/> is free: no member, local or other name of the type uses it.</summary>
        public bool IsFree(string name, SemanticModel model, CancellationToken cancellationToken) =>
            Type.Identifier.ValueText != name
            && model.GetDeclaredSymbol(Type, cancellationToken) is { } typeSymbol
            && !typeSymbol.MemberNames.Contains(name)
            && model.LookupSymbols(_creation.SpanStart, name: name).IsEmpty
            && !Type.DescendantTokens().Any(token => token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name);

        public void Store(DocumentEditor editor, string name)
        {
            var statement = StoreStatement()!;
            var field = IdentifierName(name);
            switch (_creation.Parent)
            {
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } discard }:
                    editor.ReplaceNode(discard, field.WithTriviaFrom(discard));
                    break;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax local }:
                    editor.InsertAfter(statement, Assign(field, IdentifierName(local.Identifier.WithoutTrivia())));
                    break;
                case ExpressionStatementSyntax:
                    editor.ReplaceNode(_creation, AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, field, _creation.WithoutTrivia()).WithTriviaFrom(_creation));
                    break;
                case EqualsValueClauseSyntax
                    when _keptLocal is null && statement is LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 }:
                    editor.ReplaceNode(statement, ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, field, _creation.WithoutTrivia()))
                        .WithTriviaFrom(statement));
                    break;
                case EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }:
                    editor.InsertAfter(statement, Assign(field, IdentifierName(declarator.Identifier.WithoutTrivia())));
                    break;
            }
        }

        private static StatementSyntax Assign(ExpressionSyntax target, ExpressionSyntax value) =>
            ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, target, value)).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
