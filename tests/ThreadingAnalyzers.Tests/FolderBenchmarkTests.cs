using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ThreadingAnalyzers.Benchmarks;
using Xunit.Abstractions;

namespace ThreadingAnalyzers.Tests;

/// <summary>
/// The benchmark's <c>--corpus DIR</c> mode on a folder this test writes: the report has the rule table and the editor
/// lines, the threading document is measured first, and bin/ is left out. Timings are not checked: they belong to the
/// real-code runs (docs/performance.md), not to a folder of three files.
/// </summary>
[Collection(nameof(BenchmarkCollection))]
public sealed class FolderBenchmarkTests
{
    private const string Worker = """
        using System.Threading;

        namespace Sample;

        public sealed class Worker
        {
            private readonly object _gate = new();
            private int _count;

            public void Run()
            {
                var thread = new Thread(() => { lock (_gate) { _count++; } });
                thread.Start();
                Thread.Sleep(10);
            }
        }
        """;

    private const string Invoice = """
        namespace Sample;

        public sealed class Invoice
        {
            public decimal Total { get; set; }

            public decimal WithTax(decimal rate) => Total * (1 + rate);
        }
        """;

    private const string BuildOutput = """
        namespace Sample;

        public sealed class Generated { }
        """;

    private readonly ITestOutputHelper _output;

    public FolderBenchmarkTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task CorpusModeReportsEveryRuleAndTheEditorRatios()
    {
        var directory = Directory.CreateTempSubdirectory("thr-corpus-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "Worker.cs"), Worker);
            File.WriteAllText(Path.Combine(directory, "Invoice.cs"), Invoice);
            Directory.CreateDirectory(Path.Combine(directory, "bin"));
            File.WriteAllText(Path.Combine(directory, "bin", "Generated.cs"), BuildOutput);

            var progress = new StringWriter();
            var report = await FolderBenchmark.RunAsync(directory, BenchmarkOptions.Folder, progress);
            var text = new StringWriter();
            report.Write(text);
            var written = text.ToString();
            _output.WriteLine(progress + written);

            Assert.Empty(report.AnalyzerExceptions);
            Assert.Equal(2, report.Files);
            var lines = written.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
            foreach (var analyzer in RuleCatalog.CreateAnalyzers())
            {
                var row = $"  | {RuleCatalog.RuleIds(analyzer)} | {analyzer.GetType().Name} | ";
                Assert.True(lines.Count(line => line.StartsWith(row, StringComparison.Ordinal)) == 1, $"no row for {row}\n{written}");
            }

            Assert.Contains(lines, line => line.StartsWith("  | All THR | ", StringComparison.Ordinal));
            Assert.Equal(new[] { "Worker.cs", "Invoice.cs" }, report.Editor.Select(editor => editor.File));
            Assert.Contains(lines, line => line.StartsWith("  | Worker.cs | 3 threading words | ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("  | Invoice.cs | 0 threading words | ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("  Editor ratio (THR / Compiler) over these documents: median ", StringComparison.Ordinal));
            Assert.Contains(lines, line => line.StartsWith("Targets: all THR <= 2% and each rule <= 0.3% of compile time; editor ratio median <= 0.3, maximum <= 1.", StringComparison.Ordinal));
            Assert.Contains(lines, line => line is "Result: targets met" or "Result: targets missed");
            Assert.Contains(report.Build.Rules, rule => rule.Rules == "THR001" && rule.Diagnostics == 1);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
