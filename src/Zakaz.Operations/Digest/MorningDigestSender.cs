using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zakaz.Notifications;
using Zakaz.Pipeline.Runs;
using Zakaz.Storage;

namespace Zakaz.Operations.Digest;

/// <summary>What became of the digest of <see cref="Date"/> on each channel it went to.</summary>
public sealed record DigestDelivery(DateOnly Date, IReadOnlyList<ChannelDelivery> Channels)
{
    public bool AllDelivered => Channels.All(c => c.Delivered);
}

/// <summary>One channel's outcome: delivered, or the error it gave (the channel's own one-line message).</summary>
public sealed record ChannelDelivery(string Channel, string? Error)
{
    public bool Delivered => Error is null;
}

/// <summary>The digest of a date could not reach every channel: the others got it, the run is recorded as an error.</summary>
public sealed class DigestDeliveryException(DigestDelivery delivery) : Exception(FailureMessage(delivery))
{
    public DigestDelivery Delivery { get; } = delivery;

    internal static string FailureMessage(DigestDelivery delivery) =>
        $"The digest of {delivery.Date:yyyy-MM-dd} was not delivered by " +
        string.Join("; ", delivery.Channels.Where(c => !c.Delivered).Select(c => $"{c.Channel} ({c.Error})")) +
        "; check that channel's ZAKAZ_ALERTS_* settings and that its server is reachable";
}

/// <summary>
/// Sends the morning digest to every channel at once, each channel on its own (one failing never stops another), and
/// records each sending as a run of <see cref="Job"/> in zakaz.meta_job_runs with the date and the channels that got
/// it in its metrics: ok when every channel delivered, else error naming the ones that failed. Those records are what
/// keep <see cref="SendDueAsync"/> from sending a date twice to a channel, across restarts.
/// </summary>
public sealed class MorningDigestSender(
    IClickHouseStore store, IReadOnlyList<INotificationChannel> channels, Uri? dashboardUrl = null, TimeProvider? time = null,
    ILogger<MorningDigestSender>? logger = null)
{
    public const string Job = "digest.send";

    private readonly ILogger _log = logger ?? NullLogger<MorningDigestSender>.Instance;
    private readonly MorningDigestQuery _query = new(store, time);
    private readonly JobRunLog _runs = new(store, time);

    /// <summary>Yesterday in Moscow, the date the scheduled digest is about.</summary>
    public DateOnly Yesterday => _query.Yesterday;

    /// <summary>The digest of <paramref name="date"/> as figures and as the message.</summary>
    public async Task<(MorningDigest Figures, Notification Message)> BuildAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var figures = await _query.ReadAsync(date, cancellationToken);
        return (figures, MorningDigestText.Render(figures, dashboardUrl));
    }

    /// <summary>Sends the digest of <paramref name="date"/> to every channel now, whether or not it went before (<c>zakaz digest send</c>).</summary>
    public Task<DigestDelivery> SendAsync(DateOnly date, CancellationToken cancellationToken = default) =>
        SendToAsync(date, channels, cancellationToken);

    /// <summary>
    /// The scheduled digest: yesterday's, to the channels that have not had that date's digest yet; nothing when every
    /// channel has. Throws <see cref="DigestDeliveryException"/> when a channel failed, so the scheduler retries it (and
    /// only it) later.
    /// </summary>
    public async Task<DigestDelivery> SendDueAsync(CancellationToken cancellationToken = default)
    {
        var date = Yesterday;
        var delivered = await DeliveredAsync(date, cancellationToken);
        var pending = channels.Where(c => !delivered.Contains(c.Name)).ToArray();
        if (pending.Length == 0)
        {
            _log.LogInformation("The digest of {Date} went to every channel already; nothing to send", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return new DigestDelivery(date, []);
        }
        var delivery = await SendToAsync(date, pending, cancellationToken);
        return delivery.AllDelivered ? delivery : throw new DigestDeliveryException(delivery);
    }

    /// <summary>The channels that got the digest of <paramref name="date"/> in any recorded run, ok or not.</summary>
    public async Task<IReadOnlySet<string>> DeliveredAsync(DateOnly date, CancellationToken cancellationToken = default)
    {
        var rows = await store.QueryAsync("""
            SELECT DISTINCT arrayJoin(JSONExtract(metrics, 'delivered', 'Array(String)')) AS channel
            FROM zakaz.meta_job_runs FINAL
            WHERE job = {job:String} AND status != {running:String} AND JSONExtractString(metrics, 'date') = {date:String}
            """, new QueryParameters().Add("job", Job).Add("running", JobStatus.Running).Add("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            cancellationToken: cancellationToken);
        return rows.Rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<DigestDelivery> SendToAsync(DateOnly date, IReadOnlyList<INotificationChannel> targets, CancellationToken cancellationToken)
    {
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var run = await _runs.StartAsync(Job, cancellationToken);
        DigestDelivery delivery;
        try
        {
            var (_, message) = await BuildAsync(date, cancellationToken);
            var outcomes = await Task.WhenAll(targets.Select(channel => DeliverAsync(channel, message, day, cancellationToken)));
            delivery = new DigestDelivery(date, outcomes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await run.FailAsync($"The digest of {day} was not sent: {e.Message}".ReplaceLineEndings(" "),
                metrics: new { date = day, delivered = Array.Empty<string>() }, cancellationToken: CancellationToken.None);
            throw;
        }
        var metrics = new
        {
            date = day,
            delivered = delivery.Channels.Where(c => c.Delivered).Select(c => c.Channel).ToArray(),
            failed = delivery.Channels.Where(c => !c.Delivered).ToDictionary(c => c.Channel, c => c.Error),
        };
        var sent = delivery.Channels.Count(c => c.Delivered);
        if (delivery.AllDelivered)
        {
            await run.CompleteAsync(sent, metrics, CancellationToken.None);
        }
        else
        {
            await run.FailAsync(DigestDeliveryException.FailureMessage(delivery).ReplaceLineEndings(" "), sent, metrics, CancellationToken.None);
        }
        return delivery;
    }

    private async Task<ChannelDelivery> DeliverAsync(INotificationChannel channel, Notification message, string day, CancellationToken cancellationToken)
    {
        try
        {
            await channel.SendAsync(message, cancellationToken);
            _log.LogInformation("Digest of {Date} delivered by {Channel}", day, channel.Name);
            return new ChannelDelivery(channel.Name, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            _log.LogWarning("Digest of {Date} not delivered by {Channel}: {Error}", day, channel.Name, e.Message);
            return new ChannelDelivery(channel.Name, e.Message.ReplaceLineEndings(" "));
        }
    }
}
