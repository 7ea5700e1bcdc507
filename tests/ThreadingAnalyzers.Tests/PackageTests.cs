using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests;

/// <summary>The packed nupkg, installed in throwaway console projects and built, fixed and checked with the real CLI.</summary>
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
[Collection(EndToEndCollection.Name)]
public sealed class PackageTests(PackedPackage package, ITestOutputHelper output)
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    /// <summary>The newest Roslyn the shipped assemblies may reference, so that compilers from the .NET 8 SDK load them.</summary>
    private static readonly Version RoslynFloor = new(4, 8, 0, 0);

    private static readonly TimeSpan BuildTimeout = PackedPackage.BuildTimeout;

    /// <summary>An older compiler than the SDK's, fetched at restore by the test project's PackageDownload.</summary>
    private static string OldCompilerToolsetVersion =>
        typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OldCompilerToolsetVersion").Value!;

    internal const string UnjoinedThreadProgram = """
        using System.Threading;

        Console.WriteLine("main starts a worker");
        var worker = new Thread(() => Console.WriteLine("worker runs"));
        worker.Start(); // expect: THR001
        Console.WriteLine("main returns");

        """;

    internal static readonly int UnjoinedThreadLine = MarkedLine(UnjoinedThreadProgram, "THR001");

    [Fact]
    public void NupkgHasBothAssembliesUnderAnalyzersAndNothingUnderLib()
    {
        using var zip = ZipFile.OpenRead(package.NupkgPath);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();

        Assert.Equal(
            new[] { AnalyzerFolder + "ThreadingAnalyzers.CodeFixes.dll", AnalyzerFolder + "ThreadingAnalyzers.dll" },
            entries.Where(e => e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase) || e.StartsWith("ref/", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void NuspecMarksADevelopmentDependencyWithoutDependencies()
    {
        using var zip = ZipFile.OpenRead(package.NupkgPath);
        var nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspecEntry.Open();
        var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Equal(PackedPackage.PackageId, Value("id"));
        Assert.Equal(package.Version, Value("version"));
        Assert.Equal("true", Value("developmentDependency"));
        Assert.Equal("MIT", Value("license"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")));
        Assert.False(string.IsNullOrWhiteSpace(Value("tags")));
        Assert.Null(metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "dependencies"));
        var readme = Value("readme");
        Assert.NotNull(readme);
        Assert.Contains(zip.Entries, e => e.FullName == readme);
    }

    [Fact]
    public void ShippedAssembliesReferenceNoRoslynNewerThanTheFloorAndTheAnalyzersNoWorkspaces()
    {
        using var zip = ZipFile.OpenRead(package.NupkgPath);
        foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith(AnalyzerFolder, StringComparison.Ordinal)))
        {
            var references = AssemblyReferences(entry);
            foreach (var (name, version) in references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)))
            {
                Assert.True(version <= RoslynFloor, $"{entry.Name} references {name} {version}; compilers older than that drop it with CS8032/CS9057.");
            }

            if (entry.Name == "ThreadingAnalyzers.dll")
            {
                // The command-line compiler does not load Workspaces: an analyzer that references it fails there (RS1038).
                Assert.DoesNotContain(references, r => r.Name.Contains("Workspaces", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void InstalledPackageReportsThr001AtTheMarkedLine()
    {
        var project = package.CreateProject("Installed", UnjoinedThreadProgram, referencePackage: false);

        var add = DotNetCli.Run(project, BuildTimeout, package.Environment, "add", "package", PackedPackage.PackageId, "--version", package.Version);
        Assert.True(add.ExitCode == 0, add.ToString());
        var reference = XDocument.Load(Path.Combine(project, "Installed.csproj")).Descendants("PackageReference").Single();
        Assert.Equal("all", reference.Element("PrivateAssets")?.Value ?? reference.Attribute("PrivateAssets")?.Value);

        // As the README's CI section shows: the build also writes a SARIF 2.1 log.
        var build = Build(project, "-p:ErrorLog=build.sarif%2Cversion=2.1");
        Assert.True(build.ExitCode == 0, build.ToString());
        var thr001 = Assert.Single(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR001");
        Assert.Equal((Path.Combine(project, "Program.cs"), UnjoinedThreadLine, "warning"), (thr001.File, thr001.Line, thr001.Severity));
        Assert.Contains("'worker'", thr001.Message, StringComparison.Ordinal);

        // What code-scanning tools read: the rule id, level, file and line of the result, and the rule's docs page.
        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "build.sarif")));
        Assert.Equal("2.1.0", sarif.RootElement.GetProperty("version").GetString());
        var run = sarif.RootElement.GetProperty("runs")[0];
        var result = Assert.Single(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "THR001");
        Assert.Equal("warning", result.GetProperty("level").GetString());
        var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
        Assert.Equal(Path.Combine(project, "Program.cs"), new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath);
        Assert.Equal(UnjoinedThreadLine, location.GetProperty("region").GetProperty("startLine").GetInt32());
        var rule = Assert.Single(run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray(),
            r => r.GetProperty("id").GetString() == "THR001");
        Assert.Equal(Descriptors.THR001.HelpLinkUri, rule.GetProperty("helpUri").GetString());
    }

    /// <summary>Both ways the README's CI section shows to fail a build: -warnaserror, and a severity in .editorconfig.</summary>
    [Theory]
    [InlineData("WarnAsError")]
    [InlineData("EditorConfigError")]
    public void ErrorSeverityFailsTheBuildOnThr001(string way)
    {
        var project = package.CreateProject(way, UnjoinedThreadProgram);
        string[] arguments = [];
        if (way == "WarnAsError")
        {
            arguments = ["-warnaserror"];
        }
        else
        {
            File.WriteAllText(Path.Combine(project, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.THR001.severity = error\n");
        }

        var build = Build(project, arguments);

        Assert.True(build.ExitCode != 0, build.ToString());
        var thr001 = Assert.Single(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR001");
        Assert.Equal((UnjoinedThreadLine, "error"), (thr001.Line, thr001.Severity));
    }

    /// <summary>Every rule that has a code fix, once the rules exist: the ids of the descriptors that a fix provider fixes.</summary>
    public static TheoryData<string> FixableRuleIds => new(MetaTests.AllDescriptors.Select(d => d.Id).Where(MetaTests.HasCodeFix));

    /// <summary>
    /// <c>dotnet format analyzers</c> applies the rule's fixes to its sample, copied into a throwaway project that
    /// installed the package: afterwards the build has no error, and each diagnostic of the rule it still reports is
    /// one that no code fix offers to repair. The .editorconfig raises the rule to a warning so that what is left shows
    /// in the build even for an info-level rule. One run of dotnet format applies one kind of fix per rule (a Fix All
    /// with the equivalence key of the action offered first), so a rule with two kinds of fix takes a second run, as it
    /// would for a user; whether fixable diagnostics remain is checked in-process between runs.
    /// </summary>
    [Theory]
    [MemberData(nameof(FixableRuleIds))]
    public async Task DotnetFormatAppliesTheRuleFixesToItsSample(string id)
    {
        const int MaxRuns = 3;
        var sample = MetaTests.SampleFolder(id);
        var project = package.CreateProject("Format" + id, "");
        var sources = SamplesTests.SourceFiles(sample).ToDictionary(f => Path.GetRelativePath(sample, f), File.ReadAllText);
        foreach (var (relativePath, text) in sources)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(project, relativePath))!);
            File.WriteAllText(Path.Combine(project, relativePath), text);
        }

        File.WriteAllText(Path.Combine(project, ".editorconfig"), $"root = true\n\n[*.cs]\ndotnet_diagnostic.{id}.severity = warning\n");
        string Current(string relativePath) => File.ReadAllText(Path.Combine(project, relativePath));
        string Changed() => string.Join(Environment.NewLine, sources.Keys.Where(f => Current(f) != sources[f]).Select(f => $"{f}:{Environment.NewLine}{Current(f)}"));

        List<(Diagnostic Diagnostic, int Actions)> left;
        for (var run = 1; ; run++)
        {
            var before = sources.Keys.ToDictionary(f => f, Current);
            var format = DotNetCli.Run(project, BuildTimeout, package.Environment,
                "format", "analyzers", "--diagnostics", id, "--severity", "info", "--verbosity", "detailed");

            Assert.True(format.ExitCode == 0, format.ToString());
            Assert.DoesNotContain($"Unable to fix {id}", format.Output, StringComparison.Ordinal);
            Assert.True(before.Any(pair => Current(pair.Key) != pair.Value), $"Run {run} of dotnet format changed nothing.{Environment.NewLine}{Changed()}{Environment.NewLine}{format}");
            left = await MetaTests.DiagnosticsWithFixes(project, id);
            var fixable = left.Where(d => d.Actions > 0).Select(d => d.Diagnostic).ToList();
            if (fixable.Count == 0)
            {
                output.WriteLine($"{id}: {run} run(s) of dotnet format applied every fix offered on the sample; {left.Count} diagnostic(s) without a fix are left.");
                break;
            }

            Assert.True(run < MaxRuns, $"Fixable after {run} runs of dotnet format: {string.Join("; ", fixable)}{Environment.NewLine}{Changed()}");
        }

        var build = Build(project);
        Assert.True(build.ExitCode == 0, $"The fixed sample does not build:{Environment.NewLine}{Changed()}{Environment.NewLine}{build}");
        var reported = DotNetCli.Diagnostics(build.Output);
        Assert.DoesNotContain(reported, d => d.Severity == "error");
        Assert.Equal(
            left.Select(d => d.Diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1).Order(),
            reported.Where(d => d.Id == id).Select(d => d.Line).Order());
    }

    /// <summary>
    /// THR011's fix leaves <c>Thread.Sleep</c> where a ref local or a ref struct local (a Span) would live across the new
    /// await (CS9217, CS4007). Async code may hold such locals from C# 13, which the in-process tests' Roslyn 4.8 does
    /// not compile: here dotnet format and the SDK's compiler check it, next to a sleep that is fixed.
    /// </summary>
    [Fact]
    public void DotnetFormatLeavesThreadSleepWhereARefLocalWouldLiveAcrossTheAwait()
    {
        var project = package.CreateProject("FormatTHR011RefLocals", """
            await PollAsync(CancellationToken.None);
            await FillAsync();
            await CountAsync(new int[1]);

            static async Task PollAsync(CancellationToken token)
            {
                Thread.Sleep(10);
                await Task.Yield();
            }

            static async Task FillAsync()
            {
                Span<int> buffer = stackalloc int[4];
                Thread.Sleep(10); // expect: THR011
                buffer[0] = 1;
                await Task.Yield();
            }

            static async Task CountAsync(int[] counts)
            {
                ref int first = ref counts[0];
                Thread.Sleep(10); // expect: THR011
                first++;
                await Task.Yield();
            }

            """);

        var format = DotNetCli.Run(project, BuildTimeout, package.Environment, "format", "analyzers", "--diagnostics", "THR011", "--severity", "info");

        Assert.True(format.ExitCode == 0, format.ToString());
        var program = File.ReadAllText(Path.Combine(project, "Program.cs"));
        Assert.Contains("    await Task.Delay(10, token);", program, StringComparison.Ordinal);
        var build = Build(project);
        Assert.True(build.ExitCode == 0, $"{program}{Environment.NewLine}{build}");
        var lines = program.Split('\n');
        Assert.Equal(
            Enumerable.Range(1, lines.Length).Where(line => lines[line - 1].Contains("// expect: THR011", StringComparison.Ordinal)),
            DotNetCli.Diagnostics(build.Output).Where(d => d.Id == "THR011").Select(d => d.Line).Order());
    }

    /// <summary>
    /// The package loads in a compiler older than the SDK's. RoslynCompilerType=Custom keeps the SDK from putting its
    /// own compiler tasks back in place of the toolset package's; the compiler's command line in the log proves which ran.
    /// </summary>
    [Fact]
    public void OlderCompilerToolsetLoadsTheAnalyzers()
    {
        var toolsetVersion = OldCompilerToolsetVersion;
        var project = package.CreateProject("OlderCompiler", UnjoinedThreadProgram, $"""
            <PropertyGroup><RoslynCompilerType>Custom</RoslynCompilerType></PropertyGroup>
            <ItemGroup><PackageReference Include="Microsoft.Net.Compilers.Toolset" Version="{toolsetVersion}" PrivateAssets="all" /></ItemGroup>
            """);

        var build = Build(project, "-v:n");

        Assert.True(build.ExitCode == 0, build.ToString());
        var compilerLine = build.Output.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, @"\bcsc\.(dll|exe)\b"))?.Replace('\\', '/');
        Assert.True(compilerLine is not null, $"No compiler command line in the log. {build}");
        Assert.Contains($"microsoft.net.compilers.toolset/{toolsetVersion}/", compilerLine, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"threadinganalyzers/{package.Version}/{AnalyzerFolder}ThreadingAnalyzers.dll", compilerLine, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\b(CS8032|CS9057)\b", build.Output);
        var thr001 = Assert.Single(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR001");
        Assert.Equal(UnjoinedThreadLine, thr001.Line);
    }

    private CommandResult Build(string project, params string[] extraArguments) => package.Build(project, extraArguments);

    internal static int MarkedLine(string source, string id)
    {
        var lines = source.Split('\n');
        return Array.FindIndex(lines, l => l.Contains("// expect: " + id, StringComparison.Ordinal)) + 1;
    }

    private static List<(string Name, Version Version)> AssemblyReferences(ZipArchiveEntry entry)
    {
        using var memory = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(memory);
        }

        memory.Position = 0;
        using var pe = new PEReader(memory);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences
            .Select(h => reader.GetAssemblyReference(h))
            .Select(r => (reader.GetString(r.Name), r.Version))
            .ToList();
    }
}
