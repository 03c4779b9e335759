using System.Net;
using Microsoft.Playwright;
using Zakaz.Web.Auth;

namespace Zakaz.Web.BrowserTests;

/// <summary>Without Open the dashboard asks for the password first, in the browser as on the API.</summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class LoginTests(DashboardFixture dashboard)
{
    private const string Password = "верный пароль 42";

    [Fact]
    public async Task A_page_without_a_session_goes_to_the_login_page_and_the_password_opens_it()
    {
        await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, PasswordHash = PasswordHash.Create(Password) });
        using (var http = new HttpClient())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(app.Url, "/api/sales/kpis"))).StatusCode);
        }

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768, app.Url);
        await session.Page.GotoAsync(new Uri(app.Url, "/marketing?range=7d").ToString());
        Assert.Equal("/login", new Uri(session.Page.Url).AbsolutePath);
        Assert.False(await session.Page.IsVisibleAsync("#login-error"));
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "login-laptop.png") });

        await session.Page.FillAsync("input[name=password]", "неверный");
        await session.Page.ClickAsync("button[type=submit]");
        await session.Page.Locator("#login-error").WaitForAsync();
        Assert.Equal("/login", new Uri(session.Page.Url).AbsolutePath);

        await session.Page.FillAsync("input[name=password]", Password);
        await session.Page.ClickAsync("button[type=submit]");
        await session.WaitReadyAsync();
        var url = new Uri(session.Page.Url);
        Assert.Equal("/marketing", url.AbsolutePath);
        Assert.Equal("?range=7d", url.Query);
        Assert.Equal(0, await session.Page.Locator(".failed").CountAsync());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_return_address_that_leaves_the_site_lands_on_the_dashboard_instead()
    {
        await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, PasswordHash = PasswordHash.Create(Password) });
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768, app.Url);

        // The browser drops the tab of "/<tab>/evil.example" and would follow "//evil.example" off the site.
        await session.Page.GotoAsync(new Uri(app.Url, "/login?return=%2F%09%2Fevil.example").ToString());
        await session.Page.FillAsync("input[name=password]", Password);
        await session.Page.ClickAsync("button[type=submit]");
        await session.WaitReadyAsync();

        var url = new Uri(session.Page.Url);
        Assert.Equal((app.Url.Authority, "/"), (url.Authority, url.AbsolutePath));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Too_many_wrong_passwords_say_when_to_try_again()
    {
        await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions
        {
            Port = 0,
            PasswordHash = PasswordHash.Create(Password),
            LoginLimits = new LoginLimits { PerClient = 2 },
        });
        await using var session = await BrowserSession.OpenAsync(dashboard, 390, 844, app.Url);
        await session.Page.GotoAsync(new Uri(app.Url, "/login").ToString());

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await session.Page.FillAsync("input[name=password]", "неверный");
            await session.Page.ClickAsync("button[type=submit]");
            await session.Page.WaitForURLAsync("**/login?error=1**");
            Assert.Equal("Неверный пароль.", await session.Page.InnerTextAsync("#login-error"));
        }
        await session.Page.FillAsync("input[name=password]", Password);
        var answer = await session.Page.RunAndWaitForResponseAsync(
            () => session.Page.ClickAsync("button[type=submit]"), response => response.Request.Method == "POST");

        Assert.Equal(429, answer.Status);
        Assert.Matches(@"^Слишком много попыток входа\. Повторите через \d+ с\.$", await session.Page.InnerTextAsync("#login-error"));
        Assert.True(await session.Page.IsVisibleAsync("input[name=password]"));
        // A screenshot taken while the 429 page is still loading once waited out its timeout in CI.
        await session.Page.WaitForLoadStateAsync(LoadState.Load);
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "login-too-many-phone.png") });
    }
}
