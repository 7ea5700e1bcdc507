using System.Threading.Tasks;
using ThreadingAnalyzers.Rules;
using Verify = ThreadingAnalyzers.Tests.Verifier<ThreadingAnalyzers.Rules.THR001UnjoinedForegroundThreadAnalyzer>;

namespace ThreadingAnalyzers.Tests.Rules;

public class THR001Tests
{
    [Fact]
    public Task LocalThreadStartedAndNeverJoined() => Verify.Diagnostic("""
        using System.Threading;
        class C
        {
            void M()
            {
                var worker = new Thread(() => { });
                {|#0:worker.Start()|};
            }
        }
        """, Verify.Expect("THR001", 0).WithArguments("worker"));
}
