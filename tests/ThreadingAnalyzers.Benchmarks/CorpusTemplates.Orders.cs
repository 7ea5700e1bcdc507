namespace ThreadingAnalyzers.Benchmarks;

// Business code without threads: the order model and its repository.
internal static partial class CorpusTemplates
{
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
}
