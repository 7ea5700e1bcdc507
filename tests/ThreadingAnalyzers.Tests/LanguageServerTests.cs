using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// Squiggles where users meet them: csharp-ls, a real C# language server from the repository's tool manifest, opens a
/// throwaway project that installed the packed package, and the test speaks LSP to it as an editor would.
/// </summary>
[Trait(TestCategory.Name, TestCategory.EndToEnd)]
[Collection(EndToEndCollection.Name)]
public sealed class LanguageServerTests(PackedPackage package, ITestOutputHelper output)
{
    /// <summary>How long the server may take to load the project and run the analyzers; the machine may be busy.</summary>
    private static readonly TimeSpan DiagnosticTimeout = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private const string UnjoinedCall = "worker.Start()";

    private const string UnjoinedThreadProgram = """
        Console.WriteLine("main starts a worker");
        var worker = new Thread(() => Console.WriteLine("worker runs"));
        worker.Start();
        Console.WriteLine("main returns");

        """;

    /// <summary>What "Join the thread" makes of the program: the join at the end of the statements.</summary>
    private const string JoinedThreadProgram = """
        Console.WriteLine("main starts a worker");
        var worker = new Thread(() => Console.WriteLine("worker runs"));
        worker.Start();
        Console.WriteLine("main returns");
        worker.Join();

        """;

    /// <summary>The titles of the THR001 code fixes.</summary>
    private static readonly string[] OurFixTitles = ["Join the thread", "Make it a background thread"];

    [Fact]
    public async Task CsharpLsShowsThr001AsAWarningAndDropsItOnceTheThreadIsJoined()
    {
        _ = package.NupkgPath; // packed once for the whole collection: not part of what this test measures
        var stopwatch = Stopwatch.StartNew();
        var project = package.CreateProject("LanguageServer", UnjoinedThreadProgram);
        // The server loads projects but does not restore them; without project.assets.json no NuGet analyzer loads.
        var restore = DotNetCli.Run(project, TimeSpan.FromMinutes(5), package.Environment, "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        // The project's folder gets the repository's tool manifest, as a user's repository would have it.
        Directory.CreateDirectory(Path.Combine(project, ".config"));
        File.Copy(Path.Combine(RepoInfo.Root, ".config", "dotnet-tools.json"), Path.Combine(project, ".config", "dotnet-tools.json"));

        var uri = new Uri(Path.Combine(project, "Program.cs")).AbsoluteUri;
        var refreshed = new SemaphoreSlim(0);
        using var server = new LanguageServerClient(
            DotNetCli.StartInfo(project, package.Environment, "tool", "run", "csharp-ls"),
            (method, parameters) => Answer(method, parameters, refreshed));

        await server.RequestAsync("initialize", Initialize(project), RequestTimeout);
        await server.NotifyAsync("initialized", new { });
        await server.NotifyAsync("textDocument/didOpen", new
        {
            textDocument = new { uri, languageId = "csharp", version = 1, text = UnjoinedThreadProgram },
        });

        var diagnostics = await WaitForDiagnostics(server, uri, version: 1, refreshed, d => d.Any(IsThr001));
        var thr001 = Assert.Single(diagnostics, IsThr001);
        output.WriteLine($"THR001 arrived {stopwatch.Elapsed.TotalSeconds:0.0} s after the restore began: {thr001}");
        var line = UnjoinedThreadProgram.Split('\n').ToList().FindIndex(l => l.Contains(UnjoinedCall, StringComparison.Ordinal));
        // THR001 covers the Start name of the call.
        var character = UnjoinedThreadProgram.Split('\n')[line].IndexOf(UnjoinedCall, StringComparison.Ordinal) + "worker.".Length;
        Assert.Equal(
            (line, character, line, character + "Start".Length),
            (Position(thr001, "start", "line"), Position(thr001, "start", "character"), Position(thr001, "end", "line"), Position(thr001, "end", "character")));
        Assert.Equal(2, thr001.GetProperty("severity").GetInt32()); // DiagnosticSeverity.Warning
        Assert.Contains("'worker'", thr001.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Descriptors.THR001.HelpLinkUri, thr001.GetProperty("codeDescription").GetProperty("href").GetString());

        var actions = await server.RequestAsync("textDocument/codeAction", new
        {
            textDocument = new { uri },
            range = thr001.GetProperty("range"),
            context = new { diagnostics = new[] { thr001 } },
        }, RequestTimeout);
        var titles = actions.ValueKind == JsonValueKind.Array
            ? actions.EnumerateArray().Select(a => a.GetProperty("title").GetString()!).ToList()
            : [];
        output.WriteLine($"textDocument/codeAction at THR001 returned {titles.Count} action(s): {string.Join(", ", titles.Select(t => $"\"{t}\""))}");
        if (titles.Intersect(OurFixTitles).Any())
        {
            Assert.Contains("Join the thread", titles);
        }
        else
        {
            output.WriteLine("The server offers none of our fixes: csharp-ls takes code fixes only from Roslyn's own assemblies, not from analyzer packages.");
        }

        await server.NotifyAsync("textDocument/didChange", new
        {
            textDocument = new { uri, version = 2 },
            contentChanges = new[] { new { text = JoinedThreadProgram } },
        });
        var afterFix = await WaitForDiagnostics(server, uri, version: 2, refreshed, d => !d.Any(IsThr001));
        Assert.DoesNotContain(afterFix, IsThr001);

        await server.RequestAsync("shutdown", null, RequestTimeout);
        await server.NotifyAsync("exit", null);
        output.WriteLine($"The language-server test took {stopwatch.Elapsed.TotalSeconds:0.0} s, restore included.");
    }

    private static bool IsThr001(JsonElement diagnostic) =>
        diagnostic.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString() == "THR001";

    private static int Position(JsonElement diagnostic, string end, string part) =>
        diagnostic.GetProperty("range").GetProperty(end).GetProperty(part).GetInt32();

    /// <summary>What an editor declares: configuration, progress, and diagnostics both pushed and pulled.</summary>
    private static object Initialize(string project)
    {
        var root = new Uri(project + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');
        return new
        {
            processId = Environment.ProcessId,
            rootUri = root,
            workspaceFolders = new[] { new { uri = root, name = Path.GetFileName(project) } },
            capabilities = new
            {
                workspace = new { configuration = true, workspaceFolders = true, diagnostics = new { refreshSupport = true } },
                textDocument = new
                {
                    synchronization = new { dynamicRegistration = false },
                    publishDiagnostics = new { versionSupport = true },
                    diagnostic = new { dynamicRegistration = true },
                    codeAction = new
                    {
                        codeActionLiteralSupport = new { codeActionKind = new { valueSet = new[] { "", "quickfix", "refactor" } } },
                        resolveSupport = new { properties = new[] { "edit" } },
                    },
                },
                window = new { workDoneProgress = true },
            },
        };
    }

    /// <summary>Every request the server sends gets an answer; analyzers are off in csharp-ls unless configured on.</summary>
    private static JsonNode? Answer(string method, JsonElement parameters, SemaphoreSlim refreshed)
    {
        switch (method)
        {
            case "workspace/configuration":
                var items = new JsonArray();
                foreach (var item in parameters.GetProperty("items").EnumerateArray())
                {
                    var section = item.TryGetProperty("section", out var s) ? s.GetString() : null;
                    items.Add(section == "csharp" ? new JsonObject { ["analyzersEnabled"] = true } : null);
                }

                return items;
            case "workspace/diagnostic/refresh":
                refreshed.Release();
                return null;
            case "client/registerCapability" or "client/unregisterCapability" or "window/workDoneProgress/create" or "window/showMessageRequest":
                return null;
            default:
                throw new NotSupportedException(method);
        }
    }

    /// <summary>
    /// The diagnostics of the document at <paramref name="version"/> once <paramref name="done"/> holds, pushed by
    /// textDocument/publishDiagnostics or pulled with textDocument/diagnostic, whichever comes first. It pulls every few
    /// seconds and at once after a workspace/diagnostic/refresh, and fails after the timeout.
    /// </summary>
    private static async Task<List<JsonElement>> WaitForDiagnostics(
        LanguageServerClient server, string uri, int version, SemaphoreSlim refreshed, Func<List<JsonElement>, bool> done)
    {
        using var timeout = new CancellationTokenSource(DiagnosticTimeout);
        var last = new List<JsonElement>();
        while (!timeout.IsCancellationRequested)
        {
            while (server.Notifications.TryRead(out var notification))
            {
                if (notification.Method == "textDocument/publishDiagnostics"
                    && notification.Params.GetProperty("uri").GetString() == uri
                    && (!notification.Params.TryGetProperty("version", out var v) || v.ValueKind != JsonValueKind.Number || v.GetInt32() >= version))
                {
                    last = notification.Params.GetProperty("diagnostics").EnumerateArray().ToList();
                    if (done(last))
                    {
                        return last;
                    }
                }
            }

            var report = await server.RequestAsync("textDocument/diagnostic", new { textDocument = new { uri } }, RequestTimeout);
            if (report.ValueKind == JsonValueKind.Object && report.TryGetProperty("items", out var items))
            {
                last = items.EnumerateArray().ToList();
                if (done(last))
                {
                    return last;
                }
            }

            using var pause = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
            await Task.WhenAny(refreshed.WaitAsync(pause.Token), Task.Delay(PollInterval, pause.Token));
            pause.Cancel(); // withdraws the wait that did not finish, so that it cannot swallow a later refresh
        }

        throw new TimeoutException(
            $"Within {DiagnosticTimeout} the server did not report what the test waits for at version {version}. Last diagnostics: [{string.Join(", ", last)}]{Environment.NewLine}{server.Transcript}");
    }
}
