using System.Threading.Tasks;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>
/// THR002 on async functions started per item and awaited together: each runs concurrently with the others from its
/// first await on; before it, on the caller, one item after another.
/// </summary>
public class THR002AwaitedTogetherTests
{
    private const string Again = "that code runs more than once at a time";

    /// <summary>A class with a list, a counter and a fetch; <paramref name="members"/> follow (the first on line 12).</summary>
    private static string Store(string members) => $$"""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class Store
        {
            private readonly List<int> _results = new List<int>();
            private readonly object _gate = new object();
            private int _count;
            static Task<int> Fetch(int x) => Task.FromResult(x);
            {{members}}
        }
        """;

    [Fact]
    public Task SelectAsyncLambdaWritesAfterItsFirstAwait() => Verify.Diagnostic(Store("""
        async Task M(int[] items) => await {|#2:Task.WhenAll(items.Select(async x => { var r = await Fetch(x); {|#0:_results.Add(r)|}; {|#1:_count++|}; }))|};
        """),
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_results", "modified by List<int>.Add", "Task.WhenAll", "12", Again),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("_count", "incremented", "Task.WhenAll", "12", Again));

    [Fact]
    public Task LoopAddsTheTasksOfAnAsyncMethodThenAwaitsThemTogether() => Verify.Diagnostic(Store("""
        async Task M(int[] items)
            {
                var tasks = new List<Task>();
                foreach (var x in items) tasks.Add(ProcessAsync(x));
                await {|#1:Task.WhenAll(tasks)|};
            }
            async Task ProcessAsync(int x)
            {
                var r = await Fetch(x);
                {|#0:_results.Add(r)|};
            }
        """), Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_results", "modified by List<int>.Add", "Task.WhenAll", "16", Again));

    [Fact]
    public Task LoopFillsAnArrayThenWaitsForAll() => Verify.Diagnostic(Store("""
        void M(int[] items)
            {
                var tasks = new Task[items.Length];
                for (var i = 0; i < items.Length; i++) tasks[i] = CountAsync(items[i]);
                {|#1:Task.WaitAll(tasks)|};
            }
            async Task CountAsync(int x)
            {
                await Task.Yield();
                {|#0:_count += x|};
            }
        """), Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_count", "incremented", "Task.WaitAll", "16", Again));

    [Fact]
    public Task ListOfTasksWaitedWithWaitAllOfItsArray() => Verify.Diagnostic(Store("""
        void M(int[] items)
            {
                var tasks = new List<Task>();
                for (var i = 0; i < items.Length; i++) tasks.Add(ProcessAsync(items[i]));
                {|#1:Task.WaitAll(tasks.ToArray())|};
            }
            async Task ProcessAsync(int x) { await Task.Delay(x); {|#0:_results.Add(x)|}; }
        """), Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_results", "modified by List<int>.Add", "Task.WaitAll", "16", Again));

    [Fact]
    public Task SelectorsThatStartAnAsyncMethod() => Verify.Diagnostic(Store("""
        async Task ByLambda(int[] items) => await {|#2:Task.WhenAll(items.Select(x => ProcessAsync(x)).ToList())|};
            async Task ByGroup(int[] items) => await {|#3:Task.WhenAll(items.Select(CountAsync))|};
            async Task ProcessAsync(int x) { await Task.Delay(x); {|#0:_results.Add(x)|}; }
            async Task CountAsync(int x) { await Task.Delay(x); {|#1:_count++|}; }
        """),
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_results", "modified by List<int>.Add", "Task.WhenAll", "12", Again),
        Verify.Expect("THR002", 1).WithLocation(3).WithArguments("_count", "incremented", "Task.WhenAll", "13", Again));

    [Fact]
    public Task AsyncMethodAwaitedFirstInTheLambdaIsFollowedIntoItsCallees() => Verify.Diagnostic(Store("""
        async Task M(int[] items) => await {|#1:Task.WhenAll(items.Select(async x => await StoreAsync(x)))|};
            async Task StoreAsync(int x) { var r = await Fetch(x); Record(r); }
            void Record(int r) { {|#0:_results.Add(r)|}; }
        """), Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_results", "modified by List<int>.Add", "Task.WhenAll", "12", Again));

    [Fact]
    public Task TwoAsyncMethodsNamedTogether() => Verify.Diagnostic(Store("""
        async Task Same() => await {|#2:Task.WhenAll(LoadAsync(1), LoadAsync(2))|};
            async Task Different()
            {
                var first = LoadAsync(1);
                var second = SetAsync(5);
                await {|#3:Task.WhenAll(first, second)|};
            }
            async Task LoadAsync(int x) { await Task.Delay(x); {|#0:_count++|}; }
            async Task SetAsync(int x) { await Task.Delay(x); {|#1:_count = x|}; }
        """),
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_count", "incremented", "Task.WhenAll", "12", Again),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0).WithArguments("_count", "assigned", "Task.WhenAll", "17", "another delegate it runs at the same time writes it at line 19"));

    [Fact]
    public Task WriteBeforeTheAwaitOfALoopRunsAfterThePreviousIteration() => Verify.Diagnostic(Store("""
        async Task M(int[] items) => await {|#1:Task.WhenAll(items.Select(async x =>
            {
                for (var i = 0; i < x; i++)
                {
                    {|#0:_results.Add(i)|};
                    await Task.Delay(1);
                }
            }))|};
        """), Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_results", "modified by List<int>.Add", "Task.WhenAll", "12", Again));

    [Fact]
    public Task LookAlikesStaySilent() => Verify.Diagnostic(Store("""
        private readonly ConcurrentBag<int> _bag = new ConcurrentBag<int>();
            private readonly SemaphoreSlim _one = new SemaphoreSlim(1, 1);
            async Task Sequential(int[] items) { foreach (var x in items) await ProcessAsync(x); }
            async Task SequentialThroughAList(int[] items)
            {
                var tasks = new List<Task>();
                foreach (var x in items) { var task = ProcessAsync(x); tasks.Add(task); await task; }
                await Task.WhenAll(tasks);
            }
            async Task BeforeTheFirstAwait(int[] items) => await Task.WhenAll(items.Select(async x => { _results.Add(x); _count++; await Fetch(x); }));
            async Task OwnLocals(int[] items) => await Task.WhenAll(items.Select(async x => { var list = new List<int>(); var n = 0; var r = await Fetch(x); list.Add(r); n++; }));
            async Task ThreadSafe(int[] items) => await Task.WhenAll(items.Select(async x => { var r = await Fetch(x); _bag.Add(r); Interlocked.Add(ref _count, r); }));
            async Task Locked(int[] items) => await Task.WhenAll(items.Select(async x => { var r = await Fetch(x); lock (_gate) { _results.Add(r); _count++; } }));
            async Task OneAtATime(int[] items) => await Task.WhenAll(items.Select(async x =>
            {
                var r = await Fetch(x);
                await _one.WaitAsync();
                try { _results.Add(r); }
                finally { _one.Release(); }
            }));
            async Task NoAwait(int[] items) => await Task.WhenAll(items.Select(async x => { _results.Add(x); }));
            async Task NotAsync(int[] items) => await Task.WhenAll(items.Select(x => Fill(x)));
            async Task ProcessAsync(int x) { await Task.Delay(x); _results.Add(x); }
            Task Fill(int x) { _results.Add(x); return Task.CompletedTask; }
        """));

    [Fact]
    public Task TaskRunPerItemOfASelectorOrForEach() => Verify.Diagnostic(Store("""
        async Task Selected(int[] items) => await Task.WhenAll(items.Select(x => {|#2:Task.Run(() => {|#0:_results.Add(x)|})|}));
            void EachOne(List<int> items) => items.ForEach(x => {|#3:Task.Run(() => {|#1:_count++|})|});
            int[] WaitedPerItem(int[] items) => items.Select(x => Task.Run(() => _count++).Result).ToArray();
            async Task OwnLocalPerItem(int[] items) => await Task.WhenAll(items.Select(x => { var sum = 0; return Task.Run(() => sum += x); }));
        """),
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_results", "modified by List<int>.Add", "Task.Run", "12", Again),
        Verify.Expect("THR002", 1).WithLocation(3).WithArguments("_count", "incremented", "Task.Run", "13", Again));

    [Fact]
    public Task HalfTypedCodeStaysSilent() => Verify.NoDiagnosticInBrokenCode(Store("""
        async Task M(int[] items) => await Task.WhenAll(items.Select(async x => { var r = await Fetch(x); _results.Add(r) }));
            async Task N(int[] items) => await Task.WhenAll(items.Select(Missing));
            void O(List<Task> tasks) { foreach (var x in new[] { 1 }) tasks.Add(Unknown(x)); Task.WaitAll(tasks.ToArray(); }
        """));

    // ---- Task.Run of an async function: followed into the async methods it awaits ----

    [Fact]
    public Task TaskRunOfAnAsyncLambdaFollowsTheAwaitedMethod() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class Poller
        {
            private int _polls;
            void Start()
            {
                {|#1:Task.Run(async () => await PollAsync())|};
                Task.Run(async () => await PollAsync());
            }
            async Task PollAsync() { await Task.Delay(10); await StepAsync(); }
            async Task StepAsync() { await Task.Yield(); {|#0:_polls++|}; }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(0)
            .WithArguments("_polls", "incremented", "Task.Run", "7", "code started with Task.Run (line 8) also writes it at line 11"));

    [Fact]
    public Task TaskRunAndStartNewOfAnAsyncMethodGroupInALoop() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Poller
        {
            private readonly List<int> _seen = new List<int>();
            private int _ticks;
            void Start()
            {
                for (var i = 0; i < 4; i++) {|#2:Task.Run(PollAsync)|};
            }
            void StartFactory()
            {
                for (var i = 0; i < 4; i++) {|#3:Task.Factory.StartNew(async () => { await Task.Delay(1); await TickAsync(); })|};
            }
            async Task PollAsync() { await Task.Delay(10); {|#0:_seen.Add(1)|}; }
            async Task TickAsync() { await Task.Yield(); {|#1:_ticks++|}; }
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_seen", "modified by List<int>.Add", "Task.Run", "9", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(3).WithArguments("_ticks", "incremented", "Task.Factory.StartNew", "13", "that code runs more than once at a time"));

    [Fact]
    public Task TaskRunOfAnAsyncMethodAwaitedAtOnceIsSilent() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class Poller
        {
            private int _polls;
            async Task Start()
            {
                await Task.Run(async () => await PollAsync());
                await Task.Run(PollAsync);
            }
            async Task PollAsync() { await Task.Delay(10); _polls++; }
        }
        """);

    // ---- Instance identity: per-iteration context objects and the static state they fill ----

    /// <summary>A context object with its own fields and a static cache every instance fills (line 12); <paramref name="driver"/> is on line 16.</summary>
    private static string Contexts(string driver) => $$"""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        class Ctx
        {
            private static readonly Dictionary<int, int> s_cache = new Dictionary<int, int>();
            private readonly List<int> _seen = new List<int>();
            private int _runs;
            public Ctx(int id) { _runs = id; }
            public void Run(int x) { {|#2:_runs++|}; {|#3:_seen.Add(x)|}; Remember(x); }
            private void Remember(int x) { {|#0:s_cache[x] = _runs|}; }
        }
        class Driver
        {
            {{driver}}
        }
        """;

    private const string CacheWrite = "modified by the Dictionary<int, int> indexer";

    [Fact]
    public Task EachParallelIterationsOwnContextSharesOnlyTheStaticCache() => Verify.Diagnostic(
        Contexts("void M(int[] items) => {|#1:Parallel.ForEach(items, x => { var ctx = new Ctx(x); ctx.Run(x); })|};").Replace("{|#2:_runs++|}", "_runs++").Replace("{|#3:_seen.Add(x)|}", "_seen.Add(x)"),
        Verify.Expect("THR002", 0).WithLocation(1).WithArguments("s_cache", CacheWrite, "Parallel.ForEach", "16", "that code runs more than once at a time"));

    [Fact]
    public Task EachThreadsOwnContextSharesOnlyTheStaticCache() => Verify.Diagnostic(
        Contexts("void M(int[] items) { foreach (var x in items) { var ctx = new Ctx(x); {|#1:new Thread(() => ctx.Run(x))|}.Start(); } }").Replace("{|#2:_runs++|}", "_runs++").Replace("{|#3:_seen.Add(x)|}", "_seen.Add(x)"),
        Verify.Expect("THR002", 0).WithLocation(1).WithArguments("s_cache", CacheWrite, "new Thread", "16", "that code runs more than once at a time"));

    [Fact]
    public Task EachAwaitedItemsOwnContextSharesOnlyTheStaticCache() => Verify.Diagnostic(
        Contexts("async Task M(int[] items) => await {|#1:Task.WhenAll(items.Select(async x => { var ctx = new Ctx(x); await Task.Yield(); ctx.Run(x); }))|};").Replace("{|#2:_runs++|}", "_runs++").Replace("{|#3:_seen.Add(x)|}", "_seen.Add(x)"),
        Verify.Expect("THR002", 0).WithLocation(1).WithArguments("s_cache", CacheWrite, "Task.WhenAll", "16", "that code runs more than once at a time"));

    [Fact]
    public Task OneContextForEveryIterationSharesItsFieldsToo() => Verify.Diagnostic(
        Contexts("void M(int[] items) { var ctx = new Ctx(0); {|#1:Parallel.ForEach(items, x => ctx.Run(x))|}; }"),
        Verify.Expect("THR002", 2).WithLocation(1).WithArguments("_runs", "incremented", "Parallel.ForEach", "16", "that code runs more than once at a time"),
        Verify.Expect("THR002", 3).WithLocation(1).WithArguments("_seen", "modified by List<int>.Add", "Parallel.ForEach", "16", "that code runs more than once at a time"),
        Verify.Expect("THR002", 0).WithLocation(1).WithArguments("s_cache", CacheWrite, "Parallel.ForEach", "16", "that code runs more than once at a time"));

    [Fact]
    public Task ConstructorOfAPerIterationObjectFillsAStaticRegistry() => Verify.Diagnostic("""
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Session
        {
            private static readonly List<Session> s_open = new List<Session>();
            private static readonly object s_gate = new object();
            private static int s_created;
            private static int s_counted;
            private readonly int _id;
            private string _name;
            public Session(int id)
            {
                _id = id;
                _name = id.ToString();
                {|#0:s_open.Add(this)|};
                lock (s_gate) { s_counted++; }
                Count();
            }
            private static void Count() { {|#1:s_created++|}; }
        }
        class Driver
        {
            void M(int[] items) => {|#2:Parallel.ForEach(items, x => new Session(x))|};
            void Locked(int[] items) => Parallel.ForEach(items, x => { lock (this) { new Session(x); } });
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("s_open", "modified by List<Session>.Add", "Parallel.ForEach", "23", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("s_created", "incremented", "Parallel.ForEach", "23", "that code runs more than once at a time"));
}
