using Zakaz.Storage;

namespace Zakaz.Pipeline.Cities;

/// <summary>
/// The city aliases of <c>zakaz.dim_city_alias</c> (msk, спб, Екб...) in memory: a name given by a
/// source or a spreadsheet becomes the canonical lower-case city the facts use.
/// </summary>
public sealed class CityAliases
{
    private readonly Dictionary<string, string> _cities;

    private CityAliases(Dictionary<string, string> cities) => _cities = cities;

    public static async Task<CityAliases> LoadAsync(IClickHouseStore store, CancellationToken cancellationToken = default)
    {
        var result = await store.QueryAsync("SELECT lowerUTF8(trimBoth(alias)) AS alias, city FROM zakaz.dim_city_alias FINAL",
            cancellationToken: cancellationToken);
        var cities = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < result.Rows.Count; i++)
        {
            cities.TryAdd(result.Get<string>(i, 0), result.Get<string>(i, 1));
        }
        return new CityAliases(cities);
    }

    /// <summary>The canonical city <paramref name="name"/> stands for, or null when no alias knows it (ad mapping then tries the next convention).</summary>
    public string? Find(string name) => _cities.GetValueOrDefault(name.Trim().ToLowerInvariant());

    /// <summary>The canonical city of <paramref name="name"/>; a city no alias knows keeps its trimmed lower-case name.</summary>
    public string Resolve(string name) => Find(name) ?? name.Trim().ToLowerInvariant();
}
