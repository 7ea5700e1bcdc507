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
internal static class CorpusTemplates
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

    private static string OrderModel(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Linq;
        using System.Text;

        namespace {{Ns(g)}};

        public enum OrderStatus
        {
            Draft,
            Submitted,
            Paid,
            Shipped,
            Cancelled,
        }

        /// <summary>An order of group {{g}}: lines, status transitions and a few attributes.</summary>
        public sealed class Order : IEquatable<Order>
        {
            private readonly List<OrderLine> _lines = new();

            public Order(int id, string customer, DateTime created)
            {
                if (id <= 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(id), id, "The id must be positive.");
                }

                Id = id;
                Customer = customer ?? throw new ArgumentNullException(nameof(customer));
                Created = created;
            }

            public int Id { get; }

            public string Customer { get; }

            public DateTime Created { get; }

            public OrderStatus Status { get; private set; }

            public IReadOnlyList<OrderLine> Lines => _lines;

        {{Lines(4 + g % 6, i => $"    public decimal Attribute{i} {{ get; set; }}\n")}}
            public decimal Total => _lines.Sum(line => line.Amount);

            public int ItemCount => _lines.Sum(line => line.Quantity);

            public void AddLine(string sku, int quantity, decimal unitPrice)
            {
                if (Status != OrderStatus.Draft)
                {
                    throw new InvalidOperationException($"Order {Id} is {Status} and can no longer change.");
                }

                if (string.IsNullOrWhiteSpace(sku))
                {
                    throw new ArgumentException("A line needs a SKU.", nameof(sku));
                }

                var existing = _lines.FindIndex(line => line.Sku == sku);
                if (existing >= 0)
                {
                    _lines[existing] = _lines[existing] with { Quantity = _lines[existing].Quantity + quantity };
                }
                else
                {
                    _lines.Add(new OrderLine(sku, quantity, unitPrice));
                }
            }

            public void Submit()
            {
                Status = Status switch
                {
                    OrderStatus.Draft when _lines.Count > 0 => OrderStatus.Submitted,
                    OrderStatus.Draft => throw new InvalidOperationException("An empty order cannot be submitted."),
                    _ => throw new InvalidOperationException($"Order {Id} is already {Status}."),
                };
            }

            public void MarkPaid() => Status = Status == OrderStatus.Submitted ? OrderStatus.Paid : Status;

            public void Cancel() => Status = OrderStatus.Cancelled;

            public int Checksum()
            {
                var checksum = Id;
                checksum += 17; {{EditPointMarker}}
                foreach (var line in _lines)
                {
                    checksum = unchecked(checksum * 31 + line.Sku.GetHashCode(StringComparison.Ordinal));
                }

                return checksum;
            }

            public bool Equals(Order? other) => other is not null && Id == other.Id;

            public override bool Equals(object? obj) => Equals(obj as Order);

            public override int GetHashCode() => Id.GetHashCode();

            public override string ToString()
            {
                var builder = new StringBuilder();
                builder.Append(CultureInfo.InvariantCulture, $"#{Id} {Customer} {Created:yyyy-MM-dd} {Status}");
                foreach (var line in _lines)
                {
                    builder.AppendLine().Append("  ").Append(line);
                }

                return builder.ToString();
            }
        }

        public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice)
        {
            public decimal Amount => Quantity * UnitPrice;

            public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sku} x{Quantity} @ {UnitPrice:0.00}");
        }

        public static class OrderExtensions
        {
            public static bool IsOpen(this Order order) => order.Status is OrderStatus.Draft or OrderStatus.Submitted;

            public static decimal AverageLineAmount(this Order order) =>
                order.Lines.Count == 0 ? 0m : order.Lines.Average(line => line.Amount);

            public static IEnumerable<Order> Open(this IEnumerable<Order> orders) => orders.Where(IsOpen);

            public static ILookup<string, Order> ByCustomer(this IEnumerable<Order> orders) =>
                orders.ToLookup(order => order.Customer, StringComparer.OrdinalIgnoreCase);
        }
        """;

    private static string OrderRepository(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        namespace {{Ns(g)}};

        public interface IOrderRepository
        {
            Task<Order?> FindAsync(int id, CancellationToken cancellationToken = default);

            Task<IReadOnlyList<Order>> ForCustomerAsync(string customer, CancellationToken cancellationToken = default);

            Task SaveAsync(Order order, CancellationToken cancellationToken = default);

            Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default);
        }

        /// <summary>An in-memory repository; the real one talks to a database.</summary>
        public sealed class InMemoryOrderRepository : IOrderRepository
        {
            private readonly Dictionary<int, Order> _orders = new();
            private readonly Dictionary<string, List<int>> _byCustomer = new(StringComparer.OrdinalIgnoreCase);
            private int _version;

            public int Version => _version;

            public Task<Order?> FindAsync(int id, CancellationToken cancellationToken = default)
            {
                cancellationToken.ThrowIfCancellationRequested();
                return Task.FromResult(_orders.TryGetValue(id, out var order) ? order : null);
            }

            public Task<IReadOnlyList<Order>> ForCustomerAsync(string customer, CancellationToken cancellationToken = default)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!_byCustomer.TryGetValue(customer, out var ids))
                {
                    return Task.FromResult<IReadOnlyList<Order>>(Array.Empty<Order>());
                }

                IReadOnlyList<Order> result = ids.Select(id => _orders[id]).OrderBy(order => order.Created).ToList();
                return Task.FromResult(result);
            }

            public Task SaveAsync(Order order, CancellationToken cancellationToken = default)
            {
                ArgumentNullException.ThrowIfNull(order);
                cancellationToken.ThrowIfCancellationRequested();
                _orders[order.Id] = order;
                if (!_byCustomer.TryGetValue(order.Customer, out var ids))
                {
                    ids = new List<int>();
                    _byCustomer.Add(order.Customer, ids);
                }

                if (!ids.Contains(order.Id))
                {
                    ids.Add(order.Id);
                }

                _version++;
                return Task.CompletedTask;
            }

            public Task<bool> DeleteAsync(int id, CancellationToken cancellationToken = default)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!_orders.Remove(id, out var order))
                {
                    return Task.FromResult(false);
                }

                _byCustomer[order.Customer].Remove(id);
                _version++;
                return Task.FromResult(true);
            }

            public int Compact()
            {
                var removed = 0;
                removed += 0; {{EditPointMarker}}
                foreach (var customer in _byCustomer.Where(pair => pair.Value.Count == 0).Select(pair => pair.Key).ToList())
                {
                    _byCustomer.Remove(customer);
                    removed++;
                }

                return removed;
            }
        }

        public static class RepositoryQueries
        {
            public static async Task<decimal> TotalForCustomerAsync(this IOrderRepository repository, string customer, CancellationToken cancellationToken = default)
            {
                var orders = await repository.ForCustomerAsync(customer, cancellationToken).ConfigureAwait(false);
                return orders.Where(order => order.Status != OrderStatus.Cancelled).Sum(order => order.Total);
            }

            public static async Task<int> CancelStaleAsync(this IOrderRepository repository, IEnumerable<int> ids, DateTime before, CancellationToken cancellationToken = default)
            {
                var cancelled = 0;
                foreach (var id in ids)
                {
                    var order = await repository.FindAsync(id, cancellationToken).ConfigureAwait(false);
                    if (order is { Status: OrderStatus.Draft } && order.Created < before)
                    {
                        order.Cancel();
                        await repository.SaveAsync(order, cancellationToken).ConfigureAwait(false);
                        cancelled++;
                    }
                }

                return cancelled;
            }

        {{Lines(2 + g % 4, i => $$"""
                public static async Task<IReadOnlyList<Order>> Query{{i}}Async(this IOrderRepository repository, IEnumerable<int> ids, CancellationToken cancellationToken = default)
                {
                    var found = new List<Order>();
                    foreach (var id in ids.Where(id => id % {{i + 2}} == 0))
                    {
                        if (await repository.FindAsync(id, cancellationToken).ConfigureAwait(false) is { } order && order.Lines.Count > {{i}})
                        {
                            found.Add(order);
                        }
                    }

                    return found;
                }

            """)}}
        }
        """;

    private static string PricingService(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;

        namespace {{Ns(g)}};

        public enum CustomerTier
        {
            Standard,
            Silver,
            Gold,
            Platinum,
        }

        public sealed record PriceQuote(decimal Subtotal, decimal Discount, decimal Tax, decimal Shipping)
        {
            public decimal Total => Subtotal - Discount + Tax + Shipping;
        }

        /// <summary>Prices orders: tier discounts, volume rules, tax by region and shipping bands.</summary>
        public sealed class PricingService
        {
            private readonly IReadOnlyDictionary<string, decimal> _taxRates;
            private readonly Func<DateTime> _clock;

            public PricingService(IReadOnlyDictionary<string, decimal> taxRates, Func<DateTime>? clock = null)
            {
                _taxRates = taxRates ?? throw new ArgumentNullException(nameof(taxRates));
                _clock = clock ?? (() => DateTime.UtcNow);
            }

            public PriceQuote Quote(Order order, CustomerTier tier, string region)
            {
                var subtotal = order.Total;
                var discount = Discount(order, tier);
                var tax = Math.Round((subtotal - discount) * TaxRate(region), 2, MidpointRounding.AwayFromZero);
                return new PriceQuote(subtotal, discount, tax, Shipping(order, region));
            }

            public decimal TaxRate(string region) =>
                _taxRates.TryGetValue(region, out var rate) ? rate : _taxRates.GetValueOrDefault("default", 0.2m);

            private decimal Discount(Order order, CustomerTier tier)
            {
                var rate = tier switch
                {
                    CustomerTier.Silver => 0.03m,
                    CustomerTier.Gold => 0.05m,
                    CustomerTier.Platinum => 0.08m,
                    _ => 0m,
                };

                if (order.ItemCount >= 100)
                {
                    rate += 0.02m;
                }

                if (_clock().DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
                {
                    rate += 0.01m;
                }

                return Math.Round(order.Total * Math.Min(rate, 0.15m), 2);
            }

            private static decimal Shipping(Order order, string region)
            {
                var weight = order.Lines.Sum(line => line.Quantity * 0.4m);
                var band = weight switch
                {
                    < 1m => 4.90m,
                    < 5m => 7.50m,
                    < 20m => 12.00m,
                    _ => 25.00m,
                };

                return region.StartsWith("EU", StringComparison.Ordinal) ? band : band * 1.4m;
            }

        {{Lines(3 + g % 5, i => $$"""
                public bool Rule{{i}}Applies(Order order, CustomerTier tier)
                {
                    if (order.Lines.Count < {{i + 1}})
                    {
                        return false;
                    }

                    var threshold = {{100 + i * 25}}m;
                    return tier >= CustomerTier.Silver && order.Total > threshold
                        || order.Lines.Any(line => line.Sku.EndsWith("{{i}}", StringComparison.Ordinal) && line.Quantity > {{i + 2}});
                }

            """)}}
            public IReadOnlyList<(Order Order, PriceQuote Quote)> QuoteAll(IEnumerable<Order> orders, CustomerTier tier, string region)
            {
                var quotes = new List<(Order, PriceQuote)>();
                var count = 0;
                count += 1; {{EditPointMarker}}
                foreach (var order in orders.Where(order => order.Status != OrderStatus.Cancelled))
                {
                    quotes.Add((order, Quote(order, tier, region)));
                    count++;
                }

                return quotes;
            }
        }
        """;

    private static string RecordParser(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Globalization;

        namespace {{Ns(g)}};

        public readonly record struct ParseError(int Line, int Column, string Message);

        /// <summary>Parses `sku;quantity;price` records, one per line, and reports every error with its position.</summary>
        public sealed class RecordParser
        {
            private readonly char _separator;

            public RecordParser(char separator = ';') => _separator = separator;

            public (List<OrderLine> Lines, List<ParseError> Errors) Parse(string text)
            {
                var lines = new List<OrderLine>();
                var errors = new List<ParseError>();
                var lineNumber = 0;
                foreach (var raw in text.Split('\n'))
                {
                    lineNumber++;
                    var line = raw.TrimEnd('\r');
                    if (line.Length == 0 || line.StartsWith('#'))
                    {
                        continue;
                    }

                    if (TryParseLine(line.AsSpan(), lineNumber, out var parsed, out var error))
                    {
                        lines.Add(parsed!);
                    }
                    else
                    {
                        errors.Add(error);
                    }
                }

                return (lines, errors);
            }

            private bool TryParseLine(ReadOnlySpan<char> line, int lineNumber, out OrderLine? parsed, out ParseError error)
            {
                parsed = null;
                error = default;
                var first = line.IndexOf(_separator);
                if (first < 0)
                {
                    error = new ParseError(lineNumber, line.Length, "missing quantity");
                    return false;
                }

                var rest = line[(first + 1)..];
                var second = rest.IndexOf(_separator);
                if (second < 0)
                {
                    error = new ParseError(lineNumber, first + 1, "missing price");
                    return false;
                }

                var sku = line[..first].Trim();
                if (sku.IsEmpty || !IsValidSku(sku))
                {
                    error = new ParseError(lineNumber, 1, "invalid SKU");
                    return false;
                }

                if (!int.TryParse(rest[..second], NumberStyles.Integer, CultureInfo.InvariantCulture, out var quantity) || quantity <= 0)
                {
                    error = new ParseError(lineNumber, first + 2, "invalid quantity");
                    return false;
                }

                if (!decimal.TryParse(rest[(second + 1)..], NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
                {
                    error = new ParseError(lineNumber, first + second + 3, "invalid price");
                    return false;
                }

                parsed = new OrderLine(sku.ToString(), quantity, price);
                return true;
            }

            private static bool IsValidSku(ReadOnlySpan<char> sku)
            {
                var digits = 0;
                digits += 0; {{EditPointMarker}}
                foreach (var c in sku)
                {
                    if (char.IsDigit(c))
                    {
                        digits++;
                    }
                    else if (!char.IsAsciiLetterUpper(c) && c != '-')
                    {
                        return false;
                    }
                }

                return digits >= {{1 + g % 3}};
            }

        {{Lines(2 + g % 4, i => $$"""
            public static bool TryReadField{{i}}(string record, out string value)
            {
                var parts = record.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length <= {{i}} || parts[{{i}}].Length == 0)
                {
                    value = string.Empty;
                    return false;
                }

                value = parts[{{i}}].ToUpperInvariant();
                return true;
            }

        """)}}
        }
        """;

    private static string SalesReport(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Linq;
        using System.Text;

        namespace {{Ns(g)}};

        public sealed record SalesRow(string Customer, int Orders, decimal Revenue, decimal AverageOrder);

        /// <summary>Builds the monthly sales report: grouping, ranking and a fixed-width text rendering.</summary>
        public static class SalesReport
        {
            public static IReadOnlyList<SalesRow> Build(IEnumerable<Order> orders, int year, int month)
            {
                return orders
                    .Where(order => order.Created.Year == year && order.Created.Month == month)
                    .Where(order => order.Status is OrderStatus.Paid or OrderStatus.Shipped)
                    .GroupBy(order => order.Customer, StringComparer.OrdinalIgnoreCase)
                    .Select(group => new SalesRow(
                        group.Key,
                        group.Count(),
                        group.Sum(order => order.Total),
                        group.Average(order => order.Total)))
                    .OrderByDescending(row => row.Revenue)
                    .ThenBy(row => row.Customer, StringComparer.Ordinal)
                    .ToList();
            }

            public static string Render(IReadOnlyList<SalesRow> rows, int year, int month)
            {
                var builder = new StringBuilder();
                builder.AppendLine(CultureInfo.InvariantCulture, $"Sales {year:D4}-{month:D2} (group {{g}})");
                builder.AppendLine(new string('-', 60));
                var rank = 0;
                rank += 0; {{EditPointMarker}}
                foreach (var row in rows)
                {
                    rank++;
                    builder.Append(rank.ToString(CultureInfo.InvariantCulture).PadLeft(4))
                        .Append("  ")
                        .Append(row.Customer.Length > 24 ? row.Customer[..24] : row.Customer.PadRight(24))
                        .Append(row.Orders.ToString(CultureInfo.InvariantCulture).PadLeft(8))
                        .Append(row.Revenue.ToString("N2", CultureInfo.InvariantCulture).PadLeft(12))
                        .AppendLine(row.AverageOrder.ToString("N2", CultureInfo.InvariantCulture).PadLeft(12));
                }

                builder.AppendLine(new string('-', 60));
                builder.AppendLine(CultureInfo.InvariantCulture, $"Total {rows.Sum(row => row.Revenue):N2} from {rows.Sum(row => row.Orders)} orders");
                return builder.ToString();
            }

            public static Dictionary<DayOfWeek, decimal> ByWeekday(IEnumerable<Order> orders)
            {
                var result = Enum.GetValues<DayOfWeek>().ToDictionary(day => day, _ => 0m);
                foreach (var order in orders)
                {
                    result[order.Created.DayOfWeek] += order.Total;
                }

                return result;
            }

            public static IEnumerable<(string Sku, int Quantity)> TopProducts(IEnumerable<Order> orders, int count) =>
                orders.SelectMany(order => order.Lines)
                    .GroupBy(line => line.Sku)
                    .Select(group => (group.Key, group.Sum(line => line.Quantity)))
                    .OrderByDescending(pair => pair.Item2)
                    .Take(count);

        {{Lines(2 + g % 5, i => $$"""
            public static decimal Percentile{{i}}(IEnumerable<Order> orders)
            {
                var totals = orders.Select(order => order.Total).OrderBy(total => total).ToArray();
                if (totals.Length == 0)
                {
                    return 0m;
                }

                var index = (int)Math.Ceiling({{(i + 1) * 10}} / 100.0 * totals.Length) - 1;
                return totals[Math.Clamp(index, 0, totals.Length - 1)];
            }

        """)}}
        }
        """;

    private static string IngestWorker(int g)
    {
        // Roughly one group in five has the THR001 bug, one in three the THR004 pattern, one in four THR003.
        var fireAndForget = g % 5 == 0
            ? """
                  public static void Announce(string message)
                  {
                      var announcer = new Thread(() => Console.WriteLine(message));
                      announcer.Start();
                  }
              """
            : """
                  public static void Announce(string message)
                  {
                      var announcer = new Thread(() => Console.WriteLine(message)) { IsBackground = true };
                      announcer.Start();
                  }
              """;
        var partitioned = g % 3 == 0
            ? """
                  public static long SumPartitioned(int[] data, int partitions)
                  {
                      var partials = new long[partitions];
                      var threads = new Thread[partitions];
                      for (var p = 0; p < partitions; p++)
                      {
                          var index = p;
                          threads[p] = new Thread(() =>
                          {
                              long sum = 0;
                              for (var i = index; i < data.Length; i += partitions)
                              {
                                  sum += data[i];
                              }

                              partials[index] = sum;
                          });
                          threads[p].Start();
                      }

                      foreach (var thread in threads)
                      {
                          thread.Join();
                      }

                      return partials.Sum();
                  }
              """
            : """
                  public static long SumPartitioned(int[] data, int partitions)
                  {
                      var partials = new long[partitions];
                      Parallel.For(0, partitions, index =>
                      {
                          long sum = 0;
                          for (var i = index; i < data.Length; i += partitions)
                          {
                              sum += data[i];
                          }

                          partials[index] = sum;
                      });

                      return partials.Sum();
                  }
              """;
        var threadId = g % 4 == 0 ? "Thread.CurrentThread.ManagedThreadId" : "Environment.CurrentManagedThreadId";
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;

            namespace {{Ns(g)}};

            /// <summary>Pumps posted records on a dedicated background thread until disposed.</summary>
            public sealed class IngestWorker : IDisposable
            {
                private readonly Thread _pump;
                private readonly ManualResetEventSlim _stop = new(false);
                private readonly AutoResetEvent _posted = new(false);
                private readonly Queue<string> _pending = new();
                private readonly object _gate = new();
                private readonly Action<string> _sink;
                private int _processed;
                private int _failed;

                public IngestWorker(Action<string> sink)
                {
                    _sink = sink;
                    _pump = new Thread(Pump) { IsBackground = true, Name = "ingest-{{g}}" };
                }

                public int Processed => Volatile.Read(ref _processed);

                public int Failed => Volatile.Read(ref _failed);

                public void Start() => _pump.Start();

                public void Post(string record)
                {
                    lock (_gate)
                    {
                        _pending.Enqueue(record);
                    }

                    _posted.Set();
                }

                private void Pump()
                {
                    while (!_stop.IsSet)
                    {
                        string? record = null;
                        lock (_gate)
                        {
                            if (_pending.Count > 0)
                            {
                                record = _pending.Dequeue();
                            }
                        }

                        if (record is null)
                        {
                            _posted.WaitOne(50);
                            continue;
                        }

                        try
                        {
                            _sink(record);
                            Interlocked.Increment(ref _processed);
                        }
                        catch (FormatException)
                        {
                            Interlocked.Increment(ref _failed);
                        }
                    }
                }

                public void Dispose()
                {
                    _stop.Set();
                    _posted.Set();
                    _pump.Join();
                    _stop.Dispose();
                    _posted.Dispose();
                }
            }

            public static class WorkerHelpers
            {
                public static void RunAndWait(Action action, TimeSpan timeout)
                {
                    var runner = new Thread(() => action()) { Name = "runner-{{g}}" };
                    runner.Start();
                    if (!runner.Join(timeout))
                    {
                        throw new TimeoutException($"The runner did not finish within {timeout}.");
                    }
                }

                public static Thread StartSta(Action action)
                {
                    var sta = new Thread(() => action());
                    sta.SetApartmentState(ApartmentState.STA);
                    sta.Start();
                    return sta;
                }

                public static string Describe() => $"worker {{{threadId}}} of group {{g}}";

                public static int Settle()
                {
                    var rounds = 0;
                    rounds += 1; {{EditPointMarker}}
                    var ready = new ManualResetEventSlim(false);
                    var helper = new Thread(() => ready.Set());
                    helper.Start();
                    ready.Wait();
                    helper.Join();
                    return rounds;
                }

            {{fireAndForget}}

            {{partitioned}}
            }
            """;
    }

    private static string PriceCache(int g)
    {
        var warm = g % 6 == 0
            ? """
                  public void Warm(IReadOnlyList<string> skus)
                  {
                      Parallel.ForEach(skus, sku =>
                      {
                          Set(sku, Compute(sku));
                          _warmed++;
                      });
                  }
              """
            : """
                  public void Warm(IReadOnlyList<string> skus)
                  {
                      Parallel.ForEach(skus, sku =>
                      {
                          Set(sku, Compute(sku));
                          Interlocked.Increment(ref _warmed);
                      });
                  }
              """;
        return $$"""
            using System;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Tasks;

            namespace {{Ns(g)}};

            /// <summary>A price cache shared by request threads: a lock for the map, a reader/writer lock for statistics.</summary>
            public sealed class PriceCache : IDisposable
            {
                private readonly Dictionary<string, decimal> _prices = new(StringComparer.Ordinal);
                private readonly SortedDictionary<string, int> _hits = new(StringComparer.Ordinal);
                private readonly object _sync = new();
                private readonly ReaderWriterLockSlim _statistics = new();
                private long _lookups;
                private int _misses;
                private int _warmed;

                public long Lookups => Interlocked.Read(ref _lookups);

                public int Misses => Volatile.Read(ref _misses);

                public int Warmed => Volatile.Read(ref _warmed);

                public bool TryGet(string sku, out decimal price)
                {
                    Interlocked.Increment(ref _lookups);
                    lock (_sync)
                    {
                        if (_prices.TryGetValue(sku, out price))
                        {
                            Record(sku);
                            return true;
                        }
                    }

                    Interlocked.Increment(ref _misses);
                    return false;
                }

                public void Set(string sku, decimal price)
                {
                    lock (_sync)
                    {
                        _prices[sku] = price;
                    }
                }

                public bool Invalidate(string sku)
                {
                    Monitor.Enter(_sync);
                    try
                    {
                        return _prices.Remove(sku);
                    }
                    finally
                    {
                        Monitor.Exit(_sync);
                    }
                }

                public bool TryReprice(string sku, Func<decimal, decimal> change, TimeSpan wait)
                {
                    var taken = false;
                    try
                    {
                        Monitor.TryEnter(_sync, wait, ref taken);
                        if (!taken || !_prices.TryGetValue(sku, out var price))
                        {
                            return false;
                        }

                        _prices[sku] = change(price);
                        return true;
                    }
                    finally
                    {
                        if (taken)
                        {
                            Monitor.Exit(_sync);
                        }
                    }
                }

                private void Record(string sku)
                {
                    _statistics.EnterWriteLock();
                    try
                    {
                        _hits[sku] = _hits.TryGetValue(sku, out var count) ? count + 1 : 1;
                    }
                    finally
                    {
                        _statistics.ExitWriteLock();
                    }
                }

                public int Hits(string sku)
                {
                    _statistics.EnterReadLock();
                    try
                    {
                        return _hits.TryGetValue(sku, out var count) ? count : 0;
                    }
                    finally
                    {
                        _statistics.ExitReadLock();
                    }
                }

                private static decimal Compute(string sku)
                {
                    var hash = 0;
                    hash += {{g % 97}}; {{EditPointMarker}}
                    foreach (var c in sku)
                    {
                        hash = unchecked(hash * 31 + c);
                    }

                    return 1m + Math.Abs(hash % 10_000) / 100m;
                }

            {{warm}}

                public void Dispose() => _statistics.Dispose();
            }
            """;
    }

    private static string ParallelScoring(int g) => $$"""
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        namespace {{Ns(g)}};

        /// <summary>Scores customers in parallel: Parallel.For with thread-local sums, PLINQ, Parallel.Invoke.</summary>
        public sealed class ParallelScoring
        {
            private readonly ConcurrentDictionary<string, double> _scores = new(StringComparer.Ordinal);
            private readonly ConcurrentBag<string> _rejected = new();
            private long _evaluated;

            public IReadOnlyDictionary<string, double> Scores => _scores;

            public int Rejected => _rejected.Count;

            public double TotalScore(IReadOnlyList<Order> orders)
            {
                var total = 0.0;
                var gate = new object();
                Parallel.For(0, orders.Count, () => 0.0, (i, _, local) => local + Score(orders[i]), local =>
                {
                    lock (gate)
                    {
                        total += local;
                    }
                });

                return total;
            }

            public void ScoreAll(IEnumerable<Order> orders, CancellationToken cancellationToken)
            {
                var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
                Parallel.ForEach(orders, options, order =>
                {
                    Interlocked.Increment(ref _evaluated);
                    var score = Score(order);
                    if (score < 0)
                    {
                        _rejected.Add(order.Customer);
                        return;
                    }

                    _scores.AddOrUpdate(order.Customer, score, (_, previous) => Math.Max(previous, score));
                });
            }

            public IReadOnlyList<(string Customer, double Score)> Top(IEnumerable<Order> orders, int count) =>
                orders.AsParallel()
                    .WithDegreeOfParallelism(Math.Max(1, Environment.ProcessorCount / 2))
                    .Select(order => (order.Customer, Score: Score(order)))
                    .OrderByDescending(pair => pair.Score)
                    .Take(count)
                    .ToList();

            public void Publish(IEnumerable<Order> orders, ConcurrentQueue<string> outbox) =>
                orders.AsParallel().Where(order => order.Status == OrderStatus.Paid).ForAll(order => outbox.Enqueue(order.ToString()));

            public (double Mean, double Max) Summaries(IReadOnlyList<Order> orders)
            {
                double mean = 0, max = 0;
                Parallel.Invoke(
                    () => mean = orders.Count == 0 ? 0 : orders.Average(Score),
                    () => max = orders.Count == 0 ? 0 : orders.Max(Score));
                return (mean, max);
            }

            public long Evaluated => Interlocked.Read(ref _evaluated);

            private static double Score(Order order)
            {
                var score = 0.0;
                score += 0.5; {{EditPointMarker}}
                foreach (var line in order.Lines)
                {
                    score += Math.Log(1 + (double)line.Amount) * (line.Quantity > {{1 + g % 9}} ? 1.5 : 1.0);
                }

                return order.Status == OrderStatus.Cancelled ? -score : score;
            }

        {{Lines(1 + g % 4, i => $$"""
            public double[] Histogram{{i}}(IReadOnlyList<Order> orders)
            {
                var buckets = new double[{{8 + i}}];
                var gates = Enumerable.Range(0, buckets.Length).Select(_ => new object()).ToArray();
                Parallel.For(0, orders.Count, index =>
                {
                    var score = Score(orders[index]);
                    var bucket = Math.Clamp((int)score, 0, buckets.Length - 1);
                    lock (gates[bucket])
                    {
                        buckets[bucket] += score;
                    }
                });

                return buckets;
            }

        """)}}
        }
        """;

    private static string FulfillmentPipeline(int g) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        namespace {{Ns(g)}};

        /// <summary>Fulfils orders: throttled concurrent steps, retries, cancellation and a long-running drain.</summary>
        public sealed class FulfillmentPipeline : IDisposable
        {
            private readonly SemaphoreSlim _throttle = new({{2 + g % 4}});
            private readonly CancellationTokenSource _shutdown = new();
            private readonly IOrderRepository _repository;
            private int _shipped;

            public FulfillmentPipeline(IOrderRepository repository) => _repository = repository;

            public int Shipped => Volatile.Read(ref _shipped);

            public async Task<int> ShipAllAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
                var tasks = ids.Select(id => ShipOneAsync(id, linked.Token)).ToList();
                var results = await Task.WhenAll(tasks).ConfigureAwait(false);
                return results.Count(shipped => shipped);
            }

            private async Task<bool> ShipOneAsync(int id, CancellationToken cancellationToken)
            {
                await _throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        var order = await _repository.FindAsync(id, cancellationToken).ConfigureAwait(false);
                        if (order is null)
                        {
                            return false;
                        }

                        if (order.Status == OrderStatus.Paid)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(attempt * 10), cancellationToken).ConfigureAwait(false);
                            Interlocked.Increment(ref _shipped);
                            return true;
                        }

                        await Task.Yield();
                    }

                    return false;
                }
                finally
                {
                    _throttle.Release();
                }
            }

            public Task<decimal> TotalInBackground(IReadOnlyList<Order> orders) =>
                Task.Run(() => orders.Sum(order => order.Total));

            public Task DrainAsync(Func<CancellationToken, Task> step) =>
                Task.Factory.StartNew(
                    async () =>
                    {
                        while (!_shutdown.IsCancellationRequested)
                        {
                            await step(_shutdown.Token).ConfigureAwait(false);
                        }
                    },
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default).Unwrap();

            public Task<string> DescribeAsync(int id) =>
                _repository.FindAsync(id).ContinueWith(
                    task => task.Result?.ToString() ?? $"order {id} not found",
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion,
                    TaskScheduler.Default);

            public async Task<int> CountOpenAsync(IEnumerable<int> ids)
            {
                var open = 0;
                open += 0; {{EditPointMarker}}
                foreach (var id in ids)
                {
                    if (await _repository.FindAsync(id).ConfigureAwait(false) is { } order && order.IsOpen())
                    {
                        open++;
                    }
                }

                return open;
            }

        {{Lines(1 + g % 3, i => $$"""
            public async Task<IReadOnlyList<Order>> Batch{{i}}Async(IEnumerable<int> ids, CancellationToken cancellationToken)
            {
                var lookups = ids.Take({{10 + i * 5}}).Select(id => Task.Run(() => _repository.FindAsync(id, cancellationToken), cancellationToken));
                var found = await Task.WhenAll(lookups).ConfigureAwait(false);
                return found.OfType<Order>().ToList();
            }

        """)}}
            public void Dispose()
            {
                _shutdown.Cancel();
                _shutdown.Dispose();
                _throttle.Dispose();
            }
        }
        """;

    private static string Scheduling(int g)
    {
        var barrier = g % 7 == 0 ? "Thread.MemoryBarrier();" : "Interlocked.MemoryBarrier();";
        return $$"""
            using System;
            using System.Collections.Concurrent;
            using System.Collections.Generic;
            using System.Threading;
            using System.Threading.Channels;
            using System.Threading.Tasks;

            namespace {{Ns(g)}};

            /// <summary>Periodic jobs and queues: Timer, PeriodicTimer, the thread pool, BlockingCollection and channels.</summary>
            public sealed class Scheduling : IDisposable
            {
                private readonly Timer _heartbeat;
                private readonly BlockingCollection<Order> _outbox = new(boundedCapacity: {{64 + g % 64}});
                private readonly Channel<int> _ids = Channel.CreateBounded<int>(new BoundedChannelOptions(128) { FullMode = BoundedChannelFullMode.Wait });
                private readonly CountdownEvent _pending = new(1);
                private long _beats;
                private volatile bool _stopping;

                public Scheduling(TimeSpan period)
                {
                    _heartbeat = new Timer(_ => Interlocked.Increment(ref _beats), null, period, period);
                }

                public long Beats => Interlocked.Read(ref _beats);

                public async Task RunPeriodicAsync(Func<Task> job, TimeSpan period, CancellationToken cancellationToken)
                {
                    using var timer = new PeriodicTimer(period);
                    while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                    {
                        await job().ConfigureAwait(false);
                    }
                }

                public void QueueAll(IEnumerable<Order> orders, Action<Order> handle)
                {
                    foreach (var order in orders)
                    {
                        _pending.AddCount();
                        ThreadPool.QueueUserWorkItem(state =>
                        {
                            try
                            {
                                handle((Order)state!);
                            }
                            finally
                            {
                                _pending.Signal();
                            }
                        }, order);
                    }
                }

                public bool WaitForQueued(TimeSpan timeout)
                {
                    _pending.Signal();
                    return _pending.Wait(timeout);
                }

                public bool Enqueue(Order order) => !_stopping && _outbox.TryAdd(order, TimeSpan.FromMilliseconds(100));

                public Task ConsumeAsync(Action<Order> send, CancellationToken cancellationToken) => Task.Run(() =>
                {
                    foreach (var order in _outbox.GetConsumingEnumerable(cancellationToken))
                    {
                        send(order);
                    }
                }, cancellationToken);

                public async Task ProduceIdsAsync(IEnumerable<int> ids, CancellationToken cancellationToken)
                {
                    foreach (var id in ids)
                    {
                        await _ids.Writer.WriteAsync(id, cancellationToken).ConfigureAwait(false);
                    }

                    _ids.Writer.Complete();
                }

                public async Task<int> ConsumeIdsAsync(CancellationToken cancellationToken)
                {
                    var sum = 0;
                    sum += 0; {{EditPointMarker}}
                    await foreach (var id in _ids.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                    {
                        sum += id;
                    }

                    return sum;
                }

                public void Stop()
                {
                    _stopping = true;
                    {{barrier}}
                    _outbox.CompleteAdding();
                    _heartbeat.Change(Timeout.Infinite, Timeout.Infinite);
                }

                public void Dispose()
                {
                    Stop();
                    _heartbeat.Dispose();
                    _outbox.Dispose();
                    _pending.Dispose();
                }
            }
            """;
    }
}
