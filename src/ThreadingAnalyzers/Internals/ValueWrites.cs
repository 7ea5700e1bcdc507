using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Internals;

/// <summary>Whether a reference to a variable (local, parameter, field) stores into it.</summary>
internal static class ValueWrites
{
    /// <summary>
    /// Assigned (plainly, compound, <c>??=</c>), incremented, deconstructed into, passed by <c>ref</c> or <c>out</c>
    /// (<c>Interlocked.Exchange(ref f, ...)</c> too), or bound to a <c>ref</c> local that can store into it.
    /// </summary>
    public static bool IsWritten(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is ITupleOperation tuple)
        {
            // (a, b) = (b, a), and ((a, b), c) = ...: the tuple is the target of a deconstruction.
            if (tuple.Parent is IDeconstructionAssignmentOperation deconstruction)
            {
                return deconstruction.Target == tuple;
            }

            parent = tuple.Parent;
        }

        return parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IIncrementOrDecrementOperation => true,
            IArgumentOperation argument => argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out,
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol.RefKind: RefKind.Ref } } => true,
            _ => false,
        };
    }
}
