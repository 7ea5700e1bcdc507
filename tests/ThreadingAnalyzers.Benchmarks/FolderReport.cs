using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// <c>--list DIR [THR0xx,...] [--config FILE]</c>: compiles every .cs file below a folder of real code in memory, the way the
/// benchmark compiles its corpus (no project resolution, framework references only), and prints each THR
/// diagnostic with its line of source, so that a rule's reports on real projects can be read one by one.
/// </summary>
public static class FolderReport
{
    public static async Task<int> RunAsync(string directory, IReadOnlyCollection<string> ruleIds, TextWriter output, string? configFile = null)
    {
        if (!Directory.Exists(directory))
        {
            output.WriteLine($"no such folder: {directory}");
            return 2;
        }

        var compilation = Compile(directory);
        var analyzers = RuleCatalog.CreateAnalyzers()
            .Where(analyzer => ruleIds.Count == 0 || analyzer.SupportedDiagnostics.Any(d => ruleIds.Contains(d.Id)))
            .ToImmutableArray();
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            configFile is null
                ? new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty)
                : new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, ConfigFileOptions.Read(configFile)),
            (exception, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {exception}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync().ConfigureAwait(false);
        var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
        output.WriteLine($"{compilation.SyntaxTrees.Count()} files, {errors} compiler errors (missing references are expected)");

        foreach (var diagnostic in diagnostics
                     .Where(d => ruleIds.Count == 0 || ruleIds.Contains(d.Id))
                     .OrderBy(d => d.Id, StringComparer.Ordinal)
                     .ThenBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
                     .ThenBy(d => d.Location.SourceSpan.Start))
        {
            if (!diagnostic.Location.IsInSource)
            {
                output.WriteLine($"{diagnostic.Id} (no location): {diagnostic.GetMessage()}");
                continue;
            }

            var span = diagnostic.Location.GetLineSpan();
            var line = diagnostic.Location.SourceTree?.GetText().Lines[span.StartLinePosition.Line].ToString().Trim();
            output.WriteLine($"{diagnostic.Id} {Path.GetRelativePath(directory, span.Path)}:{span.StartLinePosition.Line + 1}: {diagnostic.GetMessage()}");
            output.WriteLine($"    {line}");
            foreach (var related in diagnostic.AdditionalLocations.Where(l => l.IsInSource))
            {
                var relatedSpan = related.GetLineSpan();
                output.WriteLine($"    related {Path.GetRelativePath(directory, relatedSpan.Path)}:{relatedSpan.StartLinePosition.Line + 1}");
            }
        }

        foreach (var group in diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{group.Key}: {group.Count()}");
        }

        foreach (var exception in exceptions)
        {
            output.WriteLine($"ANALYZER EXCEPTION {exception}");
        }

        return exceptions.IsEmpty ? 0 : 1;
    }

    /// <summary>
    /// Every .cs file below <paramref name="directory"/> but bin/ and obj/, against the framework reference assemblies.
    /// <paramref name="concurrentBuild"/> false binds on one thread, as the benchmark's compilations do.
    /// </summary>
    public static CSharpCompilation Compile(string directory, bool concurrentBuild = true)
    {
        var trees = Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal)
            .Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), Corpus.ParseOptions, path: file))
            .ToList();
        var (references, _) = FrameworkReferences.Load();
        return CSharpCompilation.Create("Folder", trees, references, Corpus.CompilationOptions.WithConcurrentBuild(concurrentBuild));
    }
}
