using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Zakaz.Operations.Alerts;

namespace Zakaz.Web.Dashboard.Api;

/// <summary>The Data health page: freshness per source, the last job runs, the data-quality checks, the alerts.</summary>
internal static class HealthEndpoints
{
    public const int Runs = 50;

    public static void Map(DashboardApi api, RouteGroupBuilder group)
    {
        api.Table(group, "/health/sources", new ApiTable("health-sources",
                new("source", "Источник", ColumnType.Text), new("lastLoadedAt", "Последняя загрузка", ColumnType.Datetime),
                new("lagMinutes", "Отставание", ColumnType.Int), new("status", "Статус", ColumnType.Text)),
            (_, _) => new("""
                SELECT source, last_loaded_at AS lastLoadedAt, lag_minutes AS lagMinutes, status
                FROM bi.v_ops_freshness
                ORDER BY source
                """, new()));

        api.Table(group, "/health/runs", new ApiTable("health-runs",
                new("job", "Задача", ColumnType.Text), new("runId", "Запуск", ColumnType.Text),
                new("startedAt", "Начало", ColumnType.Datetime), new("finishedAt", "Окончание", ColumnType.Datetime),
                new("durationS", "Длительность", ColumnType.Int), new("status", "Статус", ColumnType.Text),
                new("rows", "Строк", ColumnType.Int), new("message", "Сообщение", ColumnType.Text)),
            (_, _) => new($$"""
                SELECT job, run_id AS runId, started_at AS startedAt, finished_at AS finishedAt, duration_s AS durationS, status,
                       rows_processed AS rows, message
                FROM bi.v_ops_job_runs
                ORDER BY started_at DESC, runId
                LIMIT {{Runs}}
                """, new()));

        api.Table(group, "/health/alerts", new ApiTable("health-alerts",
                new("status", "Состояние", ColumnType.Text), new("summary", "Что случилось", ColumnType.Text),
                new("startedAt", "С", ColumnType.Datetime), new("resolvedAt", "Решено", ColumnType.Datetime),
                new("notifications", "Отправлено", ColumnType.Int), new("lastError", "Ошибка доставки", ColumnType.Text)),
            (_, _) => new($$"""
                SELECT status, summary, started_at AS startedAt, resolved_at AS resolvedAt, notifications, last_error AS lastError
                FROM bi.v_ops_alerts
                WHERE status = 'firing' OR resolved_at >= now() - INTERVAL {{AlertHistory.RecentDays}} DAY
                ORDER BY status = 'firing' DESC, started_at DESC
                LIMIT {{Runs}}
                """, new()));

        api.Table(group, "/health/checks", new ApiTable("health-checks",
                new("check", "Проверка", ColumnType.Text), new("status", "Статус", ColumnType.Text), new("value", "Значение", ColumnType.Ratio),
                new("threshold", "Порог", ColumnType.Text), new("detail", "Подробности", ColumnType.Text), new("unit", "Единица", ColumnType.Text)),
            (_, _) => new("SELECT check, status, value, threshold, detail, unit FROM bi.v_ops_quality ORDER BY check", new()));
    }
}
