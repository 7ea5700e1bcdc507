using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ThreadingAnalyzers.Internals;


/// <summary>The statements of a block, or the top-level statements of a file, in order.</summary>
internal sealed class StatementList
{
    private StatementList(SyntaxNode container, IReadOnlyList<StatementSyntax> statements)
    {
        Container = container;
        Statements = statements;
    }

    /// <summary>The <see cref="BlockSyntax"/>, or the <see cref="CompilationUnitSyntax"/> of top-level statements.</summary>
    public SyntaxNode Container { get; }

    public IReadOnlyList<StatementSyntax> Statements { get; }

    /// <summary>The list that <paramref name="statement"/> belongs to; null for an embedded statement (the body of an if, a switch section).</summary>
    public static StatementList? Of(StatementSyntax statement) => statement.Parent switch
    {
        BlockSyntax block => new StatementList(block, block.Statements),
        GlobalStatementSyntax { Parent: CompilationUnitSyntax unit } =>
            new StatementList(unit, unit.Members.OfType<GlobalStatementSyntax>().Select(g => g.Statement).ToList()),
        _ => null,
    };

    /// <summary>The node to remove to remove <paramref name="statement"/>: the global statement around a top-level one.</summary>
    public static SyntaxNode RemovableNode(StatementSyntax statement) =>
        statement.Parent is GlobalStatementSyntax global ? global : statement;

    public bool Holds(StatementSyntax statement) => statement.Parent == Container || statement.Parent is GlobalStatementSyntax global && global.Parent == Container;

    public StatementSyntax? After(StatementSyntax statement)
    {
        for (var i = 0; i + 1 < Statements.Count; i++)
        {
            if (Statements[i] == statement)
            {
                return Statements[i + 1];
            }
        }

        return null;
    }
}
