using System.Buffers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Web.Qtickets;

/// <summary>
/// <c>POST /webhooks/qtickets</c> (spec §6): a signed order, stored before the answer. Only 200 counts
/// as delivered for Qtickets, which retries anything else 10 times, so 200 means committed, every
/// failure that a retry could cure is a 500, and an order that cannot be valid is a 4xx (400 not JSON,
/// 422 an impossible order). Bodies are never logged: they carry the buyer's details.
/// </summary>
public static class QticketsWebhookEndpoints
{
    public const string Path = "/webhooks/qtickets";

    private static readonly HashSet<string> EventTypes = new(StringComparer.Ordinal) { "created", "updated", "payed", "deleted", "refunded", "checked" };

    public static IEndpointConventionBuilder MapQticketsWebhooks(this IEndpointRouteBuilder endpoints, QticketsWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBodyBytes);
        var log = endpoints.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger(typeof(QticketsWebhookEndpoints).FullName!)
            ?? NullLogger.Instance;
        var secret = string.IsNullOrEmpty(options.Secret) ? null : Encoding.UTF8.GetBytes(options.Secret);
        return endpoints.MapPost(Path, context => ReceiveAsync(context, options, secret, log));
    }

    private static async Task ReceiveAsync(HttpContext context, QticketsWebhookOptions options, byte[]? secret, ILogger log)
    {
        var request = context.Request;
        if (secret is null)
        {
            log.LogError("Qtickets webhook refused: QTICKETS_WEBHOOK_SECRET is not set");
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable,
                "Qtickets webhooks are off: set QTICKETS_WEBHOOK_SECRET to the secret of the hook in the Qtickets back office.");
            return;
        }
        if (request.ContentLength > options.MaxBodyBytes || await ReadBodyAsync(request, options.MaxBodyBytes, context.RequestAborted) is not { } body)
        {
            await AnswerAsync(context, StatusCodes.Status413PayloadTooLarge, "Body too large.");
            return;
        }
        if (!SignatureMatches(secret, body, request.Headers["X-Signature"].ToString()))
        {
            log.LogWarning("Qtickets webhook refused: missing or wrong X-Signature ({Bytes} bytes from {Remote})",
                body.Length, context.Connection.RemoteIpAddress);
            await AnswerAsync(context, StatusCodes.Status401Unauthorized, "Missing or wrong X-Signature.");
            return;
        }

        var model = request.Headers["X-Model-Name"].ToString();
        var eventType = request.Headers["X-Event-Type"].ToString();
        if (model != "Order")
        {
            log.LogWarning("Qtickets webhook ignored: X-Model-Name '{Model}' is not Order", model);
            await AnswerAsync(context, StatusCodes.Status200OK, "Ignored: not an order.");
            return;
        }
        if (!EventTypes.Contains(eventType))
        {
            log.LogWarning("Qtickets webhook ignored: unknown X-Event-Type '{EventType}'", eventType);
            await AnswerAsync(context, StatusCodes.Status200OK, "Ignored: unknown event type.");
            return;
        }

        QticketsOrder order;
        try
        {
            using var document = JsonDocument.Parse(body);
            // The model keeps the element for the scrubbed payload, so it must outlive the document.
            order = QticketsOrder.FromJson(document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            log.LogError("Qtickets webhook '{EventType}' is not JSON: {Error}", eventType, e.Message);
            await AnswerAsync(context, StatusCodes.Status400BadRequest, "Unreadable order: the body is not JSON.");
            return;
        }
        catch (QticketsFormatException e)
        {
            // Signed JSON whose order cannot be valid (a key of 0 or less, a field missing, a value the store cannot hold):
            // no retry can cure it, so 422 rather than 500; a 200 would claim it stored. The nightly reconcile reads it again.
            log.LogError("Qtickets webhook '{EventType}' has an impossible order: {Error}", eventType, e.Message);
            await AnswerAsync(context, StatusCodes.Status422UnprocessableEntity, $"Impossible order: {e.Message}");
            return;
        }

        try
        {
            var applied = await options.Ingest.IngestAsync(order, context.RequestAborted);
            log.LogInformation("Qtickets webhook '{EventType}' for order {OrderId} (updated {UpdatedAt:O}): {Outcome}",
                eventType, order.Id, order.UpdatedAt, applied ? "stored" : "older than the stored version, skipped");
            await AnswerAsync(context, StatusCodes.Status200OK, applied ? "Stored." : "Already up to date.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogError(e, "Qtickets webhook '{EventType}' for order {OrderId} failed; Qtickets will retry it", eventType, order.Id);
            await AnswerAsync(context, StatusCodes.Status500InternalServerError, "Not stored; retry later.");
        }
    }

    /// <summary>The body, or null when it is longer than <paramref name="limit"/> (chunked bodies carry no length to check first).</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>();
        int read;
        while ((read = await request.Body.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken)) > 0)
        {
            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                return null;
            }
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static bool SignatureMatches(byte[] secret, byte[] body, string header)
    {
        try
        {
            return CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(secret, body), Convert.FromHexString(header.Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static Task AnswerAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }
}
