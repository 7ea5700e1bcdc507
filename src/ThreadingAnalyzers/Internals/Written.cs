using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Internals;

/// <summary>Whether a reference to a variable, field or property is written where it stands.</summary>
internal static class Written
{
    /// <summary>
    /// The target of an assignment (simple, compound, <c>??=</c>, a deconstruction's element), of <c>++</c>/<c>--</c>, or
    /// an argument passed by <c>ref</c> or <c>out</c>.
    /// </summary>
    public static bool IsWrite(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is ITupleOperation)
        {
            // (a, _f) = (1, true): the tuple is the deconstruction's target.
            reference = parent;
            parent = parent.Parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } => true,
            _ => false,
        };
    }
}
