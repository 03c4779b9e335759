namespace Zakaz.Sources.YandexDirect;

/// <summary>A campaign of any state; <see cref="TrackingParams"/> is its URL parameters from the type-specific settings ("" when none).</summary>
public sealed record DirectCampaign(long Id, string Name, string State, string Status, string Type, string TrackingParams);

/// <summary>An ad group; <see cref="TrackingParams"/> is appended to its ads' links ("" when none).</summary>
public sealed record DirectAdGroup(long Id, long CampaignId, string Name, string TrackingParams);

/// <summary>An ad of any state; <see cref="Href"/> is its link from whichever type-specific structure it has ("" when none).</summary>
public sealed record DirectAd(long Id, long AdGroupId, long CampaignId, string State, string Status, string Type, string Href, string Title);

/// <summary>One ad's figures for one day; <see cref="Cost"/> in the account's currency, with VAT when asked for.</summary>
public sealed record DirectAdDay(DateOnly Date, long CampaignId, string CampaignName, long AdGroupId, string AdGroupName, long AdId,
    long Impressions, long Clicks, decimal Cost);

/// <summary>Every row Direct has for <see cref="From"/>…<see cref="To"/>: a day or ad without a row had no figures.</summary>
public sealed record DirectAdDays(DateOnly From, DateOnly To, IReadOnlyList<DirectAdDay> Rows);
