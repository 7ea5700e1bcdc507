using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ThreadingAnalyzers.Tests.Internals;

/// <summary>Small sources compiled for the model tests, broken ones included, and the operations found in them by their text.</summary>
internal static class ModelSource
{
    /// <summary>The compilation of <paramref name="source"/> and the operation of its method <paramref name="method"/>; with <paramref name="broken"/>, errors are allowed.</summary>
    public static (Compilation Compilation, IOperation Root) Compile(string source, bool broken = false, string method = "M")
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("T", new[] { tree }, TestReferences.Net80, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);
        if (broken)
        {
            Assert.NotEmpty(errors);
        }
        else
        {
            Assert.Empty(errors);
        }

        var declaration = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.Text == method);
        return (compilation, compilation.GetSemanticModel(tree).GetOperation(declaration)!);
    }

    /// <summary>The outermost operation of type <typeparamref name="T"/> below <paramref name="root"/> whose text is <paramref name="text"/>.</summary>
    public static T Find<T>(IOperation root, string text)
        where T : IOperation =>
        root.DescendantsAndSelf().OfType<T>().First(o => o.Syntax.ToString() == text);
}
