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
public sealed class SamplesTests
{
    private static readonly Regex Marker = new(@"//\s*expect:\s*(?<ids>THR\d{3}(?:\s*,\s*THR\d{3})*)", RegexOptions.CultureInvariant);

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

    /// <summary>The diagnostics the samples mark, as <c>relative/path.cs(line): ID</c>, once per expected diagnostic.</summary>
    public static IEnumerable<string> MarkedDiagnostics(string sampleFolder) =>
        from file in SourceFiles(sampleFolder)
        let lines = File.ReadAllLines(file)
        from index in Enumerable.Range(0, lines.Length)
        let marker = Marker.Match(lines[index])
        where marker.Success
        from id in marker.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries)
        select Key(file, index + 1, id);

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
        using var artifacts = new TemporaryDirectory("ThreadingAnalyzers.samples.");
        var build = DotNetCli.Run(SamplesDirectory, TimeSpan.FromMinutes(8), environment: null,
            "build", "Samples.sln", "--no-incremental", "--disable-build-servers", "-tl:off", "-nologo",
            // Build outputs go to a temporary folder, never into the repository's bin and obj.
            "-p:ArtifactsPath=" + artifacts.Path);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(@"\b(AD0001|CS8032|CS9057)\b", build.Output);
        var reported = DotNetCli.Diagnostics(build.Output)
            .Where(d => d.Id.StartsWith("THR", StringComparison.Ordinal))
            .Select(d => Key(d.File, d.Line, d.Id))
            .Order(StringComparer.Ordinal)
            .ToList();
        var expected = Directory.GetDirectories(SamplesDirectory)
            .SelectMany(MarkedDiagnostics)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(expected);
        Assert.True(expected.SequenceEqual(reported), Difference(expected, reported));
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

    private sealed class TemporaryDirectory(string prefix) : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // Cleaning the temporary folder is best effort.
            }
        }
    }
}
