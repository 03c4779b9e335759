using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.VkAds;

/// <summary>A row of <c>zakaz.stg_vk_ads_daily</c>: one banner's day, with its UTM values and the city and event mapping gave it.</summary>
public sealed record VkAdsDayRow(
    DateOnly StatDate, ulong AccountId, ulong AdPlanId, ulong AdGroupId, ulong BannerId, ulong Impressions, ulong Clicks, decimal Spend, ulong Goals,
    UtmValues Utm, string City, ulong EventId, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.dim_vk_ads_objects</c>: a campaign (ad_plan), ad group or banner.</summary>
public sealed record VkAdsObjectRow(
    string ObjectType, ulong ObjectId, ulong AccountId, string Name, string Status, ulong AdPlanId, ulong AdGroupId, string TargetUrl,
    UtmValues Utm, ulong Version, DateTimeOffset LoadedAt);

/// <summary>The VK Ads tables of migration 0005 and how the rows fill them, column for column.</summary>
public static class VkAdsTables
{
    public const string Daily = "zakaz.stg_vk_ads_daily";
    public const string Objects = "zakaz.dim_vk_ads_objects";

    public static RowSchema<VkAdsDayRow> DailySchema { get; } = new RowSchema<VkAdsDayRow>()
        .Column("stat_date", "Date", r => r.StatDate)
        .Column("account_id", "UInt64", r => r.AccountId)
        .Column("ad_plan_id", "UInt64", r => r.AdPlanId)
        .Column("ad_group_id", "UInt64", r => r.AdGroupId)
        .Column("banner_id", "UInt64", r => r.BannerId)
        .Column("impressions", "UInt64", r => r.Impressions)
        .Column("clicks", "UInt64", r => r.Clicks)
        .Column("spend", "Decimal(18, 2)", r => r.Spend)
        .Column("goals", "UInt64", r => r.Goals)
        .Utm(r => r.Utm)
        .Column("city", "LowCardinality(String)", r => r.City)
        .Column("event_id", "UInt64", r => r.EventId)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<VkAdsObjectRow> ObjectSchema { get; } = new RowSchema<VkAdsObjectRow>()
        .Column("object_type", "LowCardinality(String)", r => r.ObjectType)
        .Column("object_id", "UInt64", r => r.ObjectId)
        .Column("account_id", "UInt64", r => r.AccountId)
        .Column("name", "String", r => r.Name)
        .Column("status", "LowCardinality(String)", r => r.Status)
        .Column("ad_plan_id", "UInt64", r => r.AdPlanId)
        .Column("ad_group_id", "UInt64", r => r.AdGroupId)
        .Column("target_url", "String", r => r.TargetUrl)
        .Utm(r => r.Utm)
        .Versioned(r => r.Version, r => r.LoadedAt);
}
