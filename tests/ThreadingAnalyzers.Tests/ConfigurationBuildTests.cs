using System.IO;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// docs/configuration.md as a user meets it: a project with a work queue of its own, built with the packed package;
/// THR002 sees the race through the queue only once .editorconfig names the queue's method as a concurrent entry point.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
public sealed class ConfigurationBuildTests(PackedPackage package)
{
    private const string PoolProgram = """
        var counter = new Counter();
        counter.Start(new Shop.WorkQueue());
        Thread.Sleep(100);
        Console.WriteLine(counter.Count);

        namespace Shop
        {
            public sealed class WorkQueue
            {
                public void Post(Action work) => ThreadPool.UnsafeQueueUserWorkItem(_ => work(), null);
            }
        }

        sealed class Counter
        {
            private int _count;

            public int Count => _count;

            public void Start(Shop.WorkQueue queue)
            {
                for (var i = 0; i < 4; i++)
                {
                    queue.Post(() => _count++); // expect: THR002
                }
            }
        }

        """;

    private static readonly int RaceLine = PackageTests.MarkedLine(PoolProgram, "THR002");

    [Fact]
    public void ConfiguredEntryPointTurnsUpTheRaceInABuild()
    {
        var project = package.CreateProject("ConfiguredPool", PoolProgram);
        File.WriteAllText(Path.Combine(project, ".editorconfig"), """
            root = true

            [*.cs]
            threading_analyzers.concurrent_entry_points = M:Shop.WorkQueue.Post(System.Action)

            """);

        var build = package.Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        var race = Assert.Single(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR002");
        Assert.Equal((Path.Combine(project, "Program.cs"), RaceLine), (race.File, race.Line));
        Assert.Contains("WorkQueue.Post", race.Message, System.StringComparison.Ordinal);
        Assert.DoesNotContain(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR023");
    }

    [Fact]
    public void WithoutTheOptionTheSameBuildReportsNoRace()
    {
        var project = package.CreateProject("UnconfiguredPool", PoolProgram);

        var build = package.Build(project);

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(DotNetCli.Diagnostics(build.Output), d => d.Id == "THR002");
    }
}
