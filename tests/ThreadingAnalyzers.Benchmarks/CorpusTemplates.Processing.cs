namespace ThreadingAnalyzers.Benchmarks;

// Business code without threads: pricing, record parsing and the sales report.
internal static partial class CorpusTemplates
{
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
}
