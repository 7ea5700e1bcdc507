namespace ThreadingAnalyzers.Benchmarks;

// Threading code: Parallel and PLINQ scoring, a task pipeline, timers and producer/consumer queues.
internal static partial class CorpusTemplates
{
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
