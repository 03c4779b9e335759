using Zakaz.Pipeline.Qtickets;

namespace Zakaz.Web.Qtickets;

public sealed class QticketsWebhookOptions
{
    /// <summary>The key of the <c>X-Signature</c> HMAC (<c>QTICKETS_WEBHOOK_SECRET</c>); without it every hook is refused with 503.</summary>
    public string? Secret { get; init; }

    public required IQticketsOrderIngest Ingest { get; init; }

    /// <summary>Bodies above this are refused unread: an order with hundreds of tickets is far smaller.</summary>
    public int MaxBodyBytes { get; init; } = 2 * 1024 * 1024;
}
