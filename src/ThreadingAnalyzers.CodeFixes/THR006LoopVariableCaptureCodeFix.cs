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
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Concurrency;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR006: copies the loop variable to a local declared just before the statement that starts the lambda (inside the
/// loop), and makes the lambda read the copy: <c>var iCopy = i; Task.Run(() => Work(iCopy));</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR006LoopVariableCaptureCodeFix)), Shared]
public sealed class THR006LoopVariableCaptureCodeFix : DocumentCodeFix
{
    internal const string EquivalenceKey = "THR006.CopyLoopVariable";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR006.Id);

    protected override bool NeedsSemanticModel => true;

    // Several variables of one statement get their copies in one edit, so one pass per document fixes all.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Plan(root, model!, diagnostic, cancellationToken) is { } plan)
        {
            yield return new FixOffer($"Copy '{plan.Variable.Name}' to a local inside the loop", EquivalenceKey);
        }
    }

    protected override Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string equivalenceKey, CancellationToken cancellationToken) =>
        CopyAsync(document, diagnostics, cancellationToken);

    private sealed class CopyPlan
    {
        public CopyPlan(ISymbol variable, StatementSyntax statement, AnonymousFunctionExpressionSyntax lambda)
        {
            Variable = variable;
            Statement = statement;
            Lambda = lambda;
        }

        public ISymbol Variable { get; }

        /// <summary>The statement that holds the lambda; the copy is declared just before it.</summary>
        public StatementSyntax Statement { get; }

        /// <summary>The outermost lambda of the statement around the reported reference: the one that is started.</summary>
        public AnonymousFunctionExpressionSyntax Lambda { get; }
    }

    private static CopyPlan? Plan(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not IdentifierNameSyntax reference
            || model.GetSymbolInfo(reference, cancellationToken).Symbol is not { Kind: SymbolKind.Local or SymbolKind.Parameter } variable)
        {
            return null;
        }

        var lambda = StartedLambda(model.GetOperation(reference, cancellationToken), ThreadingTypes.From(model.Compilation));
        if (lambda?.Ancestors().OfType<StatementSyntax>().FirstOrDefault() is not { } statement
            || lambda.Ancestors().FirstOrDefault(IsLoop) is not StatementSyntax loop
            || !LoopBody(loop).Span.Contains(statement.Span)
            || statement.Parent is not (BlockSyntax or SwitchSectionSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                or CommonForEachStatementSyntax or IfStatementSyntax or ElseClauseSyntax or UsingStatementSyntax))
        {
            return null;
        }

        return new CopyPlan(variable, statement, lambda);
    }

    /// <summary>The lambda around <paramref name="reference"/> that an entry point starts (a lambda nested in it is not).</summary>
    private static AnonymousFunctionExpressionSyntax? StartedLambda(IOperation? reference, ThreadingTypes types)
    {
        for (var current = reference?.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            var starter = lambda.Parent;
            while (starter is IDelegateCreationOperation or IConversionOperation or IArgumentOperation)
            {
                starter = starter.Parent;
            }

            if (starter is not null && EntryPoints.TryGet(starter, types) is { } entry && entry.Bodies.Any(body => body.Function == lambda))
            {
                return lambda.Syntax as AnonymousFunctionExpressionSyntax;
            }
        }

        return null;
    }

    private static bool IsLoop(SyntaxNode node) => node is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or CommonForEachStatementSyntax;

    private static StatementSyntax LoopBody(SyntaxNode loop) => loop switch
    {
        ForStatementSyntax @for => @for.Statement,
        WhileStatementSyntax @while => @while.Statement,
        DoStatementSyntax @do => @do.Statement,
        _ => ((CommonForEachStatementSyntax)loop).Statement,
    };

    private static async Task<Document> CopyAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return document;
        }

        // One copy per variable and statement, however many lambdas or reports of it the statement holds.
        var plans = new List<CopyPlan>();
        foreach (var diagnostic in diagnostics)
        {
            if (Plan(root, model, diagnostic, cancellationToken) is { } plan
                && !plans.Any(known => known.Statement == plan.Statement && known.Lambda == plan.Lambda && SymbolEqualityComparer.Default.Equals(known.Variable, plan.Variable)))
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        var taken = new HashSet<string>();
        var renames = new Dictionary<IdentifierNameSyntax, string>();
        var copies = new Dictionary<StatementSyntax, List<StatementSyntax>>();
        var copyNames = new Dictionary<(StatementSyntax, ISymbol), string>();
        foreach (var plan in plans)
        {
            var member = plan.Statement.Ancestors().FirstOrDefault(node => node is MemberDeclarationSyntax) ?? root;
            foreach (var token in member.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    taken.Add(token.ValueText);
                }
            }

            var key = (plan.Statement, plan.Variable);
            if (!copyNames.TryGetValue(key, out var name))
            {
                name = UniqueName(plan.Variable.Name + "Copy", taken);
                taken.Add(name);
                copyNames.Add(key, name);
                var declaration = LocalDeclarationStatement(VariableDeclaration(
                        IdentifierName("var"),
                        SingletonSeparatedList(VariableDeclarator(Identifier(name)).WithInitializer(EqualsValueClause(IdentifierName(plan.Variable.Name))))))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                if (!copies.TryGetValue(plan.Statement, out var list))
                {
                    copies.Add(plan.Statement, list = new List<StatementSyntax>());
                }

                list.Add(declaration);
            }

            foreach (var identifier in plan.Lambda.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText == plan.Variable.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, plan.Variable))
                {
                    renames[identifier] = name;
                }
            }
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var pair in renames)
        {
            editor.ReplaceNode(pair.Key, IdentifierName(pair.Value).WithTriviaFrom(pair.Key));
        }

        foreach (var pair in copies)
        {
            var statement = pair.Key;
            if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                editor.InsertBefore(statement, pair.Value);
            }
            else
            {
                // An embedded statement (for (...) Task.Run(...);) becomes a block that declares the copies first.
                var declarations = pair.Value;
                editor.ReplaceNode(statement, (current, _) => Block(declarations.Append(((StatementSyntax)current).WithoutTrivia()))
                    .WithTriviaFrom(current)
                    .WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        return editor.GetChangedDocument();
    }

    private static string UniqueName(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var index = 2; taken.Contains(candidate); index++)
        {
            candidate = name + index;
        }

        return candidate;
    }
}
