using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace ThreadingAnalyzers.Tests;

/// <summary>What a <c>dotnet</c> command printed (stdout and stderr, interleaved) and how it exited.</summary>
public sealed record CommandResult(string CommandLine, int ExitCode, string Output)
{
    public override string ToString() => $"`{CommandLine}` exited with {ExitCode}:{Environment.NewLine}{Output}";
}

/// <summary>One <c>file(line,col): severity ID: message</c> line of a build log.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message)
{
    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}

/// <summary>Runs the real <c>dotnet</c> CLI, as a user or CI would, with a timeout that kills the whole process tree.</summary>
public static class DotNetCli
{
    private static readonly Regex DiagnosticLine = new(
        @"^\s*(?:\d+>)?(?<file>\S.*?)\((?<line>\d+),(?<column>\d+)(?:,\d+,\d+)?\): (?<severity>warning|error|info) (?<id>[A-Za-z]+\d+): (?<message>.*?)(?: \[[^\]]*\])?\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>A diagnostic without a source location (THR023's), which the compiler prints for the project: <c>CSC : warning ID: message [project]</c>.</summary>
    private static readonly Regex ProjectDiagnosticLine = new(
        @"^\s*(?:\d+>)?CSC : (?<severity>warning|error|info) (?<id>[A-Za-z]+\d+): (?<message>.*?) \[(?<project>[^\]]+)\]\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    /// <summary>
    /// Runs <c>dotnet <paramref name="arguments"/></c> in <paramref name="workingDirectory"/>. Build servers are off, so
    /// no MSBuild node or compiler server outlives the command or holds its output open.
    /// </summary>
    public static CommandResult Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = StartInfo(workingDirectory, environment, arguments);
        var commandLine = "dotnet " + string.Join(" ", arguments);
        var output = new StringBuilder();
        var stdoutClosed = new TaskCompletionSource();
        var stderrClosed = new TaskCompletionSource();
        void Append(string? line, TaskCompletionSource closed)
        {
            if (line is null)
            {
                closed.TrySetResult();
                return;
            }

            lock (output)
            {
                output.AppendLine(line);
            }
        }

        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data, stdoutClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, stderrClosed);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(30));
            string partial;
            lock (output)
            {
                partial = output.ToString();
            }

            throw new TimeoutException($"`{commandLine}` did not finish within {timeout} and was killed. Output so far:{Environment.NewLine}{partial}");
        }

        // A grandchild that inherited the pipes could keep them open; the exit code is known, so wait only briefly.
        Task.WaitAll([stdoutClosed.Task, stderrClosed.Task], TimeSpan.FromSeconds(10));
        lock (output)
        {
            return new CommandResult(commandLine, process.ExitCode, output.ToString());
        }
    }

    /// <summary>
    /// How every child <c>dotnet</c> process starts: all three streams redirected, no MSBuild state of the test host,
    /// no build servers, English messages, plus <paramref name="environment"/>.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // `dotnet test` leaks its own MSBuild state into the test host; the child build must be the one a user runs.
        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        startInfo.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        startInfo.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        foreach (var pair in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[pair.Key] = pair.Value;
        }

        return startInfo;
    }

    /// <summary>
    /// The diagnostics of a build log, each once: the console logger repeats every warning and error in its
    /// summary after "Build succeeded." or "Build FAILED.", so only the lines before the summary count. A diagnostic
    /// without a source location is given its project file, at line 0.
    /// </summary>
    public static IReadOnlyList<BuildDiagnostic> Diagnostics(string buildOutput)
    {
        var summary = Regex.Match(buildOutput, @"^\s*Build (succeeded|FAILED)\.", RegexOptions.Multiline);
        var log = summary.Success ? buildOutput.Substring(0, summary.Index) : buildOutput;
        return DiagnosticLine.Matches(log)
            .Select(m => new BuildDiagnostic(
                Path.GetFullPath(m.Groups["file"].Value.Trim()),
                int.Parse(m.Groups["line"].Value),
                int.Parse(m.Groups["column"].Value),
                m.Groups["severity"].Value,
                m.Groups["id"].Value,
                m.Groups["message"].Value))
            .Concat(ProjectDiagnosticLine.Matches(log).Select(m => new BuildDiagnostic(
                Path.GetFullPath(m.Groups["project"].Value.Trim()), 0, 0, m.Groups["severity"].Value, m.Groups["id"].Value, m.Groups["message"].Value)))
            .ToList();
    }
}
