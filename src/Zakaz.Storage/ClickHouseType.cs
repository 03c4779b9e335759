namespace Zakaz.Storage;

public enum ClickHouseTypeKind
{
    UInt8, UInt16, UInt32, UInt64, Int8, Int16, Int32, Int64,
    Float32, Float64, Bool, String, FixedString, Decimal, Date, Date32, DateTime, DateTime64, Uuid,
    Nullable, LowCardinality, Array, Nothing,
}

/// <summary>A parsed ClickHouse type name such as <c>Nullable(Decimal(18, 2))</c> or <c>DateTime('Europe/Moscow')</c>.</summary>
public sealed record ClickHouseType
{
    private ClickHouseType(ClickHouseTypeKind kind, string name) => (Kind, Name) = (kind, name);

    public ClickHouseTypeKind Kind { get; }

    public string Name { get; }

    public ClickHouseType? Inner { get; private init; }

    /// <summary>Decimal precision and scale; DateTime64 precision is in <see cref="Scale"/>; FixedString length is in <see cref="Precision"/>.</summary>
    public int Precision { get; private init; }

    public int Scale { get; private init; }

    public string? TimeZone { get; private init; }

    /// <summary>The type with LowCardinality peeled off (it changes storage, not values).</summary>
    public ClickHouseType Value => Kind == ClickHouseTypeKind.LowCardinality ? Inner!.Value : this;

    public bool IsNullable => Value.Kind == ClickHouseTypeKind.Nullable;

    public override string ToString() => Name;

    public static ClickHouseType Parse(string name)
    {
        var trimmed = name.Trim();
        var open = trimmed.IndexOf('(', StringComparison.Ordinal);
        var head = open < 0 ? trimmed : trimmed[..open];
        var args = open < 0 ? [] : SplitArguments(trimmed[(open + 1)..^1]);
        return head switch
        {
            "UInt8" or "UInt16" or "UInt32" or "UInt64" or "Int8" or "Int16" or "Int32" or "Int64" or "Float32" or "Float64"
                or "String" or "Date" or "Date32" or "Nothing" => new(Enum.Parse<ClickHouseTypeKind>(head), trimmed),
            "Bool" or "Boolean" => new(ClickHouseTypeKind.Bool, trimmed),
            "FixedString" => new(ClickHouseTypeKind.FixedString, trimmed) { Precision = Int(args[0]) },
            "UUID" => new(ClickHouseTypeKind.Uuid, trimmed),
            "DateTime" => new(ClickHouseTypeKind.DateTime, trimmed) { TimeZone = args.Length > 0 ? Unquote(args[0]) : null },
            "DateTime64" => new(ClickHouseTypeKind.DateTime64, trimmed) { Scale = Int(args[0]), TimeZone = args.Length > 1 ? Unquote(args[1]) : null },
            "Decimal" => new(ClickHouseTypeKind.Decimal, trimmed) { Precision = Int(args[0]), Scale = Int(args[1]) },
            "Decimal32" => new(ClickHouseTypeKind.Decimal, trimmed) { Precision = 9, Scale = Int(args[0]) },
            "Decimal64" => new(ClickHouseTypeKind.Decimal, trimmed) { Precision = 18, Scale = Int(args[0]) },
            "Decimal128" => new(ClickHouseTypeKind.Decimal, trimmed) { Precision = 38, Scale = Int(args[0]) },
            "Nullable" => new(ClickHouseTypeKind.Nullable, trimmed) { Inner = Parse(args[0]) },
            "LowCardinality" => new(ClickHouseTypeKind.LowCardinality, trimmed) { Inner = Parse(args[0]) },
            "Array" => new(ClickHouseTypeKind.Array, trimmed) { Inner = Parse(args[0]) },
            _ => throw new NotSupportedException($"ClickHouse type '{trimmed}' is not supported by Zakaz's storage layer."),
        };
    }

    private static int Int(string s) => int.Parse(s.Trim(), CultureInfo.InvariantCulture);

    private static string Unquote(string s)
    {
        var t = s.Trim();
        return t.Length >= 2 && t[0] == '\'' ? t[1..^1].Replace("\\'", "'", StringComparison.Ordinal) : t;
    }

    private static string[] SplitArguments(string s)
    {
        var result = new List<string>();
        int depth = 0, start = 0;
        var quoted = false;
        for (var i = 0; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '\\' when quoted: i++; break;
                case '\'': quoted = !quoted; break;
                case '(' when !quoted: depth++; break;
                case ')' when !quoted: depth--; break;
                case ',' when depth == 0 && !quoted:
                    result.Add(s[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }
        result.Add(s[start..].Trim());
        return [.. result];
    }
}
