using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Zakaz.Web.Dashboard;

/// <summary>
/// Computes the answers of the <see cref="DefaultViews"/> into the <see cref="AnswerCache"/> once the scheduler has
/// no run going (<see cref="Request"/>), so the first visitor after a load finds them ready (spec: "a page opened
/// right after a load finds its answers ready"). Each call goes through its endpoint and the cache as a visitor's
/// would, one at a time in the background: the scheduler never waits for it, and a later request while a round is
/// going asks for one more round, never for a queue of them. A round stops as soon as a run starts (the cache moves to
/// a new generation and would not keep what it computes); a call that fails is logged and the round goes on.
/// </summary>
internal sealed class AnswerWarmup(AnswerCache cache, IServiceProvider services, Func<DateOnly> today, ILogger<AnswerWarmup> log)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private TaskCompletionSource? _requested;
    private TaskCompletionSource _current = Done();
    private long _warmed = -1;

    /// <summary>Asks for a round; returns at once.</summary>
    public void Request()
    {
        if (!cache.Enabled)
        {
            return;
        }
        lock (_gate)
        {
            if (_requested is null)
            {
                _requested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _signal.Release();
            }
        }
    }

    /// <summary>Completes when the round asked for last (or the one going) has ended.</summary>
    public Task Warmed
    {
        get
        {
            lock (_gate)
            {
                return (_requested ?? _current).Task;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await _signal.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                lock (_gate)
                {
                    _requested?.TrySetCanceled(stoppingToken);
                }
                return;
            }
            TaskCompletionSource round;
            lock (_gate)
            {
                round = _requested!;
                _requested = null;
                _current = round;
            }
            try
            {
                await WarmAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                log.LogWarning("Computing the default views' answers after a load failed: {Error}; the first visitors compute them", e.Message);
            }
            finally
            {
                round.TrySetResult();
            }
        }
    }

    private async Task WarmAsync(CancellationToken stop)
    {
        var generation = cache.Generation;
        if (generation == Interlocked.Read(ref _warmed))
        {
            return;
        }
        var day = today();
        var key = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var failed = 0;
        await using var scope = services.CreateAsyncScope();
        foreach (var (_, endpoint, path, query) in DefaultViews.Of(services.GetRequiredService<EndpointDataSource>(), day))
        {
            if (cache.Generation != generation)
            {
                // A run started: its end asks for a round of its own.
                return;
            }
            var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider, RequestAborted = stop };
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = path;
            context.Request.QueryString = query;
            context.Response.Body = Stream.Null;
            try
            {
                await cache.ServeAsync(context, endpoint.RequestDelegate!, key);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                log.LogWarning("Computing {Path}{Query} after a load failed: {Error}", path, query, e.Message);
            }
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                failed++;
                log.LogWarning("Computing {Path}{Query} after a load answered {Status}; its first visitor computes it", path, query, context.Response.StatusCode);
            }
        }
        if (failed == 0)
        {
            Interlocked.Exchange(ref _warmed, generation);
        }
    }

    private static TaskCompletionSource Done()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
