using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Benchmarks;

namespace ThreadingAnalyzers.Tests.Robustness;

/// <summary>
/// What the robustness tests share: every THR analyzer and code fix, found by reflection over the two shipped
/// assemblies so that each new rule is covered without edits here, and the sources they are run on.
/// </summary>
internal static class Harness
{
    public const string CodeFixAssemblyName = "ThreadingAnalyzers.CodeFixes";

    public static CSharpParseOptions ParseOptions => Corpus.ParseOptions;

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers() => RuleCatalog.CreateAnalyzers();

    /// <summary>New instances of every exported code fix provider of the code-fix assembly.</summary>
    public static ImmutableArray<CodeFixProvider> CodeFixes() =>
        Assembly.Load(CodeFixAssemblyName).GetTypes()
            .Where(type => type is { IsAbstract: false, IsClass: true }
                && typeof(CodeFixProvider).IsAssignableFrom(type)
                && type.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null
                && type.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(type => type.Name, StringComparer.Ordinal)
            .Select(type => (CodeFixProvider)Activator.CreateInstance(type)!)
            .ToImmutableArray();

    public static bool IsThr(Diagnostic diagnostic) => diagnostic.Id.StartsWith("THR", StringComparison.Ordinal);

    /// <summary>A workspace solution with one project per <paramref name="projects"/>, support files included.</summary>
    public static (Solution Solution, ImmutableArray<DocumentId> Documents) CreateSolution(AdhocWorkspace workspace, IEnumerable<SourceProject> projects)
    {
        var solution = workspace.CurrentSolution;
        var documents = ImmutableArray.CreateBuilder<DocumentId>();
        foreach (var project in projects)
        {
            var projectId = ProjectId.CreateNewId(project.Name);
            solution = solution.AddProject(project.ProjectInfo(projectId));
            foreach (var (path, text) in project.Support)
            {
                solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(path), SourceText.From(text), filePath: path);
            }

            foreach (var (path, text) in project.Files)
            {
                var documentId = DocumentId.CreateNewId(projectId, path);
                solution = solution.AddDocument(documentId, Path.GetFileName(path), SourceText.From(text), filePath: path);
                documents.Add(documentId);
            }
        }

        return (solution, documents.ToImmutable());
    }

    /// <summary>Fixers by the diagnostic id they fix.</summary>
    public static ILookup<string, CodeFixProvider> FixersById(ImmutableArray<CodeFixProvider> fixers) =>
        fixers.SelectMany(fixer => fixer.FixableDiagnosticIds.Select(id => (id, fixer))).ToLookup(pair => pair.id, pair => pair.fixer);

    /// <summary>
    /// Runs <paramref name="analyzers"/> and returns their THR diagnostics and every exception they threw (reported or
    /// as AD0001). With <paramref name="only"/>, analyzes that one file as the editor does, else the whole compilation.
    /// </summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, ImmutableArray<string> Exceptions)> AnalyzeAsync(
        Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, bool concurrent = false, SyntaxTree? only = null, CancellationToken cancellationToken = default)
    {
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name} threw {exception}"),
            concurrentAnalysis: concurrent,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: false);
        var withAnalyzers = compilation.WithAnalyzers(analyzers, options);
        var diagnostics = only is null
            ? await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false)
            : (await withAnalyzers.GetAnalyzerSyntaxDiagnosticsAsync(only, cancellationToken).ConfigureAwait(false))
                .AddRange(await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(compilation.GetSemanticModel(only), null, cancellationToken).ConfigureAwait(false));
        foreach (var failure in diagnostics.Where(diagnostic => diagnostic.Id is "AD0001" or "AD0002"))
        {
            exceptions.Enqueue(failure.ToString());
        }

        return (diagnostics.Where(IsThr).ToImmutableArray(), exceptions.ToImmutableArray());
    }

    /// <summary>Every code action that <paramref name="fixer"/> registers for <paramref name="diagnostic"/>, nested ones flattened.</summary>
    public static async Task<ImmutableArray<CodeAction>> CodeActionsAsync(CodeFixProvider fixer, Document document, Diagnostic diagnostic, CancellationToken cancellationToken = default)
    {
        var actions = ImmutableArray.CreateBuilder<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
        await fixer.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions.SelectMany(Flatten).ToImmutableArray();
    }

    /// <summary>Nested actions are public only in newer Roslyn; 4.8 keeps them internal, so they are read by reflection.</summary>
    private static IEnumerable<CodeAction> Flatten(CodeAction action)
    {
        var property = typeof(CodeAction).GetProperty("NestedActions", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            ?? typeof(CodeAction).GetProperty("NestedCodeActions", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        var nested = property?.GetValue(action) is ImmutableArray<CodeAction> { IsDefaultOrEmpty: false } children ? children : ImmutableArray<CodeAction>.Empty;
        return nested.IsEmpty ? new[] { action } : nested.SelectMany(Flatten);
    }

    /// <summary>The solution that applying <paramref name="action"/> produces.</summary>
    public static async Task<Solution> ApplyAsync(CodeAction action, CancellationToken cancellationToken = default)
    {
        var operations = await action.GetOperationsAsync(cancellationToken).ConfigureAwait(false);
        return operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
    }
}

/// <summary>
/// A project to analyze: its own files, which the tests truncate and fix, and support files that are only there to
/// make it compile (the global usings that ImplicitUsings gives a sample).
/// </summary>
internal sealed record SourceProject(string Name, IReadOnlyList<(string Path, string Text)> Files, IReadOnlyList<(string Path, string Text)> Support, bool Net10, OutputKind OutputKind)
{
    public IEnumerable<(string Path, string Text)> AllFiles => Support.Concat(Files);

    public CSharpCompilationOptions CompilationOptions => new(OutputKind, nullableContextOptions: NullableContextOptions.Enable);

    public ImmutableArray<MetadataReference> References => Net10 ? TestReferences.Net100 : TestReferences.Net80;

    public CSharpCompilation Compilation(IEnumerable<SyntaxTree> trees) => CSharpCompilation.Create(Name, trees, References, CompilationOptions);

    public ProjectInfo ProjectInfo(ProjectId id) => Microsoft.CodeAnalysis.ProjectInfo.Create(
        id, VersionStamp.Create(), Name, Name, LanguageNames.CSharp,
        compilationOptions: CompilationOptions, parseOptions: Harness.ParseOptions, metadataReferences: References);
}

/// <summary>The sources the robustness tests run on: the samples, the code snippets of the rule tests, the benchmark corpus.</summary>
internal static class RobustnessSources
{
    private static readonly Regex Markup = new(@"\{\|[^:|]*:|\|\}|\[\||\|\]", RegexOptions.Compiled);

    /// <summary>Every sample project under samples/, as the SDK compiles it: a net10.0 console program with implicit usings.</summary>
    public static IReadOnlyList<SourceProject> Samples() =>
        Directory.GetFiles(Path.Combine(RepoInfo.Root, "samples"), "*.csproj", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(project => new SourceProject(
                Path.GetFileNameWithoutExtension(project),
                Benchmarks.Samples.SourceFiles(Path.GetDirectoryName(project)!)
                    .Select(file => (Path.GetRelativePath(RepoInfo.Root, file).Replace('\\', '/'), File.ReadAllText(file)))
                    .ToList(),
                new[] { ("obj/GlobalUsings.g.cs", Benchmarks.Samples.ImplicitUsings) },
                Net10: true,
                OutputKind.ConsoleApplication))
            .ToList();

    /// <summary>
    /// The C# snippets of the rule tests (tests/**/Rules/*.cs), one single-file library each: every raw string
    /// literal that looks like code, with the test markup (<c>{|#0:…|}</c>, <c>[|…|]</c>) removed. Both the tested
    /// and the fixed sources are included.
    /// </summary>
    public static IReadOnlyList<SourceProject> RuleTestSnippets()
    {
        var files = Directory.GetFiles(Path.Combine(RepoInfo.Root, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(Path.GetDirectoryName(file)) == "Rules")
            .Order(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SourceProject>();
        foreach (var file in files)
        {
            var root = CSharpSyntaxTree.ParseText(File.ReadAllText(file), Harness.ParseOptions).GetRoot();
            var index = 0;
            foreach (var token in root.DescendantTokens().Where(token => token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken) || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken)))
            {
                var text = Markup.Replace(token.ValueText, string.Empty);
                if ((text.Contains(';') || text.Contains('{')) && seen.Add(text))
                {
                    var name = $"{Path.GetFileNameWithoutExtension(file)}#{index++}";
                    result.Add(new SourceProject(name, new[] { (name + ".cs", text) }, Array.Empty<(string, string)>(), Net10: false, OutputKind.DynamicallyLinkedLibrary));
                }
            }
        }

        return result;
    }

    /// <summary>One group of the benchmark corpus: one file of every kind, ordinary code and every threading pattern it generates.</summary>
    public static SourceProject CorpusGroup() => new(
        "CorpusGroup0",
        CorpusTemplates.Kinds.Select(kind => ($"Corpus/{kind.Name}.cs", kind.Render(0))).ToList(),
        Array.Empty<(string, string)>(),
        Net10: true,
        OutputKind.DynamicallyLinkedLibrary);
}
