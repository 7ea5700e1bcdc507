using System;
using Microsoft.CodeAnalysis.Text;

namespace ThreadingAnalyzers.Internals;

/// <summary>Lookups in the sorted text positions the word searches find once per tree.</summary>
internal static class SortedPositions
{
    /// <summary>The index of the first position at or after <paramref name="start"/> (the length when there is none).</summary>
    public static int FirstAtOrAfter(int[] positions, int start)
    {
        var index = Array.BinarySearch(positions, start);
        return index < 0 ? ~index : index;
    }

    /// <summary>Whether a position lies inside <paramref name="span"/>.</summary>
    public static bool AnyIn(int[] positions, TextSpan span)
    {
        var first = FirstAtOrAfter(positions, span.Start);
        return first < positions.Length && positions[first] < span.End;
    }
}
