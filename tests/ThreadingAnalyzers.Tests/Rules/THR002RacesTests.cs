using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR002UnsynchronizedSharedStateAnalyzer, ThreadingAnalyzers.CodeFixes.THR002UnsynchronizedSharedStateCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

/// <summary>THR002 on the races real projects fixed: each report with its start site and the other access as related locations.</summary>
public class THR002RacesTests
{
    private const string StarterReads = "the starting code reads it at line {0} while that code may still run";

    // ---- The starting thread's own reads ----

    [Fact]
    public Task StarterPrintsACounterTheTaskIncrements() => Verify.Diagnostic("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            static async Task M()
            {
                var n = 0;
                var task = {|#1:Task.Run(() => {|#0:n++|})|};
                Console.WriteLine({|#2:n|});
                await task;
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("n", "incremented", "Task.Run", "8", string.Format(StarterReads, 9)));

    [Fact]
    public Task StarterUsesAFieldTheThreadFillsBeforeJoiningIt() => Verify.Diagnostic("""
        using System.Threading;
        class Loader
        {
            string _data;
            void M()
            {
                var thread = {|#1:new Thread(() => {|#0:_data = Load()|})|};
                thread.Start();
                Use({|#2:_data|});
                thread.Join();
            }
            static string Load() => "x";
            static void Use(string s) { }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("_data", "assigned", "new Thread", "7", string.Format(StarterReads, 9)));

    [Fact]
    public Task StarterReadsBeforeTheStartOrAfterTheWaitAreSilent() => Verify.Diagnostic("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            string _data;
            async Task AfterAwait()
            {
                var n = 0;
                var task = Task.Run(() => n++);
                await task;
                Console.WriteLine(n);
            }
            void BeforeStartAfterJoin()
            {
                var thread = new Thread(() => _data = Load());
                Use(_data);
                thread.Start();
                thread.Join();
                Use(_data);
            }
            void AfterWait()
            {
                var total = 0;
                var task = Task.Run(() => { total += 2; });
                task.Wait();
                Console.WriteLine(total);
            }
            static string Load() => "x";
            static void Use(string s) { }
        }
        """);

    [Fact]
    public Task StarterPollingForTheValueInALoopIsLeftToTheBusyWaitRule() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static void M()
            {
                var ready = 0;
                var task = Task.Run(() => { ready = Compute(); });
                while (ready == 0)
                {
                    Thread.Sleep(1);
                }

                task.Wait();
            }
            static int Compute() => 1;
        }
        """);

    // ---- Two different bodies, one target ----

    [Fact]
    public Task AThreadAndATaskOfOneMethodBothWriteACapturedLocal() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class C
        {
            static int M()
            {
                var last = 0;
                var thread = {|#2:new Thread(() => { {|#0:last += 1|}; })|};
                thread.Start();
                var task = {|#3:Task.Run(() => { {|#1:last += 2|}; })|};
                task.Wait();
                thread.Join();
                return last;
            }
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithLocation(1)
            .WithArguments("last", "incremented", "new Thread", "8", "code started with Task.Run (line 10) also writes it at line 10"),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0)
            .WithArguments("last", "incremented", "Task.Run", "10", "code started with new Thread (line 8) also writes it at line 8"));

    [Fact]
    public Task ATimerCallbackAndAPoolItemOfOneInstanceBothWriteAField() => Verify.Diagnostic("""
        using System.Threading;
        class Poller
        {
            private readonly Timer _timer;
            private int _checks;
            public Poller() => _timer = {|#2:new Timer(_ => { {|#0:_checks++|}; }, null, 1000, Timeout.Infinite)|};
            public void CheckNow() => {|#3:ThreadPool.QueueUserWorkItem(_ => { {|#1:_checks++|}; })|};
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithLocation(1)
            .WithArguments("_checks", "incremented", "new Timer", "6", "code started with ThreadPool.QueueUserWorkItem (line 7) also writes it at line 7"),
        Verify.Expect("THR002", 1).WithLocation(3).WithLocation(0)
            .WithArguments("_checks", "incremented", "ThreadPool.QueueUserWorkItem", "7", "code started with new Timer (line 6) also writes it at line 6"));

    [Fact]
    public Task BodiesOfTwoMembersThatAreWaitedForOrLockedOrTouchOtherFieldsAreSilent() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Worker
        {
            private readonly object _gate = new object();
            private int _a;
            private int _b;
            private int _c;
            public void First() => ThreadPool.QueueUserWorkItem(_ => { _a++; lock (_gate) { _c++; } });
            public void Second() => ThreadPool.QueueUserWorkItem(_ => { _b++; lock (_gate) { _c++; } });
            public void Waited() => Task.Run(() => { _a = 3; }).Wait();
            public static void Elsewhere(Worker other) => ThreadPool.QueueUserWorkItem(_ => { other._b = 1; });
        }
        """);

    // ---- Concurrency beyond Thread and Task.Run ----

    /// <summary>The TPL Dataflow types, which the framework reference pack does not hold, declared as the package does.</summary>
    internal const string DataflowStub = """
        namespace System.Threading.Tasks.Dataflow
        {
            public class ExecutionDataflowBlockOptions { public int MaxDegreeOfParallelism { get; set; } = 1; }
            public sealed class ActionBlock<TInput>
            {
                public ActionBlock(System.Action<TInput> action) { }
                public ActionBlock(System.Action<TInput> action, ExecutionDataflowBlockOptions options) { }
                public bool Post(TInput item) => true;
            }
            public sealed class TransformBlock<TInput, TOutput>
            {
                public TransformBlock(System.Func<TInput, TOutput> transform, ExecutionDataflowBlockOptions options) { }
            }
            public sealed class TransformManyBlock<TInput, TOutput>
            {
                public TransformManyBlock(System.Func<TInput, System.Collections.Generic.IEnumerable<TOutput>> transform, ExecutionDataflowBlockOptions options) { }
            }
        }
        """;

    [Fact]
    public Task ContinuationWritesAFieldTheStarterReads() => Verify.Diagnostic("""
        using System;
        using System.Threading.Tasks;
        class C
        {
            int _done;
            void M(Task work)
            {
                var next = {|#1:work.ContinueWith(_ => {|#0:_done++|})|};
                Console.WriteLine({|#2:_done|});
                next.Wait();
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithLocation(2)
            .WithArguments("_done", "incremented", "ContinueWith", "8", string.Format(StarterReads, 9)));

    [Fact]
    public Task ContinuationAfterItsOwnTaskOrOnTheCallersContextIsSilent() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class Chained
        {
            int _count;
            async Task M()
            {
                var first = Task.Run(() => _count++);
                await first.ContinueWith(_ => _count++);
            }
        }
        class Direct
        {
            int _count;
            async Task M() => await Task.Run(() => _count++).ContinueWith(_ => _count++);
        }
        class OnTheContext
        {
            int _count;
            async Task M(Task work)
            {
                var next = work.ContinueWith(_ => _count++, TaskScheduler.FromCurrentSynchronizationContext());
                _count++;
                await next;
            }
        }
        class Inline
        {
            int _count;
            async Task M(Task work)
            {
                var next = work.ContinueWith(_ => _count++, TaskContinuationOptions.ExecuteSynchronously);
                _count++;
                await next;
            }
        }
        """);

    [Fact]
    public Task PeriodicTimersTimerElapsedHandlerIncrementsAField() => Verify.Diagnostic("""
        using System.Timers;
        class Heartbeat
        {
            private readonly Timer _timer;
            private int _beats;
            public Heartbeat()
            {
                _timer = new Timer(100);
                {|#1:_timer.Elapsed += (sender, e) => {|#0:_beats++|}|};
                _timer.Start();
            }
        }
        """, Verify.Expect("THR002", 0).WithLocation(1)
            .WithArguments("_beats", "incremented", "Timer.Elapsed", "9", "that code runs more than once at a time"));

    [Fact]
    public Task OneShotOrSynchronizedTimersTimerIsSilent() => Verify.Diagnostic("""
        using System.ComponentModel;
        using System.Timers;
        class Heartbeat
        {
            private int _beats;
            public Heartbeat(ISynchronizeInvoke form)
            {
                var once = new Timer(100) { AutoReset = false };
                once.Elapsed += (sender, e) => _beats++;
                var onTheForm = new Timer(100);
                onTheForm.SynchronizingObject = form;
                onTheForm.Elapsed += OnElapsed;
            }
            private void OnElapsed(object sender, ElapsedEventArgs e) => _beats++;
        }
        """);

    [Fact]
    public Task DataflowBlocksWithParallelismAboveOneRunTheirDelegateAtOnce() => Verify.Diagnostic("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks.Dataflow;
        class Pipeline
        {
            private long _bytes;
            private int _serial;
            private readonly List<string> _names = new List<string>();
            void Build()
            {
                var options = new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = 4 };
                var count = {|#2:new ActionBlock<byte[]>(data => { {|#0:_bytes += data.Length|}; }, options)|};
                var name = {|#3:new TransformBlock<int, string>(id => { {|#1:_names.Add(id.ToString())|}; return ""; },
                    new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Environment.ProcessorCount })|};
                var serial = new TransformManyBlock<int, int>(id => { _serial++; return new[] { id }; }, new ExecutionDataflowBlockOptions());
            }
        }
        """ + DataflowStub,
        Verify.Expect("THR002", 0).WithLocation(2)
            .WithArguments("_bytes", "incremented", "new ActionBlock", "12", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(3)
            .WithArguments("_names", "modified by List<string>.Add", "new TransformBlock", "13", "that code runs more than once at a time"));

    // ---- Semaphores that do not exclude ----

    [Fact]
    public Task SemaphoreWithRoomForSeveralIsNoLock() => Verify.Diagnostic("""
        using System.Threading;
        using System.Threading.Tasks;
        class Throttled
        {
            private readonly SemaphoreSlim _throttle = new SemaphoreSlim(4, 4);
            private readonly Semaphore _pool;
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
            private readonly SemaphoreSlim _single = new SemaphoreSlim(1);
            private readonly SemaphoreSlim _given;
            private int _done;
            private int _pooled;
            private int _safe;
            public Throttled(SemaphoreSlim given)
            {
                _pool = new Semaphore(4, 4);
                _given = given;
            }
            void M(int[] items) => {|#2:Parallel.ForEach(items, item =>
            {
                _throttle.Wait();
                try { {|#0:_done++|}; } finally { _throttle.Release(); }
                _pool.WaitOne();
                try { {|#1:_pooled++|}; } finally { _pool.Release(); }
                _gate.Wait();
                try { _safe++; } finally { _gate.Release(); }
                _single.Wait();
                try { _safe++; } finally { _single.Release(); }
                _given.Wait();
                try { _safe++; } finally { _given.Release(); }
            })|};
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_done", "incremented", "Parallel.ForEach", "18", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("_pooled", "incremented", "Parallel.ForEach", "18", "that code runs more than once at a time"));

    // ---- Declared types hiding the real object ----

    [Fact]
    public Task InterfaceTypedFieldHoldingAListIsAList() => Verify.Diagnostic("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading.Tasks;
        class Collector
        {
            private readonly ICollection<int> _seen = new List<int>();
            private IDictionary<int, string> _names;
            private readonly IDictionary<int, int> _counts = new ConcurrentDictionary<int, int>();
            private readonly ICollection<int> _given;
            public Collector(ICollection<int> given)
            {
                _names = new Dictionary<int, string>();
                _given = given;
            }
            void M(int[] items) => {|#2:Parallel.ForEach(items, item =>
            {
                {|#0:_seen.Add(item)|};
                {|#1:_names[item] = "x"|};
                _counts[item] = 1;
                _given.Add(item);
            })|};
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_seen", "modified by ICollection<int>.Add", "Parallel.ForEach", "15", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("_names", "modified by the IDictionary<int, string> indexer", "Parallel.ForEach", "15", "that code runs more than once at a time"));

    // ---- A volatile field's read-modify-write is THR016's ----

    [Fact]
    public Task VolatileFieldIncrementedInParallelIsLeftToThr016() => Verify.Diagnostic("""
        using System.Threading.Tasks;
        class C
        {
            private volatile int _hits;
            private int _plain;
            void M(int[] items) => {|#1:Parallel.ForEach(items, item => { _hits++; _hits += 2; _hits--; {|#0:_plain++|}; })|};
        }
        """, Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_plain", "incremented", "Parallel.ForEach", "6", "that code runs more than once at a time"));

    // ---- Thread-unsafe BCL types beyond the collections ----

    [Fact]
    public Task SharedRandomAndStringBuilderInParallel() => Verify.Diagnostic("""
        using System;
        using System.Text;
        using System.Threading.Tasks;
        class C
        {
            private readonly Random _random = new Random();
            private readonly StringBuilder _log = new StringBuilder();
            void M(int[] items) => {|#2:Parallel.ForEach(items, item =>
            {
                var roll = {|#0:_random.Next(6)|};
                {|#1:_log.Append(roll)|};
                var own = new StringBuilder();
                own.Append(item);
            })|};
        }
        """,
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_random", "modified by Random.Next", "Parallel.ForEach", "8", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("_log", "modified by StringBuilder.Append", "Parallel.ForEach", "8", "that code runs more than once at a time"));

    [Fact]
    public Task SharedRandomCallsBecomeRandomSharedCalls() => Verify.Fix("""
        using System;
        using System.Threading.Tasks;
        class Dice
        {
            private readonly Random _random = new Random();
            private readonly int[] _rolls = new int[6];
            void M(int[] items) => {|#2:Parallel.ForEach(items, item =>
            {
                var roll = {|#0:_random.Next(6)|};
                if ({|#1:this._random.NextDouble()|} < 0.5) _rolls[roll] = item;
            })|};
        }
        """, """
        using System;
        using System.Threading.Tasks;
        class Dice
        {
            private readonly Random _random = new Random();
            private readonly int[] _rolls = new int[6];
            void M(int[] items) => Parallel.ForEach(items, item =>
            {
                var roll = Random.Shared.Next(6);
                if (Random.Shared.NextDouble() < 0.5) _rolls[roll] = item;
            });
        }
        """, "THR002.UseRandomShared",
        Verify.Expect("THR002", 0).WithLocation(2).WithArguments("_random", "modified by Random.Next", "Parallel.ForEach", "7", "that code runs more than once at a time"),
        Verify.Expect("THR002", 1).WithLocation(2).WithArguments("_random", "modified by Random.NextDouble", "Parallel.ForEach", "7", "that code runs more than once at a time"));

    [Fact]
    public Task RandomSharedIsWrittenInFullWithoutUsingSystem() => Verify.Fix("""
        using System.Threading.Tasks;
        class Dice
        {
            private static readonly System.Random s_random = new System.Random();
            static void M(byte[][] buffers) => {|#1:Parallel.ForEach(buffers, buffer => {|#0:s_random.NextBytes(buffer)|})|};
        }
        """, """
        using System.Threading.Tasks;
        class Dice
        {
            private static readonly System.Random s_random = new System.Random();
            static void M(byte[][] buffers) => Parallel.ForEach(buffers, buffer => System.Random.Shared.NextBytes(buffer));
        }
        """, "THR002.UseRandomShared",
        Verify.Expect("THR002", 0).WithLocation(1).WithArguments("s_random", "modified by Random.NextBytes", "Parallel.ForEach", "5", "that code runs more than once at a time"));

    [Fact]
    public async Task RandomSharedIsNotOfferedWhereTheFrameworkHasNoRandomShared()
    {
        // netstandard2.0's Random has no Shared property: only the lock would help there, and a declaration cannot take one.
        const string Source = """
            using System;
            using System.Threading.Tasks;
            class Dice
            {
                private readonly Random _random = new Random();
                void M(int[] items) => {|#1:Parallel.ForEach(items, item => { var roll = {|#0:_random.Next(6)|}; })|};
            }
            """;
        var test = new Verify.Test { TestCode = Source, FixedCode = Source, CodeActionEquivalenceKey = "THR002.UseRandomShared" };
        test.TestState.AdditionalReferences.Clear();
        test.FixedState.AdditionalReferences.Clear();
        var netstandard = MetadataReference.CreateFromFile(Path.Combine(RepoInfo.NuGetPackageRoot, "netstandard.library", "2.0.3", "build", "netstandard2.0", "ref", "netstandard.dll"));
        test.TestState.AdditionalReferences.Add(netstandard);
        test.FixedState.AdditionalReferences.Add(netstandard);
        test.ExpectedDiagnostics.Add(Verify.Expect("THR002", 0).WithLocation(1).WithArguments("_random", "modified by Random.Next", "Parallel.ForEach", "6", "that code runs more than once at a time"));
        await test.RunAsync(CancellationToken.None);
    }
}
