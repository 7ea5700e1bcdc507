using Microsoft.CodeAnalysis.Testing;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>What the THR002 test classes share.</summary>
internal static class THR002Helpers
{
    /// <summary>A THR002 report at markup <paramref name="key"/>, its related locations (start site, other access) not checked.</summary>
    public static DiagnosticResult ExpectWrite(int key) => Verify.Expect("THR002", key).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);
}
