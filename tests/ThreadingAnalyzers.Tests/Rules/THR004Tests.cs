using System.Threading.Tasks;
using ThreadingAnalyzers.CodeFixes;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR004CpuBoundDedicatedThreadAnalyzer, ThreadingAnalyzers.CodeFixes.THR004CpuBoundDedicatedThreadCodeFix>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR004Tests
{
    private const string TaskRun = THR004CpuBoundDedicatedThreadCodeFix.UseTaskRunKey;
    private const string ParallelFor = THR004CpuBoundDedicatedThreadCodeFix.UseParallelForKey;

    [Fact]
    public Task LoopInLambda() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            long _sum;
            void M(int[] data)
            {
                var t = {|#0:new Thread(() => { for (var i = 0; i < data.Length; i++) _sum += data[i]; })|};
                t.Start();
                t.Join();
            }
        }
        """, Verify.Expect("THR004").WithArguments("t", "Task.Run"));
}
