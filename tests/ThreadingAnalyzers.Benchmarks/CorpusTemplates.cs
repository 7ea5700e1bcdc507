using System;
using System.Collections.Generic;
using System.Linq;

namespace ThreadingAnalyzers.Benchmarks;

/// <summary>
/// The templates of the generated corpus. A group is one namespace of ten files: five of ordinary business
/// code (model, repository, service, parser, report) and five of threading code (dedicated threads, locks,
/// Parallel and PLINQ, task pipelines, timers and producer/consumer queues). Most threading code is correct;
/// a few groups carry the bugs the rules look for, at a rate a real code base might have.
/// Every file has one line marked <c>// edit point</c> where the editor benchmark makes its one-line edit.
/// </summary>
internal static partial class CorpusTemplates
{
    public const string EditPointMarker = "// edit point";

    /// <summary>The file kinds of one group, in order: name and whether it uses threads directly.</summary>
    public static readonly IReadOnlyList<(string Name, bool StartsThread, Func<int, string> Render)> Kinds = new (string, bool, Func<int, string>)[]
    {
        ("OrderModel", false, OrderModel),
        ("OrderRepository", false, OrderRepository),
        ("PricingService", false, PricingService),
        ("RecordParser", false, RecordParser),
        ("SalesReport", false, SalesReport),
        ("IngestWorker", true, IngestWorker),
        ("PriceCache", false, PriceCache),
        ("ParallelScoring", false, ParallelScoring),
        ("FulfillmentPipeline", false, FulfillmentPipeline),
        ("Scheduling", false, Scheduling),
    };

    private static string Ns(int group) => $"Corpus.G{group:D4}";

    private static string Lines(int count, Func<int, string> line) => string.Join("\n", Enumerable.Range(0, count).Select(line));
}
