using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.Tests.Concurrency;

public class ThreadingTypesTests
{
    private static readonly PropertyInfo[] TypeProperties = typeof(ThreadingTypes)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.PropertyType == typeof(INamedTypeSymbol))
        .ToArray();

    public static TheoryData<string> TypePropertyNames => new(TypeProperties.Select(p => p.Name));

    [Theory]
    [MemberData(nameof(TypePropertyNames))]
    public void EveryTypePropertyResolvesTheTypeItIsNamedAfter(string propertyName)
    {
        var types = ThreadingTypes.From(CSharpCompilation.Create("T", references: TestReferences.Net100));
        var type = (INamedTypeSymbol?)typeof(ThreadingTypes).GetProperty(propertyName)!.GetValue(types);

        Assert.NotNull(type);
        // ListOfT is List<T>, TaskFactoryOfT is TaskFactory<TResult>, TimersTimer is System.Timers.Timer, ThreadStaticAttribute keeps its suffix.
        var expected = propertyName.EndsWith("OfT") ? propertyName[..^3] : propertyName == "TimersTimer" ? "Timer" : propertyName;
        Assert.Equal(expected, type!.Name);
    }

    [Fact]
    public void NoTwoPropertiesReturnTheSameType()
    {
        var types = ThreadingTypes.From(CSharpCompilation.Create("T", references: TestReferences.Net100));
        var resolved = TypeProperties.Select(p => (INamedTypeSymbol?)p.GetValue(types)).ToList();

        Assert.Equal(resolved.Count, resolved.Distinct<INamedTypeSymbol?>(SymbolEqualityComparer.Default).Count());
    }

    [Fact]
    public void TypesAbsentFromTheReferencesAreNull()
    {
        var types = ThreadingTypes.From(CSharpCompilation.Create("T"));

        Assert.All(TypeProperties, p => Assert.Null(p.GetValue(types)));
        Assert.False(types.IsUnsynchronizedCollection(null));
    }
}
