namespace Zakaz.Storage;

/// <summary>Values for a statement's <c>{name:Type}</c> placeholders, sent beside the SQL, never inside it.</summary>
public sealed class QueryParameters
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);

    public object? this[string name] => _values[name];

    /// <summary>Adds or replaces a value; the type comes from the placeholder in the SQL.</summary>
    public QueryParameters Add(string name, object? value)
    {
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"Parameter name '{name}' must be letters, digits and underscores.", nameof(name));
        }
        _values[name] = value;
        return this;
    }

    public bool TryGetValue(string name, out object? value) => _values.TryGetValue(name, out value);

    /// <summary>Each value as the text the engine expects for its placeholder's type, or null for SQL NULL.</summary>
    internal IReadOnlyList<(string Name, string? Text)> Render(string sql) =>
        SqlPlaceholders.Find(sql).DistinctBy(p => p.Name).Select(p => _values.TryGetValue(p.Name, out var value)
            ? (p.Name, (string?)ParameterText.Format(value, ClickHouseType.Parse(p.Type)))
            : throw new ArgumentException($"The query uses parameter {{{p.Name}:{p.Type}}} but no value was given for '{p.Name}'."))
            .ToList();
}
