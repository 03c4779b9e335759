using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.YandexDirect;

/// <summary>A row of <c>zakaz.stg_yandex_direct_daily</c>: one ad's day, with its UTM values and the city and event mapping gave it.</summary>
public sealed record YandexDirectDayRow(
    DateOnly StatDate, string ClientLogin, ulong CampaignId, ulong AdGroupId, ulong AdId, ulong Impressions, ulong Clicks, decimal Spend,
    UtmValues Utm, string City, ulong EventId, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.dim_yandex_direct_objects</c>: a campaign, ad group or ad.</summary>
public sealed record YandexDirectObjectRow(
    string ObjectType, ulong ObjectId, ulong CampaignId, ulong AdGroupId, string Name, string State, string Status, string Type, string Href,
    string TrackingParams, UtmValues Utm, ulong Version, DateTimeOffset LoadedAt);

/// <summary>The Yandex Direct tables of migration 0016 and how the rows fill them, column for column.</summary>
public static class YandexDirectTables
{
    public const string Daily = "zakaz.stg_yandex_direct_daily";
    public const string Objects = "zakaz.dim_yandex_direct_objects";

    public static RowSchema<YandexDirectDayRow> DailySchema { get; } = new RowSchema<YandexDirectDayRow>()
        .Column("stat_date", "Date", r => r.StatDate)
        .Column("client_login", "LowCardinality(String)", r => r.ClientLogin)
        .Column("campaign_id", "UInt64", r => r.CampaignId)
        .Column("ad_group_id", "UInt64", r => r.AdGroupId)
        .Column("ad_id", "UInt64", r => r.AdId)
        .Column("impressions", "UInt64", r => r.Impressions)
        .Column("clicks", "UInt64", r => r.Clicks)
        .Column("spend", "Decimal(18, 2)", r => r.Spend)
        .Utm(r => r.Utm)
        .Column("city", "LowCardinality(String)", r => r.City)
        .Column("event_id", "UInt64", r => r.EventId)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<YandexDirectObjectRow> ObjectSchema { get; } = new RowSchema<YandexDirectObjectRow>()
        .Column("object_type", "LowCardinality(String)", r => r.ObjectType)
        .Column("object_id", "UInt64", r => r.ObjectId)
        .Column("campaign_id", "UInt64", r => r.CampaignId)
        .Column("ad_group_id", "UInt64", r => r.AdGroupId)
        .Column("name", "String", r => r.Name)
        .Column("state", "LowCardinality(String)", r => r.State)
        .Column("status", "LowCardinality(String)", r => r.Status)
        .Column("type", "LowCardinality(String)", r => r.Type)
        .Column("href", "String", r => r.Href)
        .Column("tracking_params", "String", r => r.TrackingParams)
        .Utm(r => r.Utm)
        .Versioned(r => r.Version, r => r.LoadedAt);
}
