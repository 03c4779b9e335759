namespace Zakaz.Sources.Qtickets;

public sealed class QticketsOptions
{
    /// <summary>API token (<c>QTICKETS_TOKEN</c>); a secret.</summary>
    public string? Token { get; set; }

    public Uri BaseUrl { get; set; } = new("https://qtickets.ru/api/rest/v1");

    /// <summary>How many days of history the first sync loads when the store is empty.</summary>
    public int InitialBackfillDays { get; set; } = 30;

    /// <summary>How far before the last successful sync's start an incremental sync looks again, in hours.</summary>
    public int LookbackHours { get; set; } = 72;

    /// <summary>
    /// How many days after an event's last show a reconcile still re-reads its orders (late refunds and
    /// cancellations); events with future shows always are.
    /// </summary>
    public int ReconcileDays { get; set; } = 45;

    /// <summary>The HMAC key of stored buyer keys (<c>ZAKAZ_BUYER_KEY_SECRET</c>); a secret. Unset: one per store, kept in the store.</summary>
    public string? BuyerKeySecret { get; set; }

    /// <summary>The key Qtickets signs webhooks with (<c>QTICKETS_WEBHOOK_SECRET</c>); a secret. Unset: webhooks are refused.</summary>
    public string? WebhookSecret { get; set; }
}
