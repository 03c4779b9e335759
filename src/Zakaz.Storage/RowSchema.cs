using Zakaz.Storage.RowBinary;

namespace Zakaz.Storage;

/// <summary>
/// How a CLR row becomes a ClickHouse row: columns, their types and where each value comes from.
/// Built once per table and reused; writing a row allocates nothing for numbers and dates.
/// </summary>
public sealed class RowSchema<T>
{
    private readonly List<(QueryColumn Column, Action<RowBinaryWriter, T> Write)> _columns = [];

    public IReadOnlyList<QueryColumn> Columns => _columns.Select(c => c.Column).ToArray();

    public RowSchema<T> Column<TValue>(string name, string type, Func<T, TValue> value)
    {
        var parsed = ClickHouseType.Parse(type);
        var encode = ValueEncoders.Create<TValue>(parsed, name);
        _columns.Add((new QueryColumn(name, parsed), (writer, row) => encode(writer, value(row))));
        return this;
    }

    internal string ColumnList => string.Join(", ", _columns.Select(c => StoreIdentifiers.Quote(c.Column.Name)));

    public void Write(RowBinaryWriter writer, T row)
    {
        foreach (var column in _columns)
        {
            column.Write(writer, row);
        }
    }
}
