using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ThreadingAnalyzers.Concurrency;

namespace ThreadingAnalyzers.CodeFixes;

/// <summary>The private readonly lock objects ("gates") that the lock fixes add to a type.</summary>
internal static class LockGates
{
    /// <summary>
    /// A new gate field named <paramref name="baseName"/> (or baseName2, 3, ...) that no member of the type, no name in
    /// <paramref name="isTaken"/> and not the type itself uses: a <c>System.Threading.Lock</c> when
    /// <paramref name="useLockType"/> and the compilation and language version have it, else an <c>object</c>.
    /// </summary>
    public static (string Name, SyntaxNode Field) New(
        TypeDeclarationSyntax type, INamedTypeSymbol typeSymbol, bool isStatic, string baseName, Func<string, bool> isTaken, bool useLockType, SemanticModel model)
    {
        var name = Enumerable.Range(1, 100)
            .Select(i => i == 1 ? baseName : baseName + i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .First(n => !typeSymbol.MemberNames.Contains(n) && !isTaken(n) && type.Identifier.ValueText != n);

        // C# 13 locks a Lock with Lock.EnterScope; a compiler that does not know C# 13 still locks it as an object.
        var languageVersion = ((CSharpParseOptions)type.SyntaxTree.Options).LanguageVersion;
        useLockType = useLockType
            && ThreadingTypes.From(model.Compilation).Resolve("System.Threading.Lock") is not null
            && ((int)languageVersion >= 1300 || languageVersion == LanguageVersion.Latest.MapSpecifiedToEffectiveVersion());
        TypeSyntax fieldType = useLockType
            ? SyntaxFactory.ParseTypeName("System.Threading.Lock").WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation)
            : SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.ObjectKeyword));
        ExpressionSyntax initializer = useLockType
            ? SyntaxFactory.ImplicitObjectCreationExpression()
            : SyntaxFactory.ObjectCreationExpression(SyntaxFactory.PredefinedType(SyntaxFactory.Token(SyntaxKind.ObjectKeyword)), SyntaxFactory.ArgumentList(), null);
        var modifiers = isStatic
            ? SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.StaticKeyword), SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword))
            : SyntaxFactory.TokenList(SyntaxFactory.Token(SyntaxKind.PrivateKeyword), SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword));
        var field = SyntaxFactory.FieldDeclaration(
                SyntaxFactory.VariableDeclaration(fieldType)
                    .AddVariables(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(initializer))))
            .WithModifiers(modifiers)
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (name, field);
    }

    /// <summary>Whether <paramref name="node"/> is in a static member (lambdas and local functions belong to their member): its gate is static.</summary>
    public static bool IsInStaticMember(SyntaxNode node, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        for (var symbol = model.GetEnclosingSymbol(node.SpanStart, cancellationToken); symbol is not null; symbol = symbol.ContainingSymbol)
        {
            if (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
            {
                continue;
            }

            return symbol.IsStatic;
        }

        return false;
    }

    /// <summary>New gates go after the type's last field, in the order they were made, or first in the type.</summary>
    public static void Insert(DocumentEditor editor, TypeDeclarationSyntax type, List<SyntaxNode> fields)
    {
        var lastField = type.Members.OfType<FieldDeclarationSyntax>().LastOrDefault();
        if (lastField is not null)
        {
            editor.InsertAfter(lastField, fields);
        }
        else if (type.Members.Count > 0)
        {
            editor.InsertBefore(type.Members[0], fields);
        }
        else
        {
            foreach (var field in fields)
            {
                editor.AddMember(type, field);
            }
        }
    }
}
