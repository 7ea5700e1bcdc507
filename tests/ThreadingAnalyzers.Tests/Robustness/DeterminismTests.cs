using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using ThreadingAnalyzers.Benchmarks;

namespace ThreadingAnalyzers.Tests.Robustness;

/// <summary>
/// Analyzers run concurrently in every build: the same compilation analyzed five times with concurrent analysis
/// and a concurrent compiler must give the same diagnostics every time (order aside, which the driver does not fix).
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public async Task SameCompilationGivesSameDiagnosticsFiveTimes()
    {
        var corpus = Corpus.Create(new CorpusSize(MinimumFiles: 20, MinimumLines: 0), RepoInfo.Root);
        var compilation = corpus.Compilation.WithOptions(corpus.Compilation.Options.WithConcurrentBuild(true));
        var analyzers = Harness.Analyzers();

        string[]? first = null;
        for (var run = 1; run <= 5; run++)
        {
            var (diagnostics, exceptions) = await Harness.AnalyzeAsync(compilation, analyzers, concurrent: true);
            Assert.True(exceptions.IsEmpty, string.Join("\n", exceptions));
            var described = diagnostics.Select(Describe).Order(StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(described);
            if (first is null)
            {
                first = described;
            }
            else
            {
                Assert.Equal(first, described);
            }
        }
    }

    private static string Describe(Diagnostic diagnostic) =>
        string.Join(
            " | ",
            diagnostic.Location.GetLineSpan().ToString(),
            diagnostic.Id,
            diagnostic.Severity.ToString(),
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            string.Join(", ", diagnostic.AdditionalLocations.Select(location => location.GetLineSpan().ToString())),
            string.Join(", ", diagnostic.Properties.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}")));
}
