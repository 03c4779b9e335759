using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>A fresh browser context and page on the dashboard that records every console error and page error.</summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly Uri _baseUrl;
    private readonly List<string> _errors = [];

    private BrowserSession(IBrowserContext context, IPage page, Uri baseUrl)
    {
        _context = context;
        _baseUrl = baseUrl;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_errors)
                {
                    _errors.Add($"console: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_errors)
            {
                _errors.Add($"page error: {error}");
            }
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserSession> OpenAsync(DashboardFixture dashboard, int width, int height, Uri? baseUrl = null)
    {
        var context = await dashboard.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "ru-RU",
            TimezoneId = "Europe/Moscow",
            AcceptDownloads = true,
        });
        return new BrowserSession(context, await context.NewPageAsync(), baseUrl ?? dashboard.App.Url);
    }

    /// <summary>Opens a dashboard path and waits until its page has drawn every card.</summary>
    public async Task GoToAsync(string pathAndQuery)
    {
        await Page.GotoAsync(new Uri(_baseUrl, pathAndQuery).ToString());
        await WaitReadyAsync();
    }

    public Task WaitReadyAsync() => Page.Locator("#page[data-ready=true]").WaitForAsync();

    public void AssertNoConsoleErrors()
    {
        lock (_errors)
        {
            Assert.True(_errors.Count == 0, string.Join(Environment.NewLine, _errors));
        }
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
