using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>The size of a generated corpus: files are added, group by group, until both minimums are reached.</summary>
public sealed record CorpusSize(int MinimumFiles, int MinimumLines)
{
    public static CorpusSize Full { get; } = new(1_500, 200_000);

    public static CorpusSize Quick { get; } = new(60, 8_000);
}

/// <summary>A compilation of generated C# plus the repository's samples, with the files the editor benchmark edits.</summary>
public sealed class Corpus
{
    private Corpus(CSharpCompilation compilation, int generatedFiles, int generatedLines, int sampleFiles, SyntaxTree threadFile, SyntaxTree plainFile, string referencesDescription)
    {
        Compilation = compilation;
        GeneratedFiles = generatedFiles;
        GeneratedLines = generatedLines;
        SampleFiles = sampleFiles;
        ThreadFile = threadFile;
        PlainFile = plainFile;
        ReferencesDescription = referencesDescription;
    }

    public CSharpCompilation Compilation { get; }

    public int GeneratedFiles { get; }

    public int GeneratedLines { get; }

    public int SampleFiles { get; }

    /// <summary>A generated file that creates and starts threads.</summary>
    public SyntaxTree ThreadFile { get; }

    /// <summary>A generated file of ordinary business code, no threads.</summary>
    public SyntaxTree PlainFile { get; }

    public string ReferencesDescription { get; }

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>
    /// Single-threaded binding, so that the compiler's time and the analyzers' execution time (which Roslyn sums
    /// over threads) measure the same thing: work done, not wall time on however many cores are free.
    /// </summary>
    public static CSharpCompilationOptions CompilationOptions { get; } = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            concurrentBuild: false)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            ["CS0618"] = ReportDiagnostic.Suppress,   // samples show obsolete Thread APIs on purpose
        });

    public static Corpus Create(CorpusSize size, string repoRoot)
    {
        var trees = new List<SyntaxTree>();
        var lines = 0;
        SyntaxTree? threadFile = null;
        SyntaxTree? plainFile = null;
        for (var group = 0; trees.Count < size.MinimumFiles || lines < size.MinimumLines; group++)
        {
            for (var kind = 0; kind < CorpusTemplates.Kinds.Count; kind++)
            {
                var (name, startsThread, render) = CorpusTemplates.Kinds[kind];
                var text = render(group);
                var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"Corpus/G{group:D4}/{name}.cs");
                trees.Add(tree);
                lines += tree.GetText().Lines.Count;
                if (group == 1)
                {
                    if (startsThread)
                    {
                        threadFile ??= tree;
                    }
                    else if (kind == 2)
                    {
                        plainFile ??= tree;
                    }
                }
            }
        }

        var generatedFiles = trees.Count;
        var samples = Samples.Load(repoRoot);
        trees.AddRange(samples.Select(sample => sample.Tree));
        trees.Add(CSharpSyntaxTree.ParseText(Samples.ImplicitUsings, ParseOptions, path: "Samples/ImplicitUsings.cs"));

        var (references, description) = FrameworkReferences.Load();
        var compilation = CSharpCompilation.Create("Corpus", trees, references, CompilationOptions);
        return new Corpus(compilation, generatedFiles, lines, samples.Count, threadFile!, plainFile!, description);
    }

    /// <summary>A one-line edit at the file's edit point, different for every <paramref name="revision"/>.</summary>
    public static SyntaxTree EditOneLine(SyntaxTree tree, int revision)
    {
        var text = tree.GetText();
        var line = text.Lines.First(l => l.ToString().Contains(CorpusTemplates.EditPointMarker, StringComparison.Ordinal));
        var original = line.ToString();
        var edited = original.Replace(CorpusTemplates.EditPointMarker, $"{CorpusTemplates.EditPointMarker} (revision {revision})", StringComparison.Ordinal)
            .Replace("+= ", $"+= {revision} * 0 + ", StringComparison.Ordinal);
        return tree.WithChangedText(text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(line.Span, edited)));
    }
}

/// <summary>The samples under samples/, made to live side by side in one library compilation.</summary>
public static class Samples
{
    /// <summary>The global usings that <c>ImplicitUsings</c> gives the sample projects.</summary>
    public const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public sealed record Sample(string Project, string Path, SyntaxTree Tree);

    /// <summary>
    /// Every .cs file of every sample project. Each sample is a console program with top-level statements, and a
    /// compilation may have only one such file, so each file's content moves into a namespace of its own and its
    /// top-level statements into the static method <c>Program.Main_</c>.
    /// </summary>
    public static IReadOnlyList<Sample> Load(string repoRoot)
    {
        var samplesDirectory = System.IO.Path.Combine(repoRoot, "samples");
        if (!Directory.Exists(samplesDirectory))
        {
            return Array.Empty<Sample>();
        }

        var result = new List<Sample>();
        foreach (var project in Directory.GetFiles(samplesDirectory, "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var projectDirectory = System.IO.Path.GetDirectoryName(project)!;
            var projectName = System.IO.Path.GetFileNameWithoutExtension(project);
            foreach (var file in SourceFiles(projectDirectory))
            {
                var relative = System.IO.Path.GetRelativePath(repoRoot, file).Replace('\\', '/');
                var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(file), Corpus.ParseOptions, path: relative);
                result.Add(new Sample(projectName, relative, IntoNamespace(tree, "Samples." + Identifier(projectName))));
            }
        }

        return result;
    }

    /// <summary>The project's own sources: its directory without bin/ and obj/.</summary>
    public static IEnumerable<string> SourceFiles(string projectDirectory) =>
        Directory.GetFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(file =>
            {
                var relative = System.IO.Path.GetRelativePath(projectDirectory, file).Replace('\\', '/');
                return !relative.StartsWith("bin/", StringComparison.Ordinal) && !relative.StartsWith("obj/", StringComparison.Ordinal);
            })
            .Order(StringComparer.Ordinal);

    private static string Identifier(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static SyntaxTree IntoNamespace(SyntaxTree tree, string namespaceName)
    {
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var statements = root.Members.OfType<GlobalStatementSyntax>().Select(global => global.Statement).ToList();
        var members = new List<MemberDeclarationSyntax>();
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case GlobalStatementSyntax:
                    break;
                case FileScopedNamespaceDeclarationSyntax fileScoped:
                    members.Add(SyntaxFactory.NamespaceDeclaration(fileScoped.AttributeLists, fileScoped.Modifiers, fileScoped.Name, fileScoped.Externs, fileScoped.Usings, fileScoped.Members));
                    break;
                default:
                    members.Add(member);
                    break;
            }
        }

        if (statements.Count > 0)
        {
            members.Add(ProgramClass(statements));
        }

        var wrapped = root
            .WithMembers(SyntaxFactory.SingletonList<MemberDeclarationSyntax>(
                SyntaxFactory.NamespaceDeclaration(SyntaxFactory.ParseName(namespaceName)).WithMembers(SyntaxFactory.List(members))))
            .NormalizeWhitespace();
        return tree.WithRootAndOptions(wrapped, tree.Options);
    }

    private static ClassDeclarationSyntax ProgramClass(List<StatementSyntax> statements)
    {
        var topLevel = statements.SelectMany(statement => statement.DescendantNodesAndSelf(node => node is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))).ToList();
        var awaits = topLevel.Any(node => node is AwaitExpressionSyntax || node is ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword }
            || node is LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword } || node is UsingStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword });
        var returnsValue = topLevel.Any(node => node is ReturnStatementSyntax { Expression: not null });
        var returnType = (awaits, returnsValue) switch
        {
            (true, true) => "async System.Threading.Tasks.Task<int>",
            (true, false) => "async System.Threading.Tasks.Task",
            (false, true) => "int",
            _ => "void",
        };
        var method = (MethodDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration($"public static {returnType} Main_(string[] args) {{ }}")!;
        method = method.WithBody(SyntaxFactory.Block(statements));
        return SyntaxFactory.ClassDeclaration("Program")
            .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PartialKeyword)))
            .WithMembers(SyntaxFactory.SingletonList<MemberDeclarationSyntax>(method));
    }
}

/// <summary>The framework's reference assemblies, from the SDK's reference pack; the runtime's own assemblies if it has none.</summary>
public static class FrameworkReferences
{
    private static readonly Lazy<(ImmutableArray<MetadataReference>, string)> Cached = new(Find);

    public static (ImmutableArray<MetadataReference> References, string Description) Load() => Cached.Value;

    private static (ImmutableArray<MetadataReference>, string) Find()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var version = Environment.Version;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        if (Directory.Exists(packs))
        {
            var moniker = $"net{version.Major}.{version.Minor}";
            var pack = Directory.GetDirectories(packs)
                .Select(directory => (Directory: directory, Version: Version.TryParse(Path.GetFileName(directory).Split('-')[0], out var v) ? v : null))
                .Where(candidate => candidate.Version is not null && candidate.Version.Major == version.Major && Directory.Exists(Path.Combine(candidate.Directory, "ref", moniker)))
                .OrderByDescending(candidate => candidate.Version)
                .FirstOrDefault();
            if (pack.Directory is not null)
            {
                var directory = Path.Combine(pack.Directory, "ref", moniker);
                return (FromFiles(Directory.GetFiles(directory, "*.dll")), $"Microsoft.NETCore.App.Ref {Path.GetFileName(pack.Directory)} ({moniker})");
            }
        }

        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path) == runtimeDirectory)
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("System.", StringComparison.Ordinal) || name is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll"));
        return (FromFiles(trusted), $"the runtime's own assemblies ({RuntimeInformationDescription()})");
    }

    private static ImmutableArray<MetadataReference> FromFiles(IEnumerable<string> files) =>
        files.Order(StringComparer.Ordinal)
            .Where(IsManagedAssembly)
            .Select(file => (MetadataReference)MetadataReference.CreateFromFile(file))
            .ToImmutableArray();

    private static bool IsManagedAssembly(string file)
    {
        try
        {
            AssemblyName.GetAssemblyName(file);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    private static string RuntimeInformationDescription() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
}
