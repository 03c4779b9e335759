using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Zakaz.Sandbox;

/// <summary>The shell of the API stand-ins: a bare Kestrel on 127.0.0.1 handing every request to one handler.</summary>
public abstract class LoopbackSandbox : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary><c>http://127.0.0.1:port/</c></summary>
    public Uri RootUrl { get; private set; } = null!;

    public virtual async ValueTask DisposeAsync()
    {
        // A scripted slow answer may still be waiting; don't let it hold the shutdown for its full delay.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app!.StopAsync(grace.Token);
        await _app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts listening on <paramref name="port"/> (0 picks a free one) and sets <see cref="RootUrl"/>.</summary>
    protected async Task ListenAsync(int port, RequestDelegate handle, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, IPEndPoint.MaxPort);
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        _app = builder.Build();
        _app.Run(handle);
        await _app.StartAsync(cancellationToken);
        string address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.First();
        RootUrl = new Uri(address.TrimEnd('/') + "/");
    }
}
