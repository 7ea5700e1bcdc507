using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Internals;

public class SourceWordsTests
{
    private static readonly SourceWords LockWords = new("Enter", "TryEnter", "EnterReadLock", "TryEnterReadLock", "Wait", "WaitOne");

    private static string[] Found(SourceWords words, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source);
        return words.TokensIn(tree, new TextSpan(0, tree.Length), CancellationToken.None).Select(token => token.Text).ToArray();
    }

    [Fact]
    public void WordsInsideLongerWordsAreFoundWhole()
    {
        // Enter is searched for once; TryEnter, EnterReadLock and TryEnterReadLock are the identifiers around its hits.
        var found = Found(LockWords, "class C { void M(dynamic m) { m.Enter(); m.TryEnter(); m.EnterReadLock(); m.TryEnterReadLock(); m.WaitOne(); m.Wait(); } }");

        Assert.Equal(new[] { "Enter", "TryEnter", "EnterReadLock", "TryEnterReadLock", "WaitOne", "Wait" }, found);
    }

    [Fact]
    public void LongerIdentifiersAreNotWords()
    {
        var found = Found(LockWords, "class C { void M(dynamic m) { m.Entered(); m.ReEnter(); m.Enter2(); m.TryEnterWriteLock(); m.WaitAll(); m.AwaitOne(); } }");

        Assert.Empty(found);
    }

    [Fact]
    public void VerbatimAndEscapedIdentifiersAreFound()
    {
        var found = Found(LockWords, """class C { void M(dynamic m) { m.@Enter(); m.\u0045nter(); m.Try\u0045nter(); } }""");

        Assert.Equal(new[] { "@Enter", "\\u0045nter", "Try\\u0045nter" }, found);
    }

    [Fact]
    public void MentionsLooksOnlyInsideTheSpan()
    {
        var tree = CSharpSyntaxTree.ParseText("class A { void M(dynamic m) { m.Enter(); } }\nclass B { void M(dynamic m) { m.Exit(); } }");
        var text = tree.GetText().ToString();
        var b = text.IndexOf("class B", System.StringComparison.Ordinal);

        Assert.True(LockWords.Mentions(tree, new TextSpan(0, b)));
        Assert.False(LockWords.Mentions(tree, new TextSpan(b, text.Length - b)));
    }

    [Fact]
    public void MentionedByAsksEveryPartOfAPartialType()
    {
        var (compilation, _) = ModelSource.Compile("""
            partial class C { void M() { } }
            partial class C { void B(System.Threading.SemaphoreSlim s) { s.Wait(); } }
            class D { void E() { } }
            """);

        Assert.True(LockWords.MentionedBy(compilation.GetTypeByMetadataName("C")!));
        Assert.False(LockWords.MentionedBy(compilation.GetTypeByMetadataName("D")!));
    }

    [Fact]
    public void ASetMadeAfterATreeWasReadStillFindsItsWords()
    {
        // The tree is read once for every word known then; a set made later is not in that reading and searches itself.
        var tree = CSharpSyntaxTree.ParseText("class C { void M(dynamic m) { m.Enter(); m.LateWordOfThisTest(); m.LateWordOfThisTestToo(); } }");
        Assert.Equal(new[] { "Enter" }, LockWords.TokensIn(tree, new TextSpan(0, tree.Length), CancellationToken.None).Select(token => token.Text));

        var late = new SourceWords("LateWordOfThisTest");

        Assert.False(TreeWordScan.Of(tree).Covers(new[] { "LateWordOfThisTest" }));
        Assert.Equal(new[] { "LateWordOfThisTest" }, late.TokensIn(tree, new TextSpan(0, tree.Length), CancellationToken.None).Select(token => token.Text));

        var next = CSharpSyntaxTree.ParseText("class D { void M(dynamic m) { m.LateWordOfThisTest(); } }");
        Assert.True(TreeWordScan.Of(next).Covers(new[] { "LateWordOfThisTest" }));
        Assert.Equal(new[] { "LateWordOfThisTest" }, late.TokensIn(next, new TextSpan(0, next.Length), CancellationToken.None).Select(token => token.Text));
    }

    [Fact]
    public void OnlyWholeIdentifiersAndEscapesAreFound()
    {
        _ = new SourceWords("Enter");
        var tree = CSharpSyntaxTree.ParseText("""class C { int Enter_, _Enter, Enter1, \u0045x; void Enter() { } string s = "Enter"; } // Enter""");
        var scan = TreeWordScan.Of(tree);
        var text = tree.GetText().ToString();

        Assert.True(scan.Covers(new[] { "Enter" }));
        Assert.Equal(new[] { text.IndexOf("Enter()", System.StringComparison.Ordinal), text.IndexOf("\"Enter", System.StringComparison.Ordinal) + 1, text.LastIndexOf("Enter", System.StringComparison.Ordinal) }, scan.PositionsOf(new[] { "Enter" }));
        Assert.Equal(new[] { text.IndexOf('\\') }, scan.Escapes);
    }

    [Fact]
    public void EveryAsciiCharacterSplitsWordsAsTheCompilerDoes()
    {
        _ = new SourceWords("Enter");
        for (var c = (char)1; c < 128; c++)
        {
            // Enter, a character, Enter: two words when the character cannot continue an identifier, else one longer identifier.
            var tree = CSharpSyntaxTree.ParseText("Enter" + c + "Enter");
            var expected = SyntaxFacts.IsIdentifierPartCharacter(c) ? 0 : 2;

            Assert.True(expected == TreeWordScan.Of(tree).PositionsOf(new[] { "Enter" }).Count, "character " + (int)c);
        }
    }
}
