using System;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The configuration presets chosen with &lt;ThreadingAnalyzersMode&gt;: the checked-in files say what the descriptors
/// say, the package carries them next to build/ThreadingAnalyzers.props, and each one changes what a build reports.
/// </summary>
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
[Collection(EndToEndCollection.Name)]
public sealed class PresetTests(PackedPackage package)
{
    public static TheoryData<string> PresetNames => new(Presets.Names);

    [Theory]
    [MemberData(nameof(PresetNames))]
    public void CheckedInPresetIsWhatTheDescriptorsSay(string preset)
    {
        var expected = Presets.Render(preset, MetaTests.AllDescriptors);
        var path = Presets.FilePath(preset);
        if (Environment.GetEnvironmentVariable(Presets.WriteVariable) == "1")
        {
            File.WriteAllText(path, expected);
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal) : "(missing)";
        Assert.True(expected == actual,
            $"{Path.GetRelativePath(RepoInfo.Root, path)} is not what the descriptors say; `{Presets.WriteVariable}=1 dotnet test "
            + $"--filter FullyQualifiedName~PresetTests.CheckedIn` rewrites it. Expected:{Environment.NewLine}{expected}");
    }

    [Fact]
    public void NupkgCarriesThePropsAndEveryPresetUnderBuild()
    {
        using var zip = ZipFile.OpenRead(package.NupkgPath);
        var build = zip.Entries.Where(e => e.FullName.StartsWith("build/", StringComparison.Ordinal)).ToDictionary(e => e.FullName[6..]);

        Assert.Equal(
            Presets.Names.Select(Presets.FileName).Append(PackedPackage.PackageId + ".props").Order(StringComparer.Ordinal),
            build.Keys.Order(StringComparer.Ordinal));
        foreach (var preset in Presets.Names)
        {
            using var reader = new StreamReader(build[Presets.FileName(preset)].Open());
            Assert.Equal(File.ReadAllText(Presets.FilePath(preset)), reader.ReadToEnd());
        }

        Assert.DoesNotContain(zip.Entries, e => e.FullName.StartsWith("buildTransitive/", StringComparison.Ordinal));
    }

    /// <summary>The THR001 program under each preset: a warning, an error that fails the build, or nothing.</summary>
    [Theory]
    [MemberData(nameof(PresetNames))]
    public void PresetDecidesWhatTheBuildReportsForThr001(string preset)
    {
        var severity = Presets.Severity(preset, Descriptors.THR001);
        var project = package.CreateProject("Preset" + preset, PackageTests.UnjoinedThreadProgram,
            $"<PropertyGroup><ThreadingAnalyzersMode>{preset}</ThreadingAnalyzersMode></PropertyGroup>");

        var build = package.Build(project);

        var thr001 = DotNetCli.Diagnostics(build.Output).Where(d => d.Id == "THR001").ToList();
        Assert.True((build.ExitCode != 0) == (severity == "error"), $"{preset} makes THR001 {severity}. {build}");
        if (severity is "error" or "warning")
        {
            Assert.Equal((PackageTests.UnjoinedThreadLine, severity), (Assert.Single(thr001).Line, Assert.Single(thr001).Severity));
        }
        else
        {
            Assert.Empty(thr001);
        }
    }

    [Fact]
    public void UnknownModeFailsTheBuildAndNamesTheModes()
    {
        var project = package.CreateProject("PresetUnknown", PackageTests.UnjoinedThreadProgram,
            "<PropertyGroup><ThreadingAnalyzersMode>Strictest</ThreadingAnalyzersMode></PropertyGroup>");

        var build = package.Build(project);

        Assert.True(build.ExitCode != 0, build.ToString());
        Assert.Contains("ThreadingAnalyzersMode is 'Strictest'; use Default, Strict or None.", build.Output, StringComparison.Ordinal);
    }
}
