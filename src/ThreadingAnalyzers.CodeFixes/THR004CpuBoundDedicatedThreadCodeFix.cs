using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Internals;
using ThreadingAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>
/// THR004: replaces the dedicated thread with the thread pool. (a) One thread started and joined in one method becomes
/// <c>var task = Task.Run(body); ... task.Wait();</c> (<c>await task;</c> in an async function). (b) Threads created in a
/// <c>for</c> loop, stored, started and joined in the loop that follows become one <c>Parallel.For</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(THR004CpuBoundDedicatedThreadCodeFix)), Shared]
public sealed class THR004CpuBoundDedicatedThreadCodeFix : DocumentCodeFix
{
    internal const string UseTaskRunKey = "THR004.UseTaskRun";

    internal const string UseParallelForKey = "THR004.UseParallelFor";

    private const string TasksNamespace = "System.Threading.Tasks";

    private static readonly SyntaxAnnotation PoolTypeAnnotation = new("THR004.PoolType");

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.THR004.Id);

    protected override bool NeedsSemanticModel => true;

    // Each rewrite picks a variable name that must not collide with the previous ones: the document is fixed one site at a time.
    protected override IEnumerable<FixOffer> Offers(SyntaxNode root, SemanticModel? model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (Creation(root, model!, diagnostic.Location.SourceSpan, cancellationToken) is not { } creation)
        {
            yield break;
        }

        var types = ThreadingTypes.From(model!.Compilation);
        if (THR004ReplacementShapes.TryParallelFor(creation, types) is not null)
        {
            yield return new FixOffer("Use Parallel.For", UseParallelForKey);
        }
        else if (THR004ReplacementShapes.TryTaskRun(creation, types) is not null)
        {
            yield return new FixOffer("Use Task.Run", UseTaskRunKey);
        }
    }

    private static IObjectCreationOperation? Creation(SyntaxNode root, SemanticModel model, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken) =>
        root.FindNode(span, getInnermostNodeForTie: true) is BaseObjectCreationExpressionSyntax node && node.Span == span
            ? model.GetOperation(node, cancellationToken) as IObjectCreationOperation
            : null;

    /// <summary>Rewrites the sites of <paramref name="diagnostics"/> whose shape fits <paramref name="key"/>, one after the other.</summary>
    protected override async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var sites = new List<SyntaxAnnotation>();
        var nodes = new Dictionary<SyntaxNode, SyntaxAnnotation>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is BaseObjectCreationExpressionSyntax node && !nodes.ContainsKey(node))
            {
                var annotation = new SyntaxAnnotation("THR004.Site", sites.Count.ToString(CultureInfo.InvariantCulture));
                sites.Add(annotation);
                nodes.Add(node, annotation);
            }
        }

        document = document.WithSyntaxRoot(root.ReplaceNodes(nodes.Keys, (original, current) => current.WithAdditionalAnnotations(nodes[original])));
        foreach (var site in sites)
        {
            root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root is null || model is null || root.GetAnnotatedNodes(site).FirstOrDefault() is not BaseObjectCreationExpressionSyntax node
                || model.GetOperation(node, cancellationToken) is not IObjectCreationOperation creation)
            {
                continue;
            }

            var types = ThreadingTypes.From(model.Compilation);
            SyntaxNode? fixedRoot = null;
            if (key == UseParallelForKey && THR004ReplacementShapes.TryParallelFor(creation, types) is { } loop)
            {
                fixedRoot = UseParallelFor(root, loop);
            }
            else if (key == UseTaskRunKey && THR004ReplacementShapes.TryParallelFor(creation, types) is null
                && THR004ReplacementShapes.TryTaskRun(creation, types) is { } single)
            {
                fixedRoot = UseTaskRun(root, model, single);
            }

            if (fixedRoot is not null)
            {
                document = document.WithSyntaxRoot(fixedRoot);
            }
        }

        return await AddTasksImportAsync(document, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>(a): the declaration and Start() become <c>var task = Task.Run(body);</c>, the Join() becomes a wait.</summary>
    private static SyntaxNode UseTaskRun(SyntaxNode root, SemanticModel model, TaskRunShape shape)
    {
        var name = TaskName(shape, model);
        var argument = shape.Body switch
        {
            { Lambda: { } lambda } => lambda.WithoutTrivia().ToFullString(),
            { TakesArgument: true, MethodGroup: { } group } => "() => " + group.WithoutTrivia().ToFullString() + "(" + (shape.Body.Argument?.WithoutTrivia().ToFullString() ?? "null") + ")",
            { MethodGroup: { } group } => group.WithoutTrivia().ToFullString(),
            _ => "null",
        };
        var run = (LocalDeclarationStatementSyntax)ParseStatement($"var {name} = global::{TasksNamespace}.Task.Run({argument});");
        var invocation = (InvocationExpressionSyntax)run.Declaration.Variables[0].Initializer!.Value;
        run = run.ReplaceNode(invocation.Expression, AnnotatePoolType(invocation.Expression));

        // Parsed outside an async context, `await name;` would read as a declaration of a local of type `await`.
        var wait = (shape.Awaits ? ExpressionStatement(AwaitExpression(IdentifierName(name))) : ParseStatement($"{name}.Wait();")).WithTriviaFrom(shape.Join);
        var replaced = shape.StartsWhereDeclared ? (StatementSyntax)shape.Declaration : shape.Start;
        var removed = shape.Removed.Add(shape.StartsWhereDeclared ? shape.Start : shape.Declaration);

        var tracked = root.TrackNodes(removed.Add(replaced).Add(shape.Join));
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(shape.Join)!, wait);
        var current = tracked.GetCurrentNode(replaced)!;
        tracked = tracked.ReplaceNode(current, run.WithLeadingTrivia(current.GetLeadingTrivia()).WithTrailingTrivia(current.GetTrailingTrivia()));
        return tracked.RemoveNodes(removed.Select(r => StatementList.RemovableNode(tracked.GetCurrentNode(r)!)), SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    /// <summary>(b): the loop becomes <c>Parallel.For(from, to, i =&gt; body)</c>; the collection and the join loop go away.</summary>
    private static SyntaxNode UseParallelFor(SyntaxNode root, ParallelForShape shape)
    {
        var call = shape.Body switch
        {
            { Lambda: { } lambda } => lambda.Body,
            { TakesArgument: true, MethodGroup: { } group } => (CSharpSyntaxNode)ParseExpression(group.WithoutTrivia().ToFullString() + "(" + (shape.Body.Argument?.WithoutTrivia().ToFullString() ?? "null") + ")"),
            { MethodGroup: { } group } => ParseExpression(group.WithoutTrivia().ToFullString() + "()"),
            _ => null,
        };
        if (call is null)
        {
            return root;
        }

        string body;
        if (shape.Prefix.IsEmpty && call is ExpressionSyntax expression)
        {
            body = expression.WithoutTrivia().ToFullString();
        }
        else
        {
            var block = new StringBuilder("{\n");
            foreach (var statement in shape.Prefix)
            {
                block.Append(statement.WithoutTrivia().ToFullString()).Append('\n');
            }

            if (call is BlockSyntax statements)
            {
                foreach (var statement in statements.Statements)
                {
                    block.Append(statement.ToFullString().Trim()).Append('\n');
                }
            }
            else
            {
                block.Append(((ExpressionSyntax)call).WithoutTrivia().ToFullString()).Append(";\n");
            }

            body = block.Append('}').ToString();
        }

        var text = $"global::{TasksNamespace}.Parallel.For({shape.From.WithoutTrivia()}, {shape.To.WithoutTrivia()}, {shape.Parameter} => {body});";
        var parallelFor = (ExpressionStatementSyntax)ParseStatement(text);
        var invocation = (InvocationExpressionSyntax)parallelFor.Expression;
        parallelFor = parallelFor.ReplaceNode(invocation.Expression, AnnotatePoolType(invocation.Expression));

        var first = shape.CollectionDeclaredJustBefore ? (StatementSyntax)shape.CollectionDeclaration : shape.Loop;
        parallelFor = parallelFor
            .WithLeadingTrivia(first.GetLeadingTrivia())
            .WithTrailingTrivia(shape.Loop.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

        var tracked = root.TrackNodes(shape.CollectionDeclaration, shape.Loop, shape.JoinLoop);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(shape.Loop)!, parallelFor);
        var removed = new[] { tracked.GetCurrentNode(shape.CollectionDeclaration)!, tracked.GetCurrentNode(shape.JoinLoop)! };
        return tracked.RemoveNodes(removed.Select(StatementList.RemovableNode), SyntaxRemoveOptions.KeepNoTrivia)!;
    }

    /// <summary><c>global::System.Threading.Tasks.Task.Run</c>: the cleanup reduces it to the shortest name that binds.</summary>
    private static SyntaxNode AnnotatePoolType(ExpressionSyntax member) =>
        member.WithAdditionalAnnotations(Simplifier.Annotation, PoolTypeAnnotation);

    /// <summary>
    /// The thread's name with Thread turned into Task (<c>thread</c> to <c>task</c>, <c>t1</c> to <c>task1</c>, <c>worker</c> stays),
    /// numbered on until it collides with no name visible at the site or declared in the enclosing member.
    /// </summary>
    private static string TaskName(TaskRunShape shape, SemanticModel model)
    {
        var original = shape.Thread.Name;
        string suggested;
        if (original.Contains("Thread"))
        {
            suggested = original.Replace("Thread", "Task");
        }
        else if (original.Contains("thread"))
        {
            suggested = original.Replace("thread", "task");
        }
        else if ((original.StartsWith("th", System.StringComparison.Ordinal) && original.Skip(2).All(char.IsDigit))
            || (original.StartsWith("t", System.StringComparison.Ordinal) && original.Skip(1).All(char.IsDigit)))
        {
            suggested = "task" + new string(original.SkipWhile(char.IsLetter).ToArray());
        }
        else
        {
            suggested = original;
        }

        var taken = new HashSet<string>(model.LookupSymbols(shape.Start.SpanStart).Select(s => s.Name));
        // Top-level statements share one scope: every global statement of the file counts.
        var member = shape.Declaration.FirstAncestorOrSelf<MemberDeclarationSyntax>() is { } declared and not GlobalStatementSyntax
            ? declared
            : shape.Declaration.SyntaxTree.GetRoot();
        foreach (var token in member.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax
                    or ParameterSyntax or LocalFunctionStatementSyntax or CatchDeclarationSyntax or FromClauseSyntax or LetClauseSyntax or JoinClauseSyntax or QueryContinuationSyntax)
            {
                taken.Add(token.ValueText);
            }
        }

        taken.Remove(original);
        var name = suggested;
        for (var number = 2; taken.Contains(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None; number++)
        {
            name = suggested + number.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>Adds <c>using System.Threading.Tasks;</c> when a rewritten name does not bind yet and the using is safe to add.</summary>
    private static async Task<Document> AddTasksImportAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit || model is null)
        {
            return document;
        }

        var unbound = root.GetAnnotatedNodes(PoolTypeAnnotation).Any(node =>
            node is MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var type } }
            && model.LookupNamespacesAndTypes(node.SpanStart, name: type.Identifier.ValueText).IsEmpty);
        if (!unbound || ThreadingTypes.From(model.Compilation).Resolve(TasksNamespace + ".Task") is not { } task
            || model.Compilation.GetCompilationNamespace(task.ContainingNamespace) is not { } tasks
            || !Imports.CanImport(model, tasks))
        {
            return document;
        }

        return document.WithSyntaxRoot(Imports.Add(unit, TasksNamespace));
    }
}
