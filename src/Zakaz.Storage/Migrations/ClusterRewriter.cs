namespace Zakaz.Storage.Migrations;

/// <summary>
/// A single-server statement's cluster form: DDL gets <c>ON CLUSTER</c>, MergeTree engines their Replicated
/// variants. Migration files stay single-server SQL and work unchanged on chDB.
/// </summary>
public sealed class ClusterRewriter
{
    /// <summary>The ZooKeeper path and replica name from each server's macros, the usual one-table-one-path layout.</summary>
    private const string ReplicationArguments = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

    private static readonly HashSet<string> ReplicableEngines = new(StringComparer.Ordinal)
    {
        "MergeTree", "ReplacingMergeTree", "SummingMergeTree", "AggregatingMergeTree", "CollapsingMergeTree", "VersionedCollapsingMergeTree",
    };

    private readonly string _onCluster;

    public ClusterRewriter(string cluster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        var isIdentifier = (char.IsAsciiLetter(cluster[0]) || cluster[0] == '_') && cluster.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        // Names such as "prod-1" are not identifiers; the engine also accepts the name as a string literal.
        _onCluster = "ON CLUSTER " + (isIdentifier ? cluster : SqlText.QuoteString(cluster));
    }

    public string Rewrite(string statement)
    {
        var tokens = SqlTokenizer.Tokenize(statement);
        var edits = new List<(int Start, int End, string Text)>();
        if (OnClusterPosition(statement, tokens) is { } position)
        {
            var separator = position < statement.Length && !char.IsWhiteSpace(statement[position]) ? " " : "";
            edits.Add((position, position, " " + _onCluster + separator));
        }
        edits.AddRange(EngineEdits(statement, tokens));

        var sb = new StringBuilder(statement);
        foreach (var (start, end, text) in edits.OrderByDescending(e => e.Start))
        {
            sb.Remove(start, end - start).Insert(start, text);
        }
        return sb.ToString();
    }

    /// <summary>Where <c>ON CLUSTER</c> goes: after the object name(s), or right after GRANT/REVOKE; null when the statement takes none.</summary>
    private static int? OnClusterPosition(string sql, List<SqlToken> tokens)
    {
        var reader = new SqlTokenReader(sql, tokens);
        if (reader.Accept("GRANT") || reader.Accept("REVOKE"))
        {
            return reader.AlreadyOnCluster() ? null : tokens[0].End;
        }
        var listOfNames = false;
        if (reader.Accept("CREATE"))
        {
            _ = reader.Accept("OR", "REPLACE");
            if (reader.Accept("ROLE") || reader.Accept("USER"))
            {
                listOfNames = true;
            }
            else if (!(reader.Accept("DATABASE") || reader.Accept("TABLE") || reader.Accept("VIEW") || reader.Accept("MATERIALIZED", "VIEW") || reader.Accept("DICTIONARY")))
            {
                return null;
            }
            // Roles and users put OR REPLACE after the kind of object.
            _ = reader.Accept("IF", "NOT", "EXISTS") || reader.Accept("OR", "REPLACE");
        }
        else if (reader.Accept("ALTER", "TABLE") || reader.Accept("DROP", "TABLE") || reader.Accept("DROP", "VIEW")
            || reader.Accept("DROP", "DICTIONARY") || reader.Accept("DROP", "DATABASE"))
        {
            _ = reader.Accept("IF", "EXISTS");
        }
        else
        {
            return null;
        }

        if (!reader.AcceptQualifiedName())
        {
            return null;
        }
        while (listOfNames && reader.AcceptSymbol(','))
        {
            if (!reader.AcceptQualifiedName())
            {
                return null;
            }
        }
        return reader.AlreadyOnCluster() ? null : reader.PreviousEnd;
    }

    private static IEnumerable<(int Start, int End, string Text)> EngineEdits(string sql, List<SqlToken> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (!tokens[i].IsWord(sql, "ENGINE"))
            {
                continue;
            }
            var e = i + 1 < tokens.Count && tokens[i + 1].IsSymbol(sql, '=') ? i + 2 : i + 1;
            if (e >= tokens.Count || tokens[e].Kind != SqlTokenKind.Word || !ReplicableEngines.Contains(sql[tokens[e].Start..tokens[e].End]))
            {
                continue;
            }
            var engine = sql[tokens[e].Start..tokens[e].End];
            var end = tokens[e].End;
            var arguments = "";
            if (e + 1 < tokens.Count && tokens[e + 1].IsSymbol(sql, '(') && SqlTokenizer.Closing(sql, tokens, e + 1) is var close && close < tokens.Count)
            {
                arguments = sql[tokens[e + 1].End..tokens[close].Start].Trim();
                end = tokens[close].End;
            }
            var replicated = $"Replicated{engine}({ReplicationArguments}{(arguments.Length == 0 ? "" : ", " + arguments)})";
            yield return (tokens[e].Start, end, replicated);
        }
    }
}
