namespace Zakaz.Sandbox.Qtickets;

/// <summary>A request the real API would reject; it answers those with 503 <c>UNKNOWN_ERROR</c>.</summary>
internal sealed class MalformedRequestException(string message) : Exception(message);

/// <summary>
/// The JSON body of a list call: <c>{"where":[{column, operator?, value?}], "orderBy":{column:"asc"|"desc"},
/// "page":2}</c>. Only <c>/orders</c> applies <c>where</c> and <c>orderBy</c>, best-effort: the spec marks them
/// unverified, so an unknown column or operator is the 503 a database error would give.
/// </summary>
/// <param name="Page">From 1; a missing, non-numeric or smaller page is page 1.</param>
/// <param name="SortKey">The column to sort by when it is not the id order (ties by id); null sorts by id.</param>
internal sealed record ListQuery(int Page, bool Descending, IReadOnlyList<Func<TicketOffice, OrderRow, bool>> Conditions,
    Func<OrderRow, long>? SortKey = null)
{
    private static readonly string[] TimeFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd"];

    /// <summary>Reads the body; <paramref name="filters"/> false reads only the page (routes that ignore the rest).</summary>
    public static ListQuery Parse(JsonElement? body, bool filters)
    {
        if (body is not { ValueKind: JsonValueKind.Object } request)
        {
            return new ListQuery(1, false, []);
        }
        int page = 1;
        if (request.TryGetProperty("page", out JsonElement pageValue))
        {
            page = pageValue.ValueKind switch
            {
                JsonValueKind.Number when pageValue.TryGetInt32(out int number) => number,
                JsonValueKind.String when int.TryParse(pageValue.GetString(), CultureInfo.InvariantCulture, out int number) => number,
                _ => 1,
            };
        }
        if (!filters)
        {
            return new ListQuery(Math.Max(1, page), false, []);
        }
        bool descending = false;
        Func<OrderRow, long>? sortKey = null;
        if (request.TryGetProperty("orderBy", out JsonElement orderBy))
        {
            if (orderBy.ValueKind != JsonValueKind.Object)
            {
                throw new MalformedRequestException("orderBy must be an object.");
            }
            foreach (JsonProperty sort in orderBy.EnumerateObject())
            {
                // Ids ascend with creation time, so both columns sort alike; updated_at, which moves with every change, sorts on its own.
                sortKey = sort.Name switch
                {
                    "id" or "created_at" => null,
                    "updated_at" => o => o.UpdatedAt,
                    _ => throw new MalformedRequestException($"Cannot sort by '{sort.Name}'."),
                };
                descending = sort.Value.ValueKind == JsonValueKind.String &&
                    string.Equals(sort.Value.GetString(), "desc", StringComparison.OrdinalIgnoreCase);
            }
        }
        var conditions = new List<Func<TicketOffice, OrderRow, bool>>();
        if (request.TryGetProperty("where", out JsonElement where))
        {
            if (where.ValueKind != JsonValueKind.Array)
            {
                throw new MalformedRequestException("where must be an array.");
            }
            conditions.AddRange(where.EnumerateArray().Select(Condition));
        }
        return new ListQuery(Math.Max(1, page), descending, conditions, sortKey);
    }

    private static Func<TicketOffice, OrderRow, bool> Condition(JsonElement condition)
    {
        if (condition.ValueKind != JsonValueKind.Object || !condition.TryGetProperty("column", out JsonElement columnValue) ||
            columnValue.ValueKind != JsonValueKind.String)
        {
            throw new MalformedRequestException("A where item needs a column.");
        }
        string column = columnValue.GetString()!;
        bool timestamp = column is "payed_at" or "created_at" or "updated_at" or "deleted_at";
        Func<TicketOffice, OrderRow, long?> read = column switch
        {
            "id" => (_, o) => o.Id,
            "event_id" => (office, o) => office.Events[o.EventIndex].Id,
            "client_id" => (_, o) => o.ClientId,
            "payed" => (_, o) => o.Payed ? 1 : 0,
            "payed_at" => (_, o) => NullIfZero(o.PayedAt),
            "created_at" => (_, o) => o.CreatedAt,
            "updated_at" => (_, o) => o.UpdatedAt,
            "deleted_at" => (_, o) => NullIfZero(o.DeletedAt),
            _ => throw new MalformedRequestException($"Unknown column '{column}'."),
        };
        string op = condition.TryGetProperty("operator", out JsonElement opValue) && opValue.ValueKind == JsonValueKind.String
            ? opValue.GetString()!.Trim().ToLowerInvariant()
            : "=";
        if (op is "null" or "is null")
        {
            return (office, o) => read(office, o) is null;
        }
        if (op is "not null" or "is not null")
        {
            return (office, o) => read(office, o) is not null;
        }
        if (!condition.TryGetProperty("value", out JsonElement value))
        {
            throw new MalformedRequestException($"Operator '{op}' on '{column}' needs a value.");
        }
        if (op is "in" or "not in" or "in array" or "not in array")
        {
            if (value.ValueKind != JsonValueKind.Array)
            {
                throw new MalformedRequestException($"Operator '{op}' needs an array.");
            }
            HashSet<long> set = [.. value.EnumerateArray().Select(v => Value(v, timestamp))];
            bool negate = op.StartsWith("not", StringComparison.Ordinal);
            // SQL semantics: a NULL column matches neither IN nor NOT IN.
            return (office, o) => read(office, o) is { } x && set.Contains(x) != negate;
        }
        long operand = Value(value, timestamp);
        Func<long, bool> test = op switch
        {
            "=" or "==" => x => x == operand,
            "!=" or "<>" => x => x != operand,
            "<" => x => x < operand,
            ">" => x => x > operand,
            "<=" => x => x <= operand,
            ">=" => x => x >= operand,
            _ => throw new MalformedRequestException($"Unknown operator '{op}'."),
        };
        return (office, o) => read(office, o) is { } x && test(x);
    }

    private static long? NullIfZero(long time) => time == 0 ? null : time;

    /// <summary>A number, a boolean, a numeric string, or for time columns a timestamp (Moscow time without an offset).</summary>
    private static long Value(JsonElement value, bool timestamp)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            case JsonValueKind.Number when value.TryGetInt64(out long number):
                return number;
            case JsonValueKind.String when timestamp:
                string text = value.GetString()!;
                bool hasOffset = text.Length > 19 && (text[^1] == 'Z' || text[^6] is '+' or '-');
                if (hasOffset && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None,
                    out DateTimeOffset withOffset))
                {
                    return withOffset.ToUnixTimeSeconds();
                }
                if (DateTime.TryParseExact(text, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
                {
                    return new DateTimeOffset(local, TimeSpan.FromHours(3)).ToUnixTimeSeconds();
                }
                break;
            case JsonValueKind.String when long.TryParse(value.GetString(), CultureInfo.InvariantCulture, out long number):
                return number;
        }
        throw new MalformedRequestException($"Cannot compare with {value.GetRawText()}.");
    }
}
