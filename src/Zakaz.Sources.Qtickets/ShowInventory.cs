using static Zakaz.Sources.Qtickets.QticketsJson;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// A show's places (spec §3.6): capacity = Σ <c>max_quantity</c>, left = Σ <c>free_quantity</c> over
/// seats that are not disabled. One admission record stands for many places, so records are never counted.
/// </summary>
public readonly record struct ShowInventory(long Capacity, long Left)
{
    public long Sold => Capacity - Left;

    /// <summary>
    /// Reads <c>/shows/{id}/seats</c> data in either shape: flat (an object keyed by seat id) or
    /// zones each holding a <c>seats</c> object. Null when no seat carries counts (the default
    /// shape without <c>select</c>), because unknown inventory is not zero.
    /// </summary>
    public static ShowInventory? FromSeats(JsonElement data)
    {
        long capacity = 0, left = 0;
        var counted = false;
        foreach (var entry in Values(data))
        {
            var seats = Property(entry, "seats") is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } zoneSeats
                ? Values(zoneSeats)
                : [entry];
            foreach (var seat in seats)
            {
                var max = OptionalId(seat, "max_quantity");
                var free = OptionalId(seat, "free_quantity");
                if (max is null && free is null)
                {
                    continue;
                }
                counted = true;
                if (!Bool(seat, "disabled"))
                {
                    capacity += max ?? 0;
                    left += free ?? 0;
                }
            }
        }
        return counted ? new ShowInventory(capacity, left) : null;
    }

    private static IEnumerable<JsonElement> Values(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Select(p => p.Value),
        JsonValueKind.Array => e.EnumerateArray(),
        _ => [],
    };
}
