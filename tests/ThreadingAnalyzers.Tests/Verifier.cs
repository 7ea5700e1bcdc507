using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ThreadingAnalyzers.Tests;

/// <summary>Reference assemblies that need no download at test time.</summary>
public static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyNet80 = new(() =>
    {
        var dir = Path.Combine(RepoInfo.NuGetPackageRoot, "microsoft.netcore.app.ref", "8.0.0", "ref", "net8.0");
        return Directory.GetFiles(dir, "*.dll").Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    });

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyNet10 = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll" or "Microsoft.Win32.Primitives.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>The .NET 8 reference pack: no <c>System.Threading.Lock</c>.</summary>
    public static ImmutableArray<MetadataReference> Net80 => LazyNet80.Value;

    /// <summary>The test host's own .NET 10 assemblies: has <c>System.Threading.Lock</c>.</summary>
    public static ImmutableArray<MetadataReference> Net100 => LazyNet10.Value;
}

public static class RepoInfo
{
    private static string Metadata(string key) =>
        typeof(RepoInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    public static string NuGetPackageRoot => Metadata("NuGetPackageRoot");

    public static string Root => Path.GetFullPath(Metadata("RepoRoot"));
}

/// <summary>The one verifier every rule's tests use, for analyzers that have a code fix.</summary>
public static class Verifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test(bool net10 = false)
        {
            ReferenceAssemblies = new ReferenceAssemblies("net8.0");
            TestState.AdditionalReferences.AddRange(net10 ? TestReferences.Net100 : TestReferences.Net80);
            FixedState.AdditionalReferences.AddRange(net10 ? TestReferences.Net100 : TestReferences.Net80);
            SolutionTransforms.Add((solution, projectId) =>
            {
                var project = solution.GetProject(projectId)!;
                var parseOptions = ((CSharpParseOptions)project.ParseOptions!).WithLanguageVersion(LanguageVersion.Latest);
                var compilationOptions = project.CompilationOptions!.WithSpecificDiagnosticOptions(
                    project.CompilationOptions.SpecificDiagnosticOptions
                        .SetItem("CS0618", ReportDiagnostic.Suppress)   // obsolete Thread APIs are the point of some tests
                        .SetItem("SYSLIB0006", ReportDiagnostic.Suppress));
                // Top-level statements need an executable.
                if (project.Documents.Any(d => d.GetSyntaxRootAsync().Result!.ChildNodes().Any(n => n.IsKind(SyntaxKind.GlobalStatement))))
                {
                    compilationOptions = compilationOptions.WithOutputKind(OutputKind.ConsoleApplication);
                }

                return solution.WithProjectParseOptions(projectId, parseOptions).WithProjectCompilationOptions(projectId, compilationOptions);
            });
        }
    }

    /// <summary>A diagnostic of <paramref name="id"/> at markup location <c>{|#n:…|}</c>.</summary>
    public static DiagnosticResult Expect(string id, int markupKey = 0)
    {
        var analyzer = new TAnalyzer();
        var descriptor = analyzer.SupportedDiagnostics.Single(d => d.Id == id);
        return new DiagnosticResult(descriptor).WithLocation(markupKey);
    }

    /// <summary>Runs the analyzer on <paramref name="source"/> and checks exactly <paramref name="expected"/>.</summary>
    public static Task Diagnostic(string source, params DiagnosticResult[] expected) => Diagnostic(source, net10: false, expected);

    public static Task Diagnostic(string source, bool net10, params DiagnosticResult[] expected)
    {
        var test = new Test(net10) { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Runs the analyzer with <paramref name="editorConfig"/> as the <c>[*.cs]</c> section of an <c>.editorconfig</c>
    /// (the <c>threading_analyzers.*</c> options), or as a <c>.globalconfig</c> when <paramref name="global"/> is set.
    /// </summary>
    public static Task DiagnosticWithConfig(string source, string editorConfig, bool global, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(global
            ? ("/.globalconfig", "is_global = true\n" + editorConfig)
            : ("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Code that does not compile yet: compiler errors are ignored, the analyzer must stay silent and must not throw.</summary>
    public static Task NoDiagnosticInBrokenCode(string source)
    {
        var test = new Test { TestCode = source, CompilerDiagnostics = CompilerDiagnostics.None };
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Applies the code action with <paramref name="equivalenceKey"/> and checks the exact output.
    /// The testing library also runs Fix All in document, project and solution scope and expects the same output.
    /// </summary>
    public static Task Fix(string source, string fixedSource, string equivalenceKey, params DiagnosticResult[] expected) =>
        Fix(source, fixedSource, equivalenceKey, net10: false, expected);

    public static Task Fix(string source, string fixedSource, string equivalenceKey, bool net10, params DiagnosticResult[] expected)
    {
        var test = new Test(net10)
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Checks that no code action with <paramref name="equivalenceKey"/> is offered.</summary>
    public static Task NoFix(string source, string equivalenceKey, params DiagnosticResult[] expected)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }
}

/// <summary>The verifier for analyzers without a code fix.</summary>
public static class Verifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Expect(string id, int markupKey = 0) => Verifier<TAnalyzer, EmptyCodeFixProvider>.Expect(id, markupKey);

    public static Task Diagnostic(string source, params DiagnosticResult[] expected) => Verifier<TAnalyzer, EmptyCodeFixProvider>.Diagnostic(source, expected);

    public static Task Diagnostic(string source, bool net10, params DiagnosticResult[] expected) =>
        Verifier<TAnalyzer, EmptyCodeFixProvider>.Diagnostic(source, net10, expected);

    public static Task NoDiagnosticInBrokenCode(string source) => Verifier<TAnalyzer, EmptyCodeFixProvider>.NoDiagnosticInBrokenCode(source);

    public static Task DiagnosticWithConfig(string source, string editorConfig, bool global = false, params DiagnosticResult[] expected) =>
        Verifier<TAnalyzer, EmptyCodeFixProvider>.DiagnosticWithConfig(source, editorConfig, global, expected);
}
