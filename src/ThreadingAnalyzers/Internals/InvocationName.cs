using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ThreadingAnalyzers.Internals;

/// <summary>Where the name of a called method is written, so a squiggle sits on the call and not on its receiver.</summary>
internal static class InvocationName
{
    /// <summary>The name token of <c>x.Start()</c> or <c>Start()</c>; the whole call when the syntax has no simple name.</summary>
    public static Location NameLocation(this IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax call ? NameLocation(call) : invocation.Syntax.GetLocation();

    /// <summary>The name token of a call written <c>x.M()</c>, <c>x?.M()</c> or <c>M()</c>; the whole call otherwise.</summary>
    public static Location NameLocation(InvocationExpressionSyntax call) => call.Expression switch
    {
        MemberAccessExpressionSyntax access => access.Name.Identifier.GetLocation(),
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.GetLocation(),
        SimpleNameSyntax name => name.Identifier.GetLocation(),
        _ => call.GetLocation(),
    };

    /// <summary>The call whose name (or, failing that, whole syntax) a diagnostic covers.</summary>
    public static InvocationExpressionSyntax? FromNameSpan(SyntaxNode root, TextSpan span)
    {
        if (span.Start >= root.FullSpan.End)
        {
            return null;
        }

        foreach (var node in root.FindToken(span.Start).Parent?.AncestorsAndSelf() ?? Enumerable.Empty<SyntaxNode>())
        {
            if (node is InvocationExpressionSyntax call && (call.Span == span || NameLocation(call).SourceSpan == span))
            {
                return call;
            }
        }

        return null;
    }
}
