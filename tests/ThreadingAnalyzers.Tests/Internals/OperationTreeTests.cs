using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ThreadingAnalyzers.Internals;

namespace ThreadingAnalyzers.Tests.Internals;

public class OperationTreeTests
{
    private const string Source = """
        using System;
        class C
        {
            private object _field;
            private int _count;
            void M(C other, object value)
            {
                var copy = (string)value;
                object boxed = _count;
                Action lambda = () => { _count++; };
                void Local() { _count--; }
                var twice = 1;
                twice = 2;
                var once = 3;
                System.Console.WriteLine(other._field);
                System.Console.WriteLine(this._field);
                System.Console.WriteLine(once);
                Local();
                lambda();
            }
        }
        """;

    private static IOperation Root() => ModelSource.Compile(Source).Root;

    [Fact]
    public void RootIsTheMemberBodyFromAnyDepth()
    {
        var root = Root();
        var deep = ModelSource.Find<IIncrementOrDecrementOperation>(root, "_count++");

        Assert.Same(root, OperationTree.Root(deep));
        Assert.Same(root, OperationTree.Root(root));
    }

    [Fact]
    public void EnclosingNestedFunctionIsTheInnermostLambdaOrLocalFunction()
    {
        var root = Root();
        var inLambda = ModelSource.Find<IIncrementOrDecrementOperation>(root, "_count++");
        var inLocal = ModelSource.Find<IIncrementOrDecrementOperation>(root, "_count--");
        var inMethod = ModelSource.Find<ISimpleAssignmentOperation>(root, "twice = 2");

        Assert.IsAssignableFrom<IAnonymousFunctionOperation>(OperationTree.EnclosingNestedFunction(inLambda));
        Assert.IsAssignableFrom<ILocalFunctionOperation>(OperationTree.EnclosingNestedFunction(inLocal));
        Assert.Null(OperationTree.EnclosingNestedFunction(inMethod));
        Assert.Same(OperationTree.EnclosingNestedFunction(inLambda), OperationTree.OwnFunction(inLambda));
        Assert.Same(root, OperationTree.OwnFunction(inMethod));
        Assert.Equal("Local", OperationTree.NestedFunctionSymbol(OperationTree.OwnFunction(inLocal))?.Name);
        Assert.Equal(MethodKind.AnonymousFunction, OperationTree.NestedFunctionSymbol(OperationTree.OwnFunction(inLambda))?.MethodKind);
        Assert.Null(OperationTree.NestedFunctionSymbol(root));
    }

    [Fact]
    public void UnwrapRemovesCastsButWithoutImplicitConversionsKeepsThem()
    {
        var root = Root();
        var cast = ModelSource.Find<IVariableDeclaratorOperation>(root, "copy = (string)value").Initializer!.Value;
        var boxing = ModelSource.Find<IVariableDeclaratorOperation>(root, "boxed = _count").Initializer!.Value;

        Assert.IsAssignableFrom<IParameterReferenceOperation>(OperationTree.Unwrap(cast));
        Assert.IsAssignableFrom<IConversionOperation>(OperationTree.WithoutImplicitConversions(cast));
        Assert.IsAssignableFrom<IFieldReferenceOperation>(OperationTree.Unwrap(boxing));
        Assert.IsAssignableFrom<IFieldReferenceOperation>(OperationTree.WithoutImplicitConversions(boxing));
        Assert.Null(OperationTree.Unwrap(null));
    }

    [Fact]
    public void OutermostClimbsThroughConversions()
    {
        var root = Root();
        var field = ModelSource.Find<IFieldReferenceOperation>(root, "_count");
        var plain = ModelSource.Find<ILiteralOperation>(root, "3");

        Assert.IsAssignableFrom<IConversionOperation>(OperationTree.Outermost(field));
        Assert.Same(plain, OperationTree.Outermost(plain));
    }

    [Fact]
    public void ReferencedSymbolNamesOnlyStorageThatIsTheSameEverywhere()
    {
        var root = Root();

        Assert.Equal("_field", OperationTree.ReferencedSymbol(ModelSource.Find<IFieldReferenceOperation>(root, "this._field"))?.Name);
        Assert.Equal("value", OperationTree.ReferencedSymbol(ModelSource.Find<IParameterReferenceOperation>(root, "value"))?.Name);
        Assert.Equal("once", OperationTree.ReferencedSymbol(ModelSource.Find<ILocalReferenceOperation>(root, "once"))?.Name);
        Assert.Null(OperationTree.ReferencedSymbol(ModelSource.Find<IFieldReferenceOperation>(root, "other._field")));
        Assert.Null(OperationTree.ReferencedSymbol(ModelSource.Find<ILiteralOperation>(root, "3")));
    }

    [Fact]
    public void StoringLocalIsTheLocalInitializedOrAssigned()
    {
        var root = Root();

        Assert.Equal("once", OperationTree.StoringLocal(ModelSource.Find<ILiteralOperation>(root, "3"))?.Name);
        Assert.Equal("twice", OperationTree.StoringLocal(ModelSource.Find<ILiteralOperation>(root, "2"))?.Name);
        Assert.Equal("boxed", OperationTree.StoringLocal(ModelSource.Find<IFieldReferenceOperation>(root, "_count"))?.Name);
        Assert.Null(OperationTree.StoringLocal(ModelSource.Find<ILocalReferenceOperation>(root, "once")));
    }

    [Fact]
    public void SingleAssignedValueOnlyForALocalGivenOneValue()
    {
        var root = Root();
        var once = ModelSource.Find<ILocalReferenceOperation>(root, "once");
        var twice = ModelSource.Find<ISimpleAssignmentOperation>(root, "twice = 2").Target;

        Assert.Equal("3", OperationTree.SingleAssignedValue(once)?.Syntax.ToString());
        Assert.Null(OperationTree.SingleAssignedValue((ILocalReferenceOperation)twice));
    }

    [Fact]
    public void BrokenCodeDoesNotThrow()
    {
        var (_, root) = ModelSource.Compile("""
            class C
            {
                void M()
                {
                    var x = Missing(;
                    var y = (Unknown)x;
                }
            }
            """, broken: true);
        var cast = ModelSource.Find<IVariableDeclaratorOperation>(root, "y = (Unknown)x").Initializer!.Value;

        Assert.Same(root, OperationTree.Root(cast));
        Assert.Null(OperationTree.EnclosingNestedFunction(cast));
        Assert.Equal("y", OperationTree.StoringLocal(cast)?.Name);
        Assert.Equal("x", OperationTree.ReferencedSymbol(OperationTree.Unwrap(cast))?.Name);
    }
}
