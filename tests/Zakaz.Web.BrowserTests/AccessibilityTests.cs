using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// Every page by the accessibility rules: one h1 (the page's title) with h2 cards, every text colour at WCAG AA
/// contrast against what is really behind it (computed here from the DOM), charts with an accessible name and a
/// text summary, and on a 390×844 phone a header whose tabs stay one row and tables whose key columns are seen
/// without sideways scrolling.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class AccessibilityTests(DashboardFixture dashboard)
{
    public static TheoryData<string> Pages => new() { "/", "/inventory", "/marketing", "/city", "/utm", "/plan", "/health" };

    /// <summary>
    /// For each visible element with its own text: its colour composited over the first opaque background among
    /// it and its ancestors (semi-transparent layers blended on the way), and the WCAG contrast of the two.
    /// Disabled controls are exempt (WCAG 1.4.3), and so is large text down to 3:1.
    /// </summary>
    private const string ContrastScript = """
        () => {
          const parse = (text) => { const m = text.match(/rgba?\(([^)]+)\)/); if (!m) return null;
            const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [r, g, b, a]; };
          const over = (top, bottom) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat(1); };
          const background = (node) => {
            const layers = [];
            for (let el = node; el; el = el.parentElement) {
              const color = parse(getComputedStyle(el).backgroundColor);
              if (color && color[3] > 0) { layers.push(color); if (color[3] >= 1) break; }
            }
            let result = [255, 255, 255, 1];
            for (const layer of layers.reverse()) result = over(layer, result);
            return result;
          };
          const luminance = ([r, g, b]) => { const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
          const failures = [];
          for (const el of document.body.querySelectorAll('*')) {
            const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.getClientRects().length || el.closest('[hidden], [aria-hidden=true], :disabled, .visually-hidden')) continue;
            const style = getComputedStyle(el);
            if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
            const back = background(el);
            const fore = over(parse(style.color), back);
            const [l1, l2] = [luminance(fore), luminance(back)].sort((a, b) => b - a);
            const ratio = (l1 + 0.05) / (l2 + 0.05);
            const size = parseFloat(style.fontSize); const bold = Number(style.fontWeight) >= 700;
            const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < needed) failures.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}": ${style.color} on rgb(${back.slice(0, 3).map(Math.round)}) = ${ratio.toFixed(2)}`);
          }
          return [...new Set(failures)];
        }
        """;

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_text_colour_reaches_aa_contrast_and_the_page_has_one_h1(string path)
    {
        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
            await session.GoToAsync(path);

            var failures = await session.Page.EvaluateAsync<string[]>(ContrastScript);
            Assert.True(failures.Length == 0, $"{path} at {width}px:\n" + string.Join("\n", failures));

            Assert.Equal(1, await session.Page.Locator("h1").CountAsync());
            var title = (await session.Page.Locator("h1").TextContentAsync())?.Trim();
            Assert.Equal((await session.Page.Locator(".nav a.active").TextContentAsync())?.Trim(), title);
            Assert.StartsWith(title!, await session.Page.TitleAsync(), StringComparison.Ordinal);
            Assert.Equal(await session.Page.Locator("section.card").CountAsync(), await session.Page.Locator("section.card > .card-head > h2").CountAsync());

            // Every chart is an image with a name, and says in text what it shows.
            foreach (var canvas in await session.Page.Locator("canvas").AllAsync())
            {
                Assert.Equal("img", await canvas.GetAttributeAsync("role"));
                Assert.False(string.IsNullOrWhiteSpace(await canvas.GetAttributeAsync("aria-label")));
                var summary = await canvas.EvaluateAsync<string>("canvas => canvas.closest('.chart').nextElementSibling?.matches('.chart-summary') ? canvas.closest('.chart').nextElementSibling.textContent : ''");
                Assert.False(string.IsNullOrWhiteSpace(summary), $"a chart on {path} has no text summary");
            }
        }
    }

    [Fact]
    public async Task The_offline_badge_and_a_refused_filter_also_reach_aa_contrast()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/?city=" + Uri.EscapeDataString("москва'"));
        await session.Page.Locator(".filter-error").WaitForAsync();
        var failures = await session.Page.EvaluateAsync<string[]>(ContrastScript);
        Assert.True(failures.Length == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("/", "/api/sales/events")]
    [InlineData("/inventory", "/api/inventory/events")]
    [InlineData("/marketing", "/api/marketing/campaigns")]
    [InlineData("/plan", "/api/plan/rows")]
    public async Task On_a_phone_tables_are_cards_whose_key_columns_need_no_sideways_scrolling(string path, string api)
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 390, 844);
        await session.GoToAsync(path);
        var card = session.Page.Locator("section.card").Filter(new LocatorFilterOptions { Has = session.Page.Locator($"a.csv[data-csv='{api}']") });
        var table = card.Locator("table.data");
        Assert.True(await table.CountAsync() > 0, $"{api} shows no table");

        // Nothing in the table box scrolls sideways, and every cell of the first rows lies within the screen.
        Assert.True(await table.EvaluateAsync<bool>("t => t.closest('.table-wrap').scrollWidth <= t.closest('.table-wrap').clientWidth + 1"));
        var outside = await table.EvaluateAsync<string[]>("""
            t => [...t.querySelectorAll('tbody tr:nth-child(-n+5) td')].filter((td) => {
              const box = td.getBoundingClientRect(); return box.left < 0 || box.right > window.innerWidth + 0.5; })
              .map((td) => td.dataset.key)
            """);
        Assert.Empty(outside);
        // Each value is labelled with its column's title, as the header would.
        var labels = await table.Locator("tbody tr").First.Locator("td").EvaluateAllAsync<string[]>(
            "cells => cells.map(cell => getComputedStyle(cell, '::before').content)");
        var titles = await table.Locator("thead th").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.textContent)");
        Assert.Equal(titles.Select(title => $"\"{title}\""), labels);
        var overflow = await session.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the phone");
    }

    [Fact]
    public async Task On_a_phone_the_tabs_are_one_row_that_scrolls_inside_the_header()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 390, 844);
        await session.GoToAsync("/plan");
        var tops = await session.Page.Locator(".nav a").EvaluateAllAsync<double[]>("links => links.map(link => link.getBoundingClientRect().top)");
        Assert.Single(tops.Distinct());
        Assert.True(await session.Page.Locator(".nav").EvaluateAsync<bool>("nav => nav.scrollWidth > nav.clientWidth && getComputedStyle(nav).overflowX === 'auto'"));
        // The active tab is there to be scrolled to.
        await session.Page.Locator(".nav a.active").ScrollIntoViewIfNeededAsync();
        Assert.True(await session.Page.Locator(".nav a.active").IsVisibleAsync());
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "plan-phone-header.png") });
    }
}
