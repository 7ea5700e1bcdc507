using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
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

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// Whole-package checks, found by reflection over the two shipped assemblies so that every new rule is checked
/// without being listed here: a rule is complete when it has its descriptor, analyzer, docs page, sample,
/// release-tracking row and table rows, and each check fails on its own for the rule that lacks the part.
/// </summary>
public sealed class MetaTests
{
    private static readonly string[] DocsSections =
        ["## Cause", "## Why it matters", "## Examples", "## How to fix", "## How to configure", "## How to suppress"];

    private static readonly Assembly AnalyzerAssembly = typeof(Descriptors).Assembly;

    private static readonly Assembly CodeFixAssembly = Assembly.Load(new AssemblyName("ThreadingAnalyzers.CodeFixes"));

    internal static readonly ImmutableArray<DiagnosticDescriptor> AllDescriptors = typeof(Descriptors)
        .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToImmutableArray();

    public static TheoryData<string> DescriptorIds => new(AllDescriptors.Select(d => d.Id));

    public static TheoryData<string> AnalyzerTypes => new(ConcreteTypes<DiagnosticAnalyzer>(AnalyzerAssembly).Select(t => t.FullName!));

    public static TheoryData<string> CodeFixTypes => new(ConcreteTypes<CodeFixProvider>(CodeFixAssembly).Select(t => t.FullName!));

    [Fact]
    public void DescriptorIdsAreUniqueAndNamedAfterTheirField()
    {
        Assert.NotEmpty(AllDescriptors);
        Assert.Equal(AllDescriptors.Length, AllDescriptors.Select(d => d.Id).Distinct().Count());
        foreach (var field in typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
                     .Where(f => f.FieldType == typeof(DiagnosticDescriptor)))
        {
            Assert.Equal(field.Name, ((DiagnosticDescriptor)field.GetValue(null)!).Id);
        }
    }

    [Fact]
    public void AnalyzersAndCodeFixesLiveInTheirOwnAssemblies()
    {
        Assert.Empty(ConcreteTypes<DiagnosticAnalyzer>(CodeFixAssembly));
        Assert.NotEmpty(ConcreteTypes<DiagnosticAnalyzer>(AnalyzerAssembly));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void DescriptorHasTitleMessageAndDescription(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Matches(@"^THR\d{3}$", descriptor.Id);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()), "empty title");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.MessageFormat.ToString()), "empty message");
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()), "empty description");
        Assert.True(descriptor.IsEnabledByDefault);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void DescriptorIsReportedByAnAnalyzer(string id)
    {
        var descriptor = Descriptor(id);
        Assert.Contains(Analyzers(), a => a.SupportedDiagnostics.Contains(descriptor));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HelpLinkPointsAtTheDocsPage(string id)
    {
        var link = Descriptor(id).HelpLinkUri;
        Assert.Equal(Descriptors.HelpLinkBase + id + ".md", link);
        var pathInRepository = link.Substring(link.IndexOf("/blob/main/", StringComparison.Ordinal) + "/blob/main/".Length);
        Assert.Equal($"docs/rules/{id}.md", pathInRepository);
        Assert.True(File.Exists(Path.Combine(RepoInfo.Root, pathInRepository)), $"{pathInRepository} does not exist");
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void DocsPageHasTheTitleLineAndTheSections(string id)
    {
        var descriptor = Descriptor(id);
        var path = Path.Combine(RepoInfo.Root, "docs", "rules", id + ".md");
        Assert.True(File.Exists(path), $"docs/rules/{id}.md does not exist");
        var lines = File.ReadAllLines(path);

        Assert.Equal($"# {id}: {descriptor.Title}", lines.FirstOrDefault());
        var headingIndexes = DocsSections.Select(h => Array.FindIndex(lines, l => l.TrimEnd() == h)).ToList();
        Assert.True(headingIndexes.All(i => i > 0), $"docs/rules/{id}.md lacks one of: {string.Join(", ", DocsSections)}");
        Assert.True(headingIndexes.SequenceEqual(headingIndexes.Order()), $"docs/rules/{id}.md has its sections out of order");
        var tableLines = lines.Where(l => l.TrimStart().StartsWith('|')).ToList();
        Assert.Contains(tableLines, l => l.Contains(descriptor.Category, StringComparison.Ordinal));
        Assert.Contains(tableLines, l => l.Contains(descriptor.DefaultSeverity.ToString(), StringComparison.OrdinalIgnoreCase));
        var text = string.Join("\n", lines);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", text, StringComparison.Ordinal);
        Assert.Contains($"#pragma warning disable {id}", text, StringComparison.Ordinal);
        Assert.Contains("SuppressMessage", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HasASampleThatMarksTheRule(string id)
    {
        var sample = SampleFolder(id);

        Assert.NotEmpty(Directory.GetFiles(sample, "*.csproj"));
        Assert.Contains(SamplesTests.MarkedDiagnostics(sample), k => k.EndsWith(": " + id, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HasAReleaseTrackingRowWithItsCategoryAndSeverity(string id)
    {
        var descriptor = Descriptor(id);
        var rows = new List<(string Section, string[] Cells)>();
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            var section = "";
            foreach (var line in File.ReadAllLines(Path.Combine(RepoInfo.Root, "src", "ThreadingAnalyzers", file)))
            {
                if (line.StartsWith("### ", StringComparison.Ordinal))
                {
                    section = line.Substring(4).Trim();
                }
                else if (Cells(line) is [var rowId, ..] cells && rowId == id)
                {
                    rows.Add((section, cells));
                }
            }
        }

        Assert.True(rows.Count > 0, $"No row for {id} in AnalyzerReleases.Shipped.md or AnalyzerReleases.Unshipped.md");
        var (lastSection, current) = rows[^1];
        Assert.NotEqual("Removed Rules", lastSection);
        Assert.Equal((descriptor.Category, descriptor.DefaultSeverity.ToString()), (current[1], current[2]));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HasARowInTheDocsTable(string id)
    {
        var descriptor = Descriptor(id);
        var row = TableRow(Path.Combine(RepoInfo.Root, "docs", "README.md"), $"[{id}](rules/{id}.md)");

        Assert.Equal(
            new[] { $"[{id}](rules/{id}.md)", descriptor.Title.ToString(), descriptor.Category, descriptor.DefaultSeverity.ToString(), YesNo(HasCodeFix(id)) },
            row);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void HasARowInTheReadmeTable(string id)
    {
        var descriptor = Descriptor(id);
        var row = TableRow(Path.Combine(RepoInfo.Root, "README.md"), $"[{id}](docs/rules/{id}.md)");

        Assert.Equal(
            new[] { $"[{id}](docs/rules/{id}.md)", descriptor.Title.ToString(), descriptor.DefaultSeverity.ToString(), YesNo(HasCodeFix(id)) },
            row);
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public void AnalyzerIsExportedForCSharpAndSupportsOnlyCatalogueDescriptors(string typeName)
    {
        var type = AnalyzerAssembly.GetType(typeName, throwOnError: true)!;
        var export = type.GetCustomAttribute<DiagnosticAnalyzerAttribute>();
        Assert.NotNull(export);
        Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);

        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(type)!;
        Assert.NotEmpty(analyzer.SupportedDiagnostics);
        Assert.All(analyzer.SupportedDiagnostics, d => Assert.Contains(d, AllDescriptors));
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public async Task AnalyzerReportsNothingOnEmptySourceAndDoesNotThrow(string typeName)
    {
        foreach (var references in new[] { TestReferences.Net80, ImmutableArray<MetadataReference>.Empty })
        {
            var (diagnostics, exceptions) = await RunAnalyzer(typeName, "", references);

            Assert.Empty(exceptions);
            Assert.Empty(diagnostics);
        }
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public async Task AnalyzerDoesNotThrowOnHalfTypedCode(string typeName)
    {
        const string halfTyped = """
            using System.Threading;
            class C
            {
                Thread field = new Thread(;
                void M(Unknown u)
                {
                    var t = new Thread(() => { u. });
                    t.Start(
                    field.IsBackground = ;
                    lock () { t. }
                    new Thread(Missing).Start();
                }
            """;
        var (_, exceptions) = await RunAnalyzer(typeName, halfTyped, TestReferences.Net80);

        Assert.Empty(exceptions);
    }

    [Theory]
    [MemberData(nameof(CodeFixTypes))]
    public void CodeFixIsExportedForCSharpUnderItsTypeName(string typeName)
    {
        var type = CodeFixAssembly.GetType(typeName, throwOnError: true)!;
        var export = type.GetCustomAttribute<ExportCodeFixProviderAttribute>();
        Assert.NotNull(export);
        Assert.Equal(new[] { LanguageNames.CSharp }, export.Languages);
        Assert.Equal(type.Name, export.Name);
        Assert.NotNull(type.GetCustomAttribute<SharedAttribute>());

        var provider = (CodeFixProvider)Activator.CreateInstance(type)!;
        Assert.NotEmpty(provider.FixableDiagnosticIds);
        Assert.All(provider.FixableDiagnosticIds, id => Assert.Contains(id, AllDescriptors.Select(d => d.Id)));
        Assert.True(provider.FixableDiagnosticIds.Any(id => type.Name.StartsWith(id, StringComparison.Ordinal)) && type.Name.EndsWith("CodeFix", StringComparison.Ordinal),
            $"{type.Name} is not named THRxxx<Name>CodeFix after a rule it fixes");
    }

    /// <summary>
    /// Runs every code fix offered on the rule's sample: each action has an equivalence key "ID.Kind", and its
    /// output compiles without new errors and removes a diagnostic of the rule.
    /// </summary>
    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public async Task CodeFixesOnTheSampleHaveRuleKeysAndCompile(string id)
    {
        var providers = CodeFixProviders().Where(p => p.FixableDiagnosticIds.Contains(id)).ToList();
        if (providers.Count == 0)
        {
            return; // Whether the rule should have a fix is checked against the docs tables.
        }

        using var workspace = new AdhocWorkspace();
        var project = SampleProject(workspace, SampleFolder(id));
        var before = await project.GetCompilationAsync();
        var errorsBefore = Errors(before!);
        var diagnostics = (await AnalyzerDiagnostics(before!)).Where(d => d.Id == id).ToList();
        Assert.NotEmpty(diagnostics);

        var offered = 0;
        foreach (var diagnostic in diagnostics)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            foreach (var provider in providers)
            {
                var actions = new List<CodeAction>();
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                foreach (var action in actions)
                {
                    offered++;
                    Assert.Matches($@"^{id}\.[A-Za-z]+$", action.EquivalenceKey ?? "(null)");
                    var operations = await action.GetOperationsAsync(CancellationToken.None);
                    var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution.GetProject(project.Id)!;
                    var after = await changed.GetCompilationAsync();
                    var newErrors = Errors(after!).Except(errorsBefore).ToList();
                    Assert.True(newErrors.Count == 0,
                        $"'{action.Title}' ({action.EquivalenceKey}) at {diagnostic.Location.GetLineSpan()} introduces errors: {string.Join("; ", newErrors)}");
                    var remaining = (await AnalyzerDiagnostics(after!)).Count(d => d.Id == id);
                    Assert.True(remaining < diagnostics.Count, $"'{action.Title}' ({action.EquivalenceKey}) at {diagnostic.Location.GetLineSpan()} leaves every {id} in place");
                }
            }
        }

        Assert.True(offered > 0, $"No code fix is offered on the {id} sample");
    }

    /// <summary>
    /// The diagnostics of rule <paramref name="id"/> in the C# files of <paramref name="folder"/>, compiled as the SDK
    /// compiles a sample, each with the number of code actions the fix providers offer on it.
    /// </summary>
    internal static async Task<List<(Diagnostic Diagnostic, int Actions)>> DiagnosticsWithFixes(string folder, string id)
    {
        using var workspace = new AdhocWorkspace();
        var project = SampleProject(workspace, folder);
        var compilation = await project.GetCompilationAsync();
        var providers = CodeFixProviders().Where(p => p.FixableDiagnosticIds.Contains(id)).ToList();
        var result = new List<(Diagnostic, int)>();
        foreach (var diagnostic in (await AnalyzerDiagnostics(compilation!)).Where(d => d.Id == id))
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = 0;
            foreach (var provider in providers)
            {
                await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (_, _) => actions++, CancellationToken.None));
            }

            result.Add((diagnostic, actions));
        }

        return result;
    }

    private static DiagnosticDescriptor Descriptor(string id) => AllDescriptors.Single(d => d.Id == id);

    private static IEnumerable<Type> ConcreteTypes<T>(Assembly assembly) =>
        assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.FullName, StringComparer.Ordinal);

    private static ImmutableArray<DiagnosticAnalyzer> Analyzers() =>
        ConcreteTypes<DiagnosticAnalyzer>(AnalyzerAssembly).Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!).ToImmutableArray();

    private static IEnumerable<CodeFixProvider> CodeFixProviders() =>
        ConcreteTypes<CodeFixProvider>(CodeFixAssembly).Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    internal static bool HasCodeFix(string id) => CodeFixProviders().Any(p => p.FixableDiagnosticIds.Contains(id));

    private static string YesNo(bool value) => value ? "Yes" : "No";

    internal static string SampleFolder(string id)
    {
        var folders = Directory.GetDirectories(Path.Combine(RepoInfo.Root, "samples"), id + ".*");
        Assert.True(folders.Length == 1, $"Expected one samples/{id}.<Name> folder, found {folders.Length}");
        return folders[0];
    }

    private static string[]? Cells(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.Contains('|', StringComparison.Ordinal))
        {
            return null;
        }

        return trimmed.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
    }

    private static string[] TableRow(string path, string firstCell)
    {
        var rows = File.ReadAllLines(path).Select(Cells).Where(c => c is not null && c[0] == firstCell).ToList();
        Assert.True(rows.Count == 1, $"Expected one row starting with {firstCell} in {Path.GetRelativePath(RepoInfo.Root, path)}, found {rows.Count}");
        return rows[0]!;
    }

    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyCollection<Exception> Exceptions)> RunAnalyzer(
        string typeName, string source, ImmutableArray<MetadataReference> references)
    {
        var analyzer = (DiagnosticAnalyzer)Activator.CreateInstance(AnalyzerAssembly.GetType(typeName, throwOnError: true)!)!;
        var compilation = CSharpCompilation.Create(
            "Meta",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Preview))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), (exception, _, _) => exceptions.Enqueue(exception), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers([analyzer], options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return (diagnostics, exceptions);
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzerDiagnostics(Compilation compilation)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        return await compilation.WithAnalyzers(Analyzers(), options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
    }

    /// <summary>Compiler errors by id and message, without locations, so that a fix's output can be compared with its input.</summary>
    private static HashSet<string> Errors(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage()}")
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The sample as the SDK compiles it: a .NET 10 console program with the SDK's implicit usings.</summary>
    private static Project SampleProject(AdhocWorkspace workspace, string sampleFolder)
    {
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(projectId, Path.GetFileName(sampleFolder), Path.GetFileName(sampleFolder), LanguageNames.CSharp)
            .WithProjectCompilationOptions(projectId, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable))
            .WithProjectParseOptions(projectId, new CSharpParseOptions(LanguageVersion.Preview))
            .AddMetadataReferences(projectId, TestReferences.Net100)
            .AddDocument(DocumentId.CreateNewId(projectId), "ImplicitUsings.g.cs", SourceText.From("""
                global using System;
                global using System.Collections.Generic;
                global using System.IO;
                global using System.Linq;
                global using System.Net.Http;
                global using System.Threading;
                global using System.Threading.Tasks;
                """));
        foreach (var file in SamplesTests.SourceFiles(sampleFolder))
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file);
        }

        Assert.True(workspace.TryApplyChanges(solution));
        return workspace.CurrentSolution.GetProject(projectId)!;
    }
}
