using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Web.Dashboard;

/// <summary>
/// Keeps the API's JSON answers until the data may have changed: every page asks for the same
/// filters and freshness, and people reopen the same views, so between two loads most answers
/// would be computed again from the same rows. An answer is dropped when this process writes: the
/// writers call <see cref="Invalidate"/> (a scheduled job as it starts and ends, the webhook ingest once
/// it stored an order), never merely because a request was not a GET, which anyone could send. In any
/// case it goes after <see cref="DashboardOptions.AnswerCacheTtl"/>, which bounds how stale it can be
/// when another process writes to a server store, and how old "minutes since the last load" can get.
/// Downloads (CSV, XLSX: their headers name the file) and failed answers are never kept.
/// </summary>
internal sealed class AnswerCache(TimeSpan ttl, TimeProvider time)
{
    /// <summary>Beyond this many bytes of answers the cache starts over: a bound, not a policy.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Says whether an answer was kept ("hit") or computed now ("miss").</summary>
    public const string Header = "X-Answer-Cache";

    private readonly ConcurrentDictionary<string, Answer> _answers = new(StringComparer.Ordinal);
    private long _generation;
    private long _bytes;

    /// <summary>Whether the cache keeps answers at all (a TTL of zero turns it off).</summary>
    public bool Enabled => ttl > TimeSpan.Zero;

    /// <summary>Moves on at every <see cref="Invalidate"/>: answers computed under an older one are not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>Forgets every answer: the data they were made from may have changed.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _answers.Clear();
        Interlocked.Exchange(ref _bytes, 0);
    }

    public async Task ServeAsync(HttpContext context, RequestDelegate next, string today)
    {
        var request = context.Request;
        // Only GETs are kept: a HEAD answer has no body for the GETs after it.
        if (ttl <= TimeSpan.Zero || !HttpMethods.IsGet(request.Method) || !request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || request.Query["format"] is ["csv"] or ["xlsx"])
        {
            await next(context);
            return;
        }
        // "today" is part of the key: the default range and the upcoming events move at midnight.
        var key = today + " " + request.Path + request.QueryString;
        var now = time.GetUtcNow();
        if (_answers.TryGetValue(key, out var kept) && now - kept.At < ttl)
        {
            await kept.WriteAsync(context.Response, "hit", context.RequestAborted);
            return;
        }
        var generation = Interlocked.Read(ref _generation);
        var body = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
        }
        var answer = new Answer(now, context.Response.ContentType, buffer.ToArray());
        // An answer computed while a write happened may hold either side of it: not kept.
        if (context.Response.StatusCode == StatusCodes.Status200OK && Interlocked.Read(ref _generation) == generation)
        {
            if (Interlocked.Add(ref _bytes, answer.Body.Length) > MaxBytes)
            {
                Invalidate();
            }
            else
            {
                _answers[key] = answer;
                if (Interlocked.Read(ref _generation) != generation)
                {
                    _answers.TryRemove(key, out _);
                }
            }
        }
        await answer.WriteAsync(context.Response, "miss", context.RequestAborted);
    }

    private sealed record Answer(DateTimeOffset At, string? ContentType, byte[] Body)
    {
        public Task WriteAsync(HttpResponse response, string cache, CancellationToken cancellationToken)
        {
            response.ContentType = ContentType;
            response.Headers[Header] = cache;
            response.ContentLength = Body.Length;
            return response.Body.WriteAsync(Body, cancellationToken).AsTask();
        }
    }
}
