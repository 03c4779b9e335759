using Zakaz.Storage.RowBinary;

namespace Zakaz.Storage;

/// <summary>
/// How a CLR row becomes a ClickHouse row: columns, their types and where each value comes from.
/// Built once per table and reused; writing a row allocates nothing for numbers and dates.
/// </summary>
public sealed class RowSchema<T>
{
    private readonly List<ColumnBinding> _columns = [];

    public IReadOnlyList<QueryColumn> Columns => _columns.Select(c => c.Column).ToArray();

    public RowSchema<T> Column<TValue>(string name, string type, Func<T, TValue> value)
    {
        var parsed = ClickHouseType.Parse(type);
        _columns.Add(new ColumnBinding<TValue>(new QueryColumn(name, parsed), value, ValueEncoders.Create<TValue>(parsed, name)));
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

    private abstract class ColumnBinding(QueryColumn column)
    {
        public QueryColumn Column { get; } = column;

        public abstract void Write(RowBinaryWriter writer, T row);
    }

    private sealed class ColumnBinding<TValue>(QueryColumn column, Func<T, TValue> value, Action<RowBinaryWriter, TValue> encode)
        : ColumnBinding(column)
    {
        public override void Write(RowBinaryWriter writer, T row) => encode(writer, value(row));
    }
}
