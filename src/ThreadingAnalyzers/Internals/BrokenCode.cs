using Microsoft.CodeAnalysis;

namespace ThreadingAnalyzers.Internals;

/// <summary>
/// Whether code is too broken to analyze: every rule stays silent on code that does not compile yet (the user is
/// typing), because the parser's recovery and unbound names are no ground for a warning.
/// </summary>
internal static class BrokenCode
{
    /// <summary>A syntax error in the text of <paramref name="code"/>, or an operation in it (itself included) that does not bind.</summary>
    public static bool In(IOperation code)
    {
        if (code.Syntax.ContainsDiagnostics || code.Kind == OperationKind.Invalid)
        {
            return true;
        }

        foreach (var (_, kind) in OperationWalk.DescendantsOf(code).WithKinds())
        {
            if (kind == OperationKind.Invalid)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A syntax error in the text of <paramref name="code"/>, binding not looked at: for checks whose facts are all in the
    /// shape of the code, which a name that does not bind elsewhere in it (a missing reference) leaves as they are.
    /// </summary>
    public static bool InText(IOperation code) => code.Syntax.ContainsDiagnostics;
}
