using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ThreadingAnalyzers.Concurrency;
using ThreadingAnalyzers.Tests.Rules;

namespace ThreadingAnalyzers.Tests.Concurrency;

/// <summary>The two views of the entry points agree: a member whose code the symbol check finds an entry point in is never skipped by the words.</summary>
public class EntryPointKindsTests
{
    [Theory]
    [InlineData("new Thread(() => { }).Start();", "Thread")]
    [InlineData("Task.Run(() => { });", "TaskRun")]
    [InlineData("Task.Factory.StartNew(() => { });", "TaskFactoryStartNew")]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { });", "ThreadPool")]
    [InlineData("Parallel.For(0, 3, i => { });", "ParallelFor")]
    [InlineData("Parallel.ForEach(new[] { 1 }, i => { });", "ParallelForEach")]
    [InlineData("_ = Parallel.ForEachAsync(new[] { 1 }, async (i, token) => await Task.Yield());", "ParallelForEach")]
    [InlineData("Parallel.Invoke(() => { }, () => { });", "ParallelInvoke")]
    [InlineData("new[] { 1 }.AsParallel().ForAll(i => { });", "PlinqForAll")]
    [InlineData("var t = new Timer(_ => { }, null, 0, 100);", "Timer")]
    [InlineData("var t = new Task(() => { }); t.Start();", "TaskStart")]
    [InlineData("Task.CompletedTask.ContinueWith(_ => { });", "ContinueWith")]
    [InlineData("var t = new System.Timers.Timer(5); t.Elapsed += (s, e) => { };", "TimerElapsed")]
    [InlineData("var b = new ActionBlock<int>(i => { });", "DataflowBlock")]
    [InlineData("var b = new TransformBlock<int, int>(i => i, new ExecutionDataflowBlockOptions());", "DataflowBlock")]
    [InlineData("var b = new TransformManyBlock<int, int>(i => new[] { i }, new ExecutionDataflowBlockOptions());", "DataflowBlock")]
    public void EveryKindTheSymbolsFindIsAPlaceByItsWords(string statement, string kind)
    {
        var source = $$"""
            using System;
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using System.Threading.Tasks.Dataflow;
            class C
            {
                void M()
                {
                    {{statement}}
                }
            }
            """ + THR002RacesTests.DataflowStub;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var method = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "M");
        var root = compilation.GetSemanticModel(tree).GetOperation(method)!;
        var type = compilation.GetTypeByMetadataName("C")!;

        Assert.Contains(kind, EntryPoints.Find(root, ThreadingTypes.From(compilation)).Select(entry => entry.Kind.ToString()));
        Assert.True(EntryPointText.PlacesIn(type, ThreadingOptions.None)?.MayStartConcurrentCode(method));
    }
}
