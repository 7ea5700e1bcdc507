using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// The <c>key = value</c> lines of a global config file (<c>threading_analyzers.*</c> options) as the analyzer options of a
/// folder report, so that docs/configuration.md can be tried on real code without a project file.
/// </summary>
public sealed class ConfigFileOptions : AnalyzerConfigOptionsProvider
{
    private readonly Options _options;

    private ConfigFileOptions(Dictionary<string, string> values) => _options = new Options(values);

    public override AnalyzerConfigOptions GlobalOptions => _options;

    public static ConfigFileOptions Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var equals = line.IndexOf('=');
            if (equals > 0 && !line.TrimStart().StartsWith('#') && !line.TrimStart().StartsWith('['))
            {
                values[line.Substring(0, equals).Trim()] = line.Substring(equals + 1).Trim();
            }
        }

        return new ConfigFileOptions(values);
    }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
