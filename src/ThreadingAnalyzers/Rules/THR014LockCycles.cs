using System.Collections.Generic;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Rules;

/// <summary>
/// The lock-order graph: locks are nodes, each order an edge from the lock held to the lock taken. An order can
/// deadlock when a path of other orders leads back from its inner lock to its outer one, visiting no lock twice (an
/// elementary cycle), with no lock held around two of its orders (those two cannot run at the same time).
/// </summary>
internal sealed class LockCycles
{
    /// <summary>The longest cycle looked for: threads enough to deadlock through more locks are not worth the search.</summary>
    private const int MaxLocks = 8;

    /// <summary>The orders one search may try: the search stays linear on code with many orders between few locks.</summary>
    private const int MaxSteps = 20_000;

    private readonly Dictionary<LockIdentity, List<LockOrder>> _byOuter = new();
    private readonly Dictionary<LockIdentity, List<LockOrder>> _byInner = new();
    private int _steps;

    /// <param name="orders">In a fixed order: the first cycle found, and so the message, depends on it.</param>
    public LockCycles(IEnumerable<LockOrder> orders)
    {
        foreach (var order in orders)
        {
            Add(_byOuter, order.Outer, order);
            Add(_byInner, order.Inner, order);
        }
    }

    /// <summary>
    /// The other orders of the shortest cycle through <paramref name="order"/> (the first in the orders' sequence among
    /// equally short ones), starting at its inner lock; null when there is none.
    /// </summary>
    public LockOrder[]? Closing(LockOrder order)
    {
        var distances = DistancesTo(order.Outer);
        if (!distances.TryGetValue(order.Inner, out var shortest))
        {
            return null;
        }

        _steps = 0;
        var path = new List<LockOrder> { order };
        var visited = new HashSet<LockIdentity> { order.Outer, order.Inner };
        for (var length = shortest + 1; length <= MaxLocks && _steps < MaxSteps; length++)
        {
            if (Extend(path, visited, length, distances))
            {
                return path.GetRange(1, path.Count - 1).ToArray();
            }
        }

        return null;
    }

    /// <summary>Extends <paramref name="path"/> to a cycle of <paramref name="length"/> orders back to its first order's outer lock.</summary>
    private bool Extend(List<LockOrder> path, HashSet<LockIdentity> visited, int length, Dictionary<LockIdentity, int> distances)
    {
        var start = path[0].Outer;
        var remaining = length - path.Count;
        if (!_byOuter.TryGetValue(path[path.Count - 1].Inner, out var nexts))
        {
            return false;
        }

        foreach (var next in nexts)
        {
            if (++_steps > MaxSteps)
            {
                return false;
            }

            var closes = next.Inner.Equals(start);
            if (closes != (remaining == 1)
                || (!closes && (visited.Contains(next.Inner) || !distances.TryGetValue(next.Inner, out var distance) || distance > remaining - 1))
                || !CanRunWith(next, path))
            {
                continue;
            }

            path.Add(next);
            if (closes)
            {
                return true;
            }

            visited.Add(next.Inner);
            if (Extend(path, visited, length, distances))
            {
                return true;
            }

            visited.Remove(next.Inner);
            path.RemoveAt(path.Count - 1);
        }

        return false;
    }

    private static bool CanRunWith(LockOrder next, List<LockOrder> path)
    {
        foreach (var order in path)
        {
            if (order.HasCommonOuterLock(next))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>How few orders lead from each lock to <paramref name="target"/>, up to the longest cycle looked for.</summary>
    private Dictionary<LockIdentity, int> DistancesTo(LockIdentity target)
    {
        var distances = new Dictionary<LockIdentity, int> { [target] = 0 };
        var frontier = new List<LockIdentity> { target };
        for (var distance = 1; distance < MaxLocks && frontier.Count > 0; distance++)
        {
            var next = new List<LockIdentity>();
            foreach (var node in frontier)
            {
                if (!_byInner.TryGetValue(node, out var into))
                {
                    continue;
                }

                foreach (var order in into)
                {
                    if (!distances.ContainsKey(order.Outer))
                    {
                        distances.Add(order.Outer, distance);
                        next.Add(order.Outer);
                    }
                }
            }

            frontier = next;
        }

        return distances;
    }

    private static void Add(Dictionary<LockIdentity, List<LockOrder>> map, LockIdentity key, LockOrder order)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map.Add(key, list = new List<LockOrder>());
        }

        list.Add(order);
    }
}
