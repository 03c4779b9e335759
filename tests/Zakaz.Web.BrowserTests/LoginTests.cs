using System.Net;
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
}
