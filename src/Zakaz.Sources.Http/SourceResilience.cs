using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;
using Polly.Telemetry;
using Polly.Timeout;

namespace Zakaz.Sources.Http;

/// <summary>
/// The retry design every source shares, as one resilience pipeline on the source's HttpClient: a total limit per
/// call; retries with jittered exponential backoff or the server's <c>Retry-After</c> on network errors, time-outs,
/// 408, 429 and 5xx (and, where a source asks, once on a 2xx whose JSON is broken); a bound on requests in flight;
/// a limit per attempt that also covers reading the body. Each retry is logged as one line in the source's words;
/// the source's own rules (rate-limit headers, errors in its vendor's shape) are handlers inside the attempt.
/// </summary>
public static class SourceResilience
{
    /// <summary>What a request is part of, as messages name it (<c>GET /orders page 2</c>).</summary>
    public static readonly HttpRequestOptionsKey<string> Operation = new("Zakaz.Operation");

    private const int ErrorBodyBytes = 16 * 1024;

    private static readonly ResiliencePropertyKey<bool> MalformedJsonSeen = new("Zakaz.MalformedJsonSeen");

    /// <summary>
    /// Adds the shared pipeline to a source's client, with the <typeparamref name="TOptions"/> registered for it.
    /// <paramref name="errorOf"/> turns an error answer into the source's exception, whose message a retry's log line carries.
    /// </summary>
    public static IHttpClientBuilder AddSourceResilienceHandler<TOptions>(this IHttpClientBuilder builder, string source, string logCategory,
        Func<TOptions, HttpResponseMessage, string, CancellationToken, Task<Exception>> errorOf, bool retryMalformedJsonOnce = false)
        where TOptions : SourceHttpOptions
    {
        // The sources log each retry themselves, in one line; the factory's per-request lines and Polly's
        // event lines would repeat it four times over. (Polly's metrics stay.)
        builder.RemoveAllLoggers();
        builder.Services.PostConfigure<TelemetryOptions>(telemetry => telemetry.LoggerFactory = NullLoggerFactory.Instance);
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddResilienceHandler(source, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<TOptions>();
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(logCategory);
            var time = pipeline.TimeProvider ?? TimeProvider.System;
            pipeline.AddTimeout(options.TotalTimeout);
            if (options.MaxAttempts > 1)
            {
                pipeline.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxAttempts - 1,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryBaseDelay,
                    MaxDelay = options.RetryMaxDelay,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                    {
                        { Exception: MalformedJsonException } => !args.Context.Properties.TryGetValue(MalformedJsonSeen, out var seen) &&
                            SetTrue(args.Context, MalformedJsonSeen),
                        { Exception: HttpRequestException or IOException or TimeoutRejectedException } => true,
                        { Result: { } response } => IsRetryable(response.StatusCode),
                        _ => false,
                    }),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, time)),
                    OnRetry = async args =>
                    {
                        var operation = OperationOf(args.Context);
                        var failure = args.Outcome.Exception is { } exception
                            ? Describe(exception, source, operation)
                            : (await errorOf(options, args.Outcome.Result!, operation, args.Context.CancellationToken)).Message;
                        logger.LogWarning("{Failure}; attempt {Attempt} of {MaxAttempts} in {Delay:0.0##} s",
                            failure, args.AttemptNumber + 2, options.MaxAttempts, args.RetryDelay.TotalSeconds);
                    },
                });
            }
            pipeline.AddConcurrencyLimiter(options.MaxConcurrency, int.MaxValue);
            pipeline.AddTimeout(options.RequestTimeout);
        });
        return builder.AddHttpMessageHandler(() => new BufferingHandler(retryMalformedJsonOnce));
    }

    /// <summary>
    /// Sends a source's request through its pipeline, named <paramref name="operation"/> in the retry lines; a call that
    /// ends without an answer becomes <paramref name="fail"/>'s exception, from a one-line message. Disposes the request.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string source, string operation,
        Func<string, Exception, Exception> fail, CancellationToken cancellationToken)
    {
        using (request)
        {
            request.Options.Set(Operation, operation);
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && Describe(e, source, operation) is { } message)
            {
                throw fail(message, e);
            }
        }
    }

    /// <summary>The one-line message for a call that failed without an answer, or null for anything else (a cancellation).</summary>
    private static string? Describe(Exception failure, string source, string operation) => failure switch
    {
        TimeoutRejectedException timeout => $"{source} {operation}: no complete answer within {timeout.Timeout.TotalSeconds:0.#} s",
        MalformedJsonException or HttpRequestException or IOException => $"{source} {operation}: {failure.Message}",
        _ => null,
    };

    /// <summary>429, 408 and every 5xx: the server may answer the same request later.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>A body with no content type is taken for JSON; anything naming json is JSON.</summary>
    public static bool IsJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is not { } media || media.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The first 16 KiB of a body as UTF-8: enough for any error message, bounded whatever the server sends.</summary>
    public static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ErrorBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>The answer's <c>Retry-After</c> (seconds or a date), clamped to 0 … <paramref name="max"/>; null when absent.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan max, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is not { } value ? null : value < TimeSpan.Zero ? TimeSpan.Zero : value > max ? max : value;
    }

    private static string OperationOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } request && request.Options.TryGetValue(Operation, out var operation)
            ? operation
            : $"{context.GetRequestMessage()?.Method} {context.GetRequestMessage()?.RequestUri?.AbsolutePath}";

    private static bool SetTrue(ResilienceContext context, ResiliencePropertyKey<bool> key)
    {
        context.Properties.Set(key, true);
        return true;
    }
}
