using Zakaz.Notifications;
using Zakaz.Pipeline.Reports;

namespace Zakaz.Operations.Digest;

/// <summary>
/// The morning digest as a message people read at a glance, in Russian: every list shortened to its first few lines
/// with "и ещё N", money in whole roubles (1 234 567 ₽), dates dd.MM.yyyy, times in Moscow.
/// </summary>
public static class MorningDigestText
{
    /// <summary>Lines a list shows before "и ещё N".</summary>
    public const int ListLines = 5;

    private static readonly CultureInfo Russian = CultureInfo.GetCultureInfo("ru-RU");

    public static Notification Render(MorningDigest digest, Uri? dashboardUrl = null)
    {
        var date = digest.Date;
        var lines = new List<string> { $"Итоги за {RussianFormat.Date(date)} ({date.ToString("ddd", Russian)}), время московское", "" };
        lines.AddRange(SalesLines(digest));
        lines.Add("");
        lines.AddRange(SpendLines(digest.Spend));
        lines.AddRange(RoiLines(digest.Roi));
        lines.Add("");
        lines.AddRange(RiskLines(digest.EventsAtRisk));
        lines.Add("");
        lines.AddRange(PlanLines(digest.Plan, date));
        lines.Add("");
        lines.Add(HealthLine(digest.Health));
        if (dashboardUrl is not null)
        {
            lines.Add($"Дашборд: {dashboardUrl}");
        }
        return new Notification($"Zakaz: итоги {RussianFormat.Date(date)}", string.Join("\n", lines));
    }

    /// <summary>"VK Реклама" and "Яндекс Директ": the platforms' own Russian names; any later one by its code.</summary>
    public static string PlatformName(string source) => source switch
    {
        "vk_ads" => "VK Реклама",
        "yandex_direct" => "Яндекс Директ",
        "qtickets" => "Qtickets",
        _ => source,
    };

    /// <summary>Canonical cities are lower-case: Нижний Новгород, Ростов-на-Дону (the short parts of a hyphenated name stay small), as the dashboard shows them.</summary>
    public static string CityName(string city) => string.Join(' ', city.Split(' ').Select(word =>
        string.Join('-', word.Split('-').Select((part, i) => i == 0 || part.Length > 2 ? Capitalized(part) : part))));

    private static string Capitalized(string word) => word.Length == 0 ? word : char.ToUpper(word[0], Russian) + word[1..];

    private static IEnumerable<string> SalesLines(MorningDigest digest)
    {
        var (day, before, week) = (digest.Sales, digest.DayBefore, digest.WeekBefore);
        if (!day.HasSales)
        {
            yield return $"Продаж не было. {Short(before.Date)}: {SalesSummary(before)}; {Short(week.Date)}: {SalesSummary(week)}.";
            yield break;
        }
        yield return $"Выручка: {RussianFormat.Money(day.Revenue)}{Changes(day.Revenue, before.Revenue, week.Revenue, before.Date, week.Date)}";
        yield return $"Билеты: {RussianFormat.Whole(day.Tickets)}{Changes(day.Tickets, before.Tickets, week.Tickets, before.Date, week.Date)}";
        yield return $"Заказы: {RussianFormat.Whole(day.Orders)}{Changes(day.Orders, before.Orders, week.Orders, before.Date, week.Date)}";
    }

    private static string SalesSummary(SalesDay day) => day.HasSales
        ? $"{RussianFormat.Money(day.Revenue)}, {RussianFormat.Whole(day.Tickets)} бил., {RussianFormat.Whole(day.Orders)} зак."
        : "продаж не было";

    private static string Changes(decimal value, decimal before, decimal week, DateOnly beforeDate, DateOnly weekDate) =>
        $" (к {Short(beforeDate)} {Change(value, before)}, к {Short(weekDate)} {Change(value, week)})";

    /// <summary>▲ 12,3 % or ▼ 4,5 %; against a day without sales there is no percentage, only what it was.</summary>
    private static string Change(decimal value, decimal previous)
    {
        if (previous == 0)
        {
            return "было 0";
        }
        var change = (double)((value - previous) / previous);
        return change switch
        {
            > 0 => $"▲ {RussianFormat.Percent(change)}",
            < 0 => $"▼ {RussianFormat.Percent(-change)}",
            _ => $"= {RussianFormat.Percent(0)}",
        };
    }

    private static IEnumerable<string> SpendLines(IReadOnlyList<PlatformSpend> spend)
    {
        if (spend.Count == 0)
        {
            yield return "Реклама: площадки не подключены.";
            yield break;
        }
        var known = spend.Where(p => p.Spend is not null).ToArray();
        var total = known.Length == spend.Count ? RussianFormat.Money(known.Sum(p => p.Spend!.Value)) : "не всё загружено";
        yield return $"Расход на рекламу: {total}";
        foreach (var platform in spend)
        {
            yield return $"  {PlatformName(platform.Source)}: {(platform.Spend is { } roubles ? RussianFormat.Money(roubles) : "ещё не загружено")}";
        }
    }

    private static IEnumerable<string> RoiLines(CityRoiPeriod roi)
    {
        var period = $"{Short(roi.From)}–{Short(roi.To)}";
        if (roi.Cities.Count == 0)
        {
            yield return $"ROMI по городам за {period}: расходов по городам нет.";
        }
        else
        {
            var losing = roi.Cities.Count(c => c.Losing);
            yield return $"ROMI по городам за {period} (выручка дня против расхода того же дня), убыточных {losing} из {roi.Cities.Count}:";
            foreach (var city in roi.Cities.Take(ListLines))
            {
                yield return $"  {CityName(city.City)}: {Signed(city.Romi)} (расход {RussianFormat.Money(city.Spend)}, выручка {RussianFormat.Money(city.Revenue)})";
            }
            if (roi.Cities.Count > ListLines)
            {
                yield return $"  и ещё {roi.Cities.Count - ListLines}";
            }
        }
        if (roi.SpendWithoutCity != 0)
        {
            yield return $"  Расход без города: {RussianFormat.Money(roi.SpendWithoutCity)}";
        }
    }

    private static string Signed(double fraction) => fraction > 0 ? $"+{RussianFormat.Percent(fraction)}" : RussianFormat.Percent(fraction);

    private static IEnumerable<string> RiskLines(IReadOnlyList<EventAtRisk> events)
    {
        if (events.Count == 0)
        {
            yield return "Мероприятий под угрозой нет.";
            yield break;
        }
        yield return $"Под угрозой (распродажа позже последнего показа или нет продаж за 7 дней): {events.Count}";
        foreach (var e in events.Take(ListLines))
        {
            var pace = e.Tickets7d == 0
                ? "за 7 дней продаж нет"
                : $"за 7 дней {RussianFormat.Whole(e.Tickets7d)} бил., распродажа к {(e.ProjectedSellout is { } d ? RussianFormat.Date(d) : "—")}";
            var sold = e.SellThrough is { } share ? $"продано {RussianFormat.Percent(share)}, " : "";
            yield return $"  {e.Name} ({CityName(e.City)}), {RussianFormat.Date(e.Start)}: {sold}осталось {RussianFormat.Whole(e.Left)} из {RussianFormat.Whole(e.Capacity)}; {pace}";
        }
        if (events.Count > ListLines)
        {
            yield return $"  и ещё {events.Count - ListLines}";
        }
    }

    private static IEnumerable<string> PlanLines(PlanToDate? plan, DateOnly date)
    {
        var month = $"{Russian.DateTimeFormat.GetMonthName(date.Month)} {date.Year}";
        if (plan is null)
        {
            yield return $"План на {month}: план не загружен.";
            yield break;
        }
        var share = plan.PlanRevenue == 0 ? "" : $" ({RussianFormat.Percent((double)(plan.FactRevenue / plan.PlanRevenue))})";
        yield return $"План на {month} по {Short(plan.To)}: выручка {RussianFormat.Money(plan.FactRevenue)} из {RussianFormat.Money(plan.PlanRevenue)}{share}, " +
            $"билеты {RussianFormat.Whole(plan.FactTickets)} из {RussianFormat.Whole(plan.PlanTickets)}; на месяц {RussianFormat.Money(plan.MonthPlanRevenue)}";
        if (plan.Behind.Count > 0)
        {
            var behind = plan.Behind.Take(3).Select(l => $"{l.Name} ({CityName(l.City)}) {RussianFormat.Money(l.FactRevenue - l.PlanRevenue)}");
            yield return $"  Отстают: {string.Join("; ", behind)}{(plan.Behind.Count > 3 ? $"; и ещё {plan.Behind.Count - 3}" : "")}";
        }
    }

    private static string HealthLine(IReadOnlyList<SourceHealth> health)
    {
        if (health.Count == 0)
        {
            return "Данные: ни один источник ещё не загружался.";
        }
        var late = health.Where(s => s.Status != "green").ToArray();
        if (late.Length == 0)
        {
            return "Данные: все источники свежие.";
        }
        return "Данные: " + string.Join("; ", late.Select(s =>
        {
            var light = s.Status == "amber" ? "жёлтый" : "красный";
            var since = s.LastLoadedAt is { } at ? $"последняя успешная загрузка {RussianFormat.MoscowTime(at)}" : "ни одной успешной загрузки";
            return $"{PlatformName(s.Source)} — {light}, {since}";
        })) + ".";
    }

    private static string Short(DateOnly date) => date.ToString("dd.MM", CultureInfo.InvariantCulture);
}
