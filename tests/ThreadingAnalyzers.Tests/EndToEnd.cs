using System;
using System.Collections.Generic;
using System.IO;
using System.Security;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The package tests build for real. They run one after another (they share two cores with the rest of the
/// suite) and share one packed package, made on first use.
/// </summary>
/// <summary>
/// The trait of the slow tests that build, pack or run real programs (package, presets, samples, language server,
/// benchmark): <c>dotnet test --filter "Category!=EndToEnd"</c> runs the fast suite without them.
/// </summary>
public static class TestCategory
{
    public const string Name = "Category";

    public const string EndToEnd = "EndToEnd";
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// ThreadingAnalyzers packed once per test run into a temporary folder, with a version no earlier run used, so
/// that no NuGet cache can serve a stale copy; and throwaway projects that install it. Everything lives under
/// the temporary folder and is deleted at the end: the repository and the user's NuGet cache stay untouched.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public const string PackageId = "ThreadingAnalyzers";

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly Lazy<string> nupkgPath;

    public PackedPackage()
    {
        Root = Directory.CreateTempSubdirectory("ThreadingAnalyzers.e2e.").FullName;
        Version = $"0.0.0-e2e.{DateTime.UtcNow.Ticks}";
        Source = Path.Combine(Root, "source");
        NuGetCache = Path.Combine(Root, "nuget-packages");
        nupkgPath = new Lazy<string>(Pack);
        WriteProjectRoot();
    }

    /// <summary>The temporary folder that holds the package source, the private NuGet cache and the projects.</summary>
    public string Root { get; }

    public string Version { get; }

    /// <summary>The local package source the nupkg is packed into.</summary>
    public string Source { get; }

    /// <summary>The private NuGet global-packages folder of the throwaway projects.</summary>
    public string NuGetCache { get; }

    /// <summary>The nupkg, packed on first use; a failed pack fails every test that asks for it with the pack's output.</summary>
    public string NupkgPath => nupkgPath.Value;

    /// <summary>The environment of every command on a throwaway project: restores go to the private cache.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = NuGetCache };

    /// <summary>
    /// A new console project that references the package. <paramref name="projectXml"/> is added inside the
    /// project element; pass <paramref name="referencePackage"/> false to install the package with <c>dotnet add package</c>.
    /// </summary>
    public string CreateProject(string name, string program, string projectXml = "", bool referencePackage = true)
    {
        _ = NupkgPath;
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        var packageReference = referencePackage
            ? $"""<ItemGroup><PackageReference Include="{PackageId}" Version="{Version}" PrivateAssets="all" /></ItemGroup>"""
            : "";
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              {packageReference}
              {projectXml}
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    /// <summary><c>dotnet build</c> of a throwaway project, as a user runs it, with <paramref name="extraArguments"/>.</summary>
    public CommandResult Build(string project, params string[] extraArguments) =>
        DotNetCli.Run(project, BuildTimeout, Environment,
            ["build", "--disable-build-servers", "-tl:off", "-nologo", .. extraArguments]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the run; the folder is in the temporary directory.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private string Pack()
    {
        var project = Path.Combine(RepoInfo.Root, "src", "ThreadingAnalyzers.Package", "ThreadingAnalyzers.Package.csproj");
        var result = DotNetCli.Run(RepoInfo.Root, PackTimeout, environment: null,
            "pack", project, "-c", "Release", "-o", Source, "-p:Version=" + Version,
            // Build outputs go to the temporary folder, never into the repository's bin and obj.
            "-p:ArtifactsPath=" + Path.Combine(Root, "artifacts"),
            "--disable-build-servers", "-tl:off", "-nologo");
        var nupkg = Path.Combine(Source, $"{PackageId}.{Version}.nupkg");
        if (result.ExitCode != 0 || !File.Exists(nupkg))
        {
            throw new InvalidOperationException($"Packing failed or wrote no {Path.GetFileName(nupkg)}. {result}");
        }

        return nupkg;
    }

    /// <summary>
    /// The folder above the throwaway projects: a NuGet.config that keeps the machine's sources and adds the packed
    /// one, reads packages already in the user's cache without writing there, and empty Directory.Build files so
    /// that nothing from folders above leaks into the builds.
    /// </summary>
    private void WriteProjectRoot()
    {
        Directory.CreateDirectory(Source);
        File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="ThreadingAnalyzers.E2E" value="{SecurityElement.Escape(Source)}" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="UserPackages" value="{SecurityElement.Escape(RepoInfo.NuGetPackageRoot)}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            File.WriteAllText(Path.Combine(Root, file), "<Project />\n");
        }
    }
}
