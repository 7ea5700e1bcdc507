using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ThreadingAnalyzers.Tests;

/// <summary>What a real build writes to its SARIF log for the rules whose reports point at more than one place.</summary>
[Collection(EndToEndCollection.Name)]
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
public sealed class SarifTests(PackedPackage package)
{
    private const string RacingProgram = """
        var total = 0;
        var worker = Task.Run(() => total++); // expect: THR002
        total += 10;
        await worker;

        """;

    [Fact]
    public void Thr002ResultCarriesTheStartSiteAndTheConflictingWriteAsRelatedLocations()
    {
        var project = package.CreateProject("SarifRelated", RacingProgram);

        var build = package.Build(project, "-p:ErrorLog=build.sarif%2Cversion=2.1");
        Assert.True(build.ExitCode == 0, build.ToString());

        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "build.sarif")));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var result = Assert.Single(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "THR002");
        Assert.Equal(2, StartLine(result.GetProperty("locations")[0]));
        Assert.Contains("(line 2)", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("writes it at line 3", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);

        // The start site (Task.Run on line 2) and the starter's own write of the total (line 3), in that order.
        var related = result.GetProperty("relatedLocations").EnumerateArray().ToList();
        Assert.Equal(new[] { 2, 3 }, related.Select(StartLine));
        Assert.All(related, location => Assert.Equal(
            Path.Combine(project, "Program.cs"),
            new Uri(location.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath));
    }

    private const string InconsistentProgram = """
        var counter = new Counter();
        counter.Add();
        counter.Reset();
        Console.WriteLine(counter.Count);

        class Counter
        {
            private readonly object _sync = new();
            private int _count;
            public int Count => _count;
            public void Add() { lock (_sync) { _count++; } }
            public void Reset() { _count = 0; } // expect: THR013
        }

        """;

    [Fact]
    public void Thr013ResultCarriesTheProtectedAccessAsARelatedLocation()
    {
        var project = package.CreateProject("SarifInconsistent", InconsistentProgram);

        var build = package.Build(project, "-p:ErrorLog=build.sarif%2Cversion=2.1");
        Assert.True(build.ExitCode == 0, build.ToString());

        using var sarif = JsonDocument.Parse(File.ReadAllText(Path.Combine(project, "build.sarif")));
        var run = sarif.RootElement.GetProperty("runs")[0];
        var result = Assert.Single(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "THR013");
        Assert.Equal(12, StartLine(result.GetProperty("locations")[0]));
        Assert.Contains("in Add (line 11)", result.GetProperty("message").GetProperty("text").GetString(), StringComparison.Ordinal);

        // The protected access: the write of _count inside the lock in Add, on line 11.
        var related = Assert.Single(result.GetProperty("relatedLocations").EnumerateArray());
        Assert.Equal(11, StartLine(related));
        Assert.Equal(
            Path.Combine(project, "Program.cs"),
            new Uri(related.GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!).LocalPath);
    }

    private static int StartLine(JsonElement location) =>
        location.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32();
}
