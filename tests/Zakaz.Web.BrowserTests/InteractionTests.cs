using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// What people do to answer the next question: drill from a city to one of its events and back by the
/// breadcrumb (the URL keeps every step), sort a table by its headers, and work the filter dropdowns by keyboard.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class InteractionTests(DashboardFixture dashboard)
{
    private static ILocator Card(IPage page, string api) =>
        page.Locator("section.card").Filter(new LocatorFilterOptions { Has = page.Locator($"a.csv[data-csv='{api}']") });

    [Fact]
    public async Task A_click_on_a_city_then_an_event_drills_down_and_the_breadcrumb_steps_back()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/?range=7d");
        Assert.True(await session.Page.Locator("#crumbs").IsHiddenAsync());

        var cityButton = Card(session.Page, "/api/sales/cities").Locator("td[data-key=city] button.drill").First;
        var city = await cityButton.EvaluateAsync<string>("button => button.closest('td').dataset.value");
        await cityButton.ClickAsync();
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("city=" + Regex.Escape(Uri.EscapeDataString(city))));
        await session.WaitReadyAsync();
        Assert.Contains("range=7d", session.Page.Url, StringComparison.Ordinal);
        var steps = session.Page.Locator("#crumbs li");
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        Assert.Equal("Все города", (await steps.Nth(0).TextContentAsync())?.Trim());
        // Every city in the tables is now the chosen one.
        var cities = await Card(session.Page, "/api/sales/events").Locator("td[data-key=city]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.value)");
        Assert.NotEmpty(cities);
        Assert.All(cities, shown => Assert.Equal(city, shown));

        // The event step, by keyboard: the drill links are buttons.
        var eventButton = Card(session.Page, "/api/sales/events").Locator("td[data-key=eventName] button.drill").First;
        var eventId = await eventButton.EvaluateAsync<string>("button => button.closest('tr').querySelector('td[data-key=eventId]').dataset.value");
        await eventButton.FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("event=" + eventId));
        await session.WaitReadyAsync();
        await Assertions.Expect(steps).ToHaveCountAsync(3);
        Assert.Contains($"({char.ToUpperInvariant(city[0])}", await steps.Nth(2).TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal("location", await steps.Nth(2).Locator("span").GetAttributeAsync("aria-current"));
        var events = await Card(session.Page, "/api/sales/events").Locator("td[data-key=eventId]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.value)");
        Assert.Equal([eventId], events);

        // Back one step: the city again, without the event; then every city.
        await steps.Nth(1).Locator("a").ClickAsync();
        await Assertions.Expect(session.Page).Not.ToHaveURLAsync(new Regex("event="));
        Assert.Contains("city=", session.Page.Url, StringComparison.Ordinal);
        await session.WaitReadyAsync();
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        await steps.Nth(0).Locator("a").ClickAsync();
        await Assertions.Expect(session.Page).Not.ToHaveURLAsync(new Regex("city="));
        await session.WaitReadyAsync();
        Assert.True(await session.Page.Locator("#crumbs").IsHiddenAsync());
        Assert.Equal("/?range=7d", new Uri(session.Page.Url).PathAndQuery);

        // The browser's back button walks the same steps.
        await session.Page.GoBackAsync();
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("city="));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_campaign_drill_is_kept_in_the_url_and_named_in_the_breadcrumb()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/marketing");
        var campaign = session.Page.Locator("td[data-key=campaign] button.drill").First;
        var name = await campaign.EvaluateAsync<string>("button => button.closest('td').dataset.value");
        await campaign.ClickAsync();
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("campaign=" + Regex.Escape(Uri.EscapeDataString(name))));
        await session.WaitReadyAsync();
        Assert.Equal(name, (await session.Page.Locator("#crumbs li").Last.TextContentAsync())?.Trim());
        await session.Page.Locator("#crumbs li").First.Locator("a").ClickAsync();
        await Assertions.Expect(session.Page).Not.ToHaveURLAsync(new Regex("campaign="));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_header_click_sorts_the_table_by_that_column_both_ways_and_says_so_in_aria_sort()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/");
        var card = Card(session.Page, "/api/sales/events");
        var revenue = card.Locator("th[data-key=revenue]");
        Assert.Equal("none", await revenue.GetAttributeAsync("aria-sort"));

        async Task<string[]> ColumnAsync(string key) =>
            await card.Locator($"tbody td[data-key={key}]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.value)");

        var before = await ColumnAsync("eventId");
        Assert.True(before.Length > 2, "the sandbox sold fewer than three events in 30 days");
        await revenue.Locator("button").ClickAsync();
        Assert.Equal("descending", await revenue.GetAttributeAsync("aria-sort"));
        var descending = (await ColumnAsync("revenue")).Select(Number).ToArray();
        Assert.Equal(descending.OrderDescending(), descending);

        await revenue.Locator("button").ClickAsync();
        Assert.Equal("ascending", await revenue.GetAttributeAsync("aria-sort"));
        var ascending = (await ColumnAsync("revenue")).Select(Number).ToArray();
        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal(descending.Length, ascending.Length);

        // Text sorts as Russian words, and the other headers say they are not the sort.
        var name = card.Locator("th[data-key=eventName]");
        await name.Locator("button").PressAsync("Enter");
        Assert.Equal("ascending", await name.GetAttributeAsync("aria-sort"));
        Assert.Equal("none", await revenue.GetAttributeAsync("aria-sort"));
        var names = await ColumnAsync("eventName");
        var russian = StringComparer.Create(new CultureInfo("ru-RU"), CompareOptions.IgnoreCase);
        for (var i = 1; i < names.Length; i++)
        {
            Assert.True(russian.Compare(names[i - 1], names[i]) <= 0, $"'{names[i - 1]}' before '{names[i]}'");
        }
        // Sorting reorders rows, it never changes them.
        Assert.Equal(before.Order(), (await ColumnAsync("eventId")).Order());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_top_n_table_switches_between_the_best_the_worst_and_all_rows_by_its_ranking_column()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/");
        // The shell's table() as a page calls it, on the store's own sales by city.
        var switcher = await session.Page.EvaluateAsync<string[]>("""
            async () => {
              const { table } = await import('/js/ui.js');
              const data = await fetch('/api/sales/cities').then((r) => r.json());
              const block = table(data, { topN: 'revenue', n: 3 });
              block.id = 'top-n-test';
              document.getElementById('page').append(block);
              return [...block.querySelectorAll('.top-n button')].map((b) => `${b.dataset.show}:${b.getAttribute('aria-pressed')}`);
            }
            """);
        Assert.Equal(["top:false", "bottom:false", "all:true"], switcher);
        var block = session.Page.Locator("#top-n-test");
        var all = await RevenuesAsync(block);
        Assert.True(all.Length > 3, "the sandbox sold in fewer than four cities");

        await block.Locator(".top-n button[data-show=top]").ClickAsync();
        Assert.Equal("true", await block.Locator(".top-n button[data-show=top]").GetAttributeAsync("aria-pressed"));
        Assert.Equal(all.OrderDescending().Take(3), await RevenuesAsync(block));

        await block.Locator(".top-n button[data-show=bottom]").ClickAsync();
        Assert.Equal(all.Order().Take(3), await RevenuesAsync(block));
        // A header sort applies within the rows shown.
        await block.Locator("th[data-key=revenue] button").ClickAsync();
        Assert.Equal(all.Order().Take(3).Reverse(), await RevenuesAsync(block));

        await block.Locator(".top-n button[data-show=all]").ClickAsync();
        Assert.Equal(all.OrderDescending(), await RevenuesAsync(block));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Complete_day_pages_end_their_presets_yesterday_and_the_plan_may_end_in_the_future()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/plan");
        // The presets a page with `completeDays` (marketing, city) resolves, for a Sunday the 6th of December.
        var ranges = await session.Page.EvaluateAsync<string[][]>("""
            async () => {
              const { presetRange } = await import('/js/filters.js');
              return ['today', 'yesterday', '7d', '30d', 'month', 'lastmonth'].map((preset) => presetRange(preset, '2026-12-06', true));
            }
            """);
        Assert.Equal(
            [["2026-12-06", "2026-12-06"], ["2026-12-05", "2026-12-05"], ["2026-11-29", "2026-12-05"], ["2026-11-06", "2026-12-05"],
             ["2026-12-01", "2026-12-05"], ["2026-11-01", "2026-11-30"]],
            ranges);
        var firstOfMonth = await session.Page.EvaluateAsync<string[]>("import('/js/filters.js').then(({ presetRange }) => presetRange('month', '2026-12-01', true))");
        Assert.Equal(["2026-12-01", "2026-12-01"], firstOfMonth);

        // The plan looks ahead: its dates have no upper bound; the sales page stops at today.
        Assert.Equal("", await session.Page.GetAttributeAsync("input[name=to]", "max"));
        await session.Page.ClickAsync(".nav a[data-page=sales]");
        await session.WaitReadyAsync();
        Assert.False(string.IsNullOrEmpty(await session.Page.GetAttributeAsync("input[name=to]", "max")));
        session.AssertNoConsoleErrors();
    }

    private static async Task<decimal[]> RevenuesAsync(ILocator block) =>
        (await block.Locator("tbody td[data-key=revenue]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.value)")).Select(Number).ToArray();

    [Fact]
    public async Task The_city_dropdown_opens_with_enter_and_escape_closes_it_returning_the_focus()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/");
        var details = session.Page.Locator("details[data-name=city]");
        await details.Locator("summary").FocusAsync();
        await session.Page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(details).ToHaveAttributeAsync("open", "");
        // Tab reaches the options; Escape from inside closes and gives the focus back to the summary.
        await session.Page.Keyboard.PressAsync("Tab");
        await session.Page.Keyboard.PressAsync("Tab");
        Assert.True(await details.EvaluateAsync<bool>("d => d.contains(document.activeElement) && document.activeElement.tagName === 'INPUT'"));
        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(details).Not.ToHaveAttributeAsync("open", "");
        Assert.True(await details.Locator("summary").EvaluateAsync<bool>("summary => summary === document.activeElement"));

        // Space opens it as well; a checkbox chosen by keyboard applies the filter.
        await session.Page.Keyboard.PressAsync(" ");
        await Assertions.Expect(details).ToHaveAttributeAsync("open", "");
        await session.Page.Keyboard.PressAsync("Tab");
        await session.Page.Keyboard.PressAsync("Tab");
        await session.Page.Keyboard.PressAsync(" ");
        await Assertions.Expect(session.Page).ToHaveURLAsync(new Regex("city="));
        session.AssertNoConsoleErrors();
    }

    private static decimal Number(string value) => decimal.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
}
