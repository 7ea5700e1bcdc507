using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// THR023: a threading_analyzers.* option entry that is malformed or names nothing. The analysis ignores such an
/// entry; this rule says so once per compilation, since the entry belongs to no line of code.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class THR023OptionEntryNotUnderstoodAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.THR023);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(static compilation =>
        {
            foreach (var problem in ThreadingOptions.From(compilation.Compilation, compilation.Options).Problems)
            {
                compilation.ReportDiagnostic(Diagnostic.Create(Descriptors.THR023, Location.None, problem.Entry, problem.Key, problem.Reason));
            }
        });
    }
}
