namespace ThreadingAnalyzers.Benchmarks;

// Threading code: a dedicated ingest thread and a lock-protected cache.
internal static partial class CorpusTemplates
{
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
}
