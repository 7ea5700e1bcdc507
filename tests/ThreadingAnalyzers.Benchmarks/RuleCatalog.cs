using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis.Diagnostics;
using ThreadingAnalyzers.Rules;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>Every THR analyzer of the shipped assembly, found by reflection so that each new rule is measured without edits here.</summary>
public static class RuleCatalog
{
    public static Assembly AnalyzerAssembly => typeof(THR001UnjoinedForegroundThreadAnalyzer).Assembly;

    /// <summary>New instances of every exported THR analyzer, ordered by their first diagnostic id.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> CreateAnalyzers() =>
        AnalyzerAssembly.GetTypes()
            .Where(type => type is { IsAbstract: false, IsClass: true }
                && typeof(DiagnosticAnalyzer).IsAssignableFrom(type)
                && type.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null
                && type.GetConstructor(Type.EmptyTypes) is not null)
            .Select(type => (DiagnosticAnalyzer)Activator.CreateInstance(type)!)
            .Where(analyzer => analyzer.SupportedDiagnostics.Any(descriptor => descriptor.Id.StartsWith("THR", StringComparison.Ordinal)))
            .OrderBy(RuleIds, StringComparer.Ordinal)
            .ToImmutableArray();

    /// <summary>The analyzer's diagnostic ids, comma-separated: the name of the rule in reports.</summary>
    public static string RuleIds(DiagnosticAnalyzer analyzer) =>
        string.Join(",", analyzer.SupportedDiagnostics.Select(descriptor => descriptor.Id).Distinct().Order(StringComparer.Ordinal));
}
