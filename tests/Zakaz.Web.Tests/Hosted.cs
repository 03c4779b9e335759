using Microsoft.Extensions.Hosting;

namespace Zakaz.Web.Tests;

internal static class Hosted
{
    /// <summary>Starts <paramref name="service"/> as its host would; disposing the result stops it as the host would, awaiting its work.</summary>
    public static async Task<IAsyncDisposable> StartedAsync(this IHostedService service)
    {
        await service.StartAsync(CancellationToken.None);
        return new Stopping(service);
    }

    private sealed class Stopping(IHostedService service) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await service.StopAsync(CancellationToken.None);
    }
}
