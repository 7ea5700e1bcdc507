using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// Builds samples/Samples.sln with the real CLI and checks that the THR diagnostics are exactly the lines the
/// sample sources mark with <c>// expect: THRxxx</c>: each marked line gets its diagnostic, no other line gets one.
/// Its build writes to a temporary folder only, so it runs alongside the package tests.
/// </summary>
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
public sealed class SamplesTests(SamplesTests.SamplesBuild samples) : IClassFixture<SamplesTests.SamplesBuild>
{
    /// <summary>
    /// <c>// expect: THRxxx</c> at the end of a line that gets the diagnostic; <c>// expect: THRxxx (project)</c> for a
    /// diagnostic without a source location (THR023's), which the build reports for the sample's project.
    /// </summary>
    private static readonly Regex Marker = new(@"//\s*expect:\s*(?<id>THR\d{3})\b(?<project>\s*\(project\))?", RegexOptions.CultureInvariant);

    private static string SamplesDirectory => Path.Combine(RepoInfo.Root, "samples");

    /// <summary>Every sample project: a folder of samples/ with a project file.</summary>
    public static IEnumerable<string> SampleProjects() =>
        Directory.GetDirectories(SamplesDirectory)
            .SelectMany(d => Directory.GetFiles(d, "*.csproj"))
            .Select(p => Path.GetRelativePath(SamplesDirectory, p).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>The C# sources of a sample folder, without build outputs.</summary>
    public static IEnumerable<string> SourceFiles(string sampleFolder) =>
        Directory.EnumerateFiles(sampleFolder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(sampleFolder, f).Replace('\\', '/').Split('/')
                .Any(part => part is "bin" or "obj"));

    /// <summary>The diagnostics the samples mark, as <c>relative/path.cs(line): ID</c>.</summary>
    public static IEnumerable<string> MarkedDiagnostics(string sampleFolder) =>
        from file in SourceFiles(sampleFolder)
        let lines = File.ReadAllLines(file)
        from index in Enumerable.Range(0, lines.Length)
        let marker = Marker.Match(lines[index])
        where marker.Success
        select marker.Groups["project"].Success
            ? Key(Directory.GetFiles(sampleFolder, "*.csproj").Single(), 0, marker.Groups["id"].Value)
            : Key(file, index + 1, marker.Groups["id"].Value);

    [Fact]
    public void EverySampleFolderIsInSamplesSln()
    {
        var solution = File.ReadAllText(Path.Combine(SamplesDirectory, "Samples.sln")).Replace('\\', '/');
        var inSolution = Regex.Matches(solution, @"^Project\(""[^""]*""\) = ""[^""]*"", ""(?<path>[^""]+\.csproj)""", RegexOptions.Multiline)
            .Select(m => m.Groups["path"].Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(SampleProjects());
        Assert.All(SampleProjects(), project => Assert.Contains(project, inSolution));
    }

    [Fact]
    public void SamplesBuildWithExactlyTheMarkedDiagnostics()
    {
        var build = samples.Result;
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(@"\b(AD0001|CS8032|CS9057)\b", build.Output);
        var reported = samples.Reported.Select(d => Key(d.File, d.Line, d.Id)).Order(StringComparer.Ordinal).ToList();
        var expected = Directory.GetDirectories(SamplesDirectory)
            .SelectMany(MarkedDiagnostics)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(expected);
        Assert.True(expected.SequenceEqual(reported), Difference(expected, reported));
    }

    /// <summary>All rules together report at most one diagnostic on a line of the samples, so no two rules fight over one hazard.</summary>
    [Fact]
    public void SamplesGetAtMostOneDiagnosticPerLine()
    {
        var crowded = samples.Reported
            .GroupBy(d => Key(d.File, d.Line, ""))
            .Where(g => g.Count() > 1)
            .Select(g => g.Key + string.Join(", ", g.Select(d => d.Id)))
            .ToList();

        Assert.True(crowded.Count == 0, "Lines with more than one diagnostic:" + Environment.NewLine + string.Join(Environment.NewLine, crowded));
    }

    private static string Key(string file, int line, string id) =>
        $"{Path.GetRelativePath(SamplesDirectory, file).Replace('\\', '/')}({line}): {id}";

    private static string Difference(IReadOnlyList<string> expected, IReadOnlyList<string> reported)
    {
        var missing = Subtract(expected, reported);
        var unexpected = Subtract(reported, expected);
        return "Marked but not reported:" + Environment.NewLine + string.Join(Environment.NewLine, missing.Select(k => "  " + k))
            + Environment.NewLine + "Reported but not marked (or reported more than once):" + Environment.NewLine
            + string.Join(Environment.NewLine, unexpected.Select(k => "  " + k));
    }

    /// <summary>The multiset difference: a line reported twice but marked once shows up once.</summary>
    private static List<string> Subtract(IEnumerable<string> from, IEnumerable<string> remove)
    {
        var rest = from.ToList();
        foreach (var item in remove)
        {
            rest.Remove(item);
        }

        return rest;
    }

    /// <summary>One build of the samples, shared by the checks of its output; its outputs go to a temporary folder.</summary>
    public sealed class SamplesBuild : IDisposable
    {
        private readonly string artifacts = Directory.CreateTempSubdirectory("ThreadingAnalyzers.samples.").FullName;
        private readonly Lazy<CommandResult> result;

        public SamplesBuild() =>
            result = new Lazy<CommandResult>(() => DotNetCli.Run(SamplesDirectory, TimeSpan.FromMinutes(8), environment: null,
                "build", "Samples.sln", "--no-incremental", "--disable-build-servers", "-tl:off", "-nologo",
                "-p:ArtifactsPath=" + artifacts));

        public CommandResult Result => result.Value;

        /// <summary>The THR diagnostics of the build, without the summary's repetitions.</summary>
        public IReadOnlyList<BuildDiagnostic> Reported =>
            DotNetCli.Diagnostics(Result.Output).Where(d => d.Id.StartsWith("THR", StringComparison.Ordinal)).ToList();

        public void Dispose()
        {
            try
            {
                Directory.Delete(artifacts, recursive: true);
            }
            catch (IOException)
            {
                // Cleaning the temporary folder is best effort.
            }
        }
    }
}
