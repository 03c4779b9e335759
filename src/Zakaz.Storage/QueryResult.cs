namespace Zakaz.Storage;

public sealed record QueryColumn(string Name, ClickHouseType Type);

/// <summary>
/// The rows of a query, copied out of the engine, each value already the CLR type of its column:
/// integers as their exact width, Decimal as <see cref="decimal"/>, Date as <see cref="DateOnly"/>,
/// DateTime with a zone as <see cref="DateTimeOffset"/> in that zone, NULL as null.
/// </summary>
public sealed class QueryResult(IReadOnlyList<QueryColumn> columns, IReadOnlyList<object?[]> rows)
{
    // A repeated column name reads the first column of that name.
    private readonly Dictionary<string, int> _ordinals = columns.Select((c, i) => (c.Name, i)).DistinctBy(c => c.Name).ToDictionary(StringComparer.Ordinal);

    public IReadOnlyList<QueryColumn> Columns { get; } = columns;

    public IReadOnlyList<object?[]> Rows { get; } = rows;

    public int Ordinal(string column) =>
        _ordinals.TryGetValue(column, out var i) ? i : throw new KeyNotFoundException($"The result has no column '{column}'.");

    public T Get<T>(int row, string column) => Get<T>(row, Ordinal(column));

    public T Get<T>(int row, int ordinal) => Convert<T>(Rows[row][ordinal]);

    public T Scalar<T>() => Rows.Count == 0
        ? throw new InvalidOperationException("The query returned no rows.")
        : Get<T>(0, 0);

    private static T Convert<T>(object? value) => value switch
    {
        T typed => typed,
        null => default(T) is null ? default! : throw new InvalidCastException($"NULL cannot be read as {typeof(T).Name}."),
        _ => (T)System.Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture),
    };
}
