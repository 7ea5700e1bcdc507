using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The configuration presets the package carries, as global AnalyzerConfig files under
/// src/ThreadingAnalyzers.Package/build/, made from the rule descriptors so that a new rule joins every preset.
/// PresetTests fails when a checked-in file differs from what this class makes; run it with
/// THREADINGANALYZERS_WRITE_PRESETS=1 to rewrite the files.
/// </summary>
internal static class Presets
{
    public const string WriteVariable = "THREADINGANALYZERS_WRITE_PRESETS";

    public static readonly string[] Names = ["Default", "Strict", "None"];

    /// <summary>The hazards the package was made to catch: Strict fails the build on them.</summary>
    private static readonly HashSet<string> MissionRules = ["THR001", "THR002", "THR003", "THR004"];

    private static readonly Dictionary<string, string> Summaries = new()
    {
        ["Default"] = "every rule at the severity its descriptor gives it",
        ["Strict"] = "every rule at least a warning, and the mission rules THR001-THR004 errors",
        ["None"] = "every rule off",
    };

    public static string FilePath(string preset) =>
        Path.Combine(RepoInfo.Root, "src", "ThreadingAnalyzers.Package", "build", FileName(preset));

    public static string FileName(string preset) => $"ThreadingAnalyzers.{preset}.globalconfig";

    /// <summary>The .editorconfig severity of a rule under a preset: error, warning, suggestion, silent or none.</summary>
    public static string Severity(string preset, DiagnosticDescriptor rule) => preset switch
    {
        "Default" => EditorConfigSeverity(rule.DefaultSeverity),
        "Strict" => MissionRules.Contains(rule.Id) || rule.DefaultSeverity == DiagnosticSeverity.Error ? "error" : "warning",
        "None" => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "not a preset"),
    };

    /// <summary>The file's text, with \n line ends.</summary>
    public static string Render(string preset, IEnumerable<DiagnosticDescriptor> rules)
    {
        var text = new StringBuilder()
            .Append($"# ThreadingAnalyzers preset {preset}: {Summaries[preset]}.\n")
            .Append($"# Selected with <ThreadingAnalyzersMode>{preset}</ThreadingAnalyzersMode>. Generated from the rule descriptors\n")
            .Append($"# by tests/ThreadingAnalyzers.Tests/Presets.cs ({WriteVariable}=1 dotnet test rewrites it); do not edit.\n")
            .Append("is_global = true\n")
            // Below the default level (100) of the user's own global configs, which therefore win; .editorconfig always wins.
            .Append("global_level = -1\n");
        foreach (var rule in rules.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            text.Append('\n')
                .Append($"# {rule.Id}: {rule.Title} ({rule.Category}, default {rule.DefaultSeverity})\n")
                .Append($"dotnet_diagnostic.{rule.Id}.severity = {Severity(preset, rule)}\n");
        }

        return text.ToString();
    }

    private static string EditorConfigSeverity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "suggestion",
        _ => "silent",
    };
}
