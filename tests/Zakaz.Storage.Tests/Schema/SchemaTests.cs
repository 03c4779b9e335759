using Zakaz.Storage.Migrations;
using Zakaz.Testing;

namespace Zakaz.Storage.Tests.Schema;

/// <summary>Every object of the data model exists after migrating, with the columns the spec lists (data-model.md, section 3).</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class SchemaTests(ZakazSchemaFixture schema)
{
    public static TheoryData<string, string[]> SpecifiedObjects() => new()
    {
        { "zakaz.stg_qtickets_api_orders_raw", ["order_id", "event_id", "payed", "payed_at", "created_at", "updated_at", "deleted_at", "sale_ts", "tickets_sold", "revenue", "refunded_amount", "currency", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "promo_code_id", "discount_id", "buyer_key", "payload_json", "_ver", "_loaded_at"] },
        { "zakaz.stg_qtickets_api_tickets_raw", ["basket_id", "order_id", "event_id", "show_id", "seat_id", "zone", "price", "original_price", "discount_value", "deleted_at", "refunded_at", "refunded_amount", "checked_at", "_ver"] },
        { "zakaz.dim_events", ["event_id", "event_name", "city", "city_id", "venue", "start_date", "end_date", "is_active", "deleted", "_ver", "_loaded_at"] },
        { "zakaz.dim_shows", ["show_id", "event_id", "start_ts", "finish_ts", "sale_start_ts", "sale_finish_ts", "deleted", "_ver"] },
        { "zakaz.stg_qtickets_api_inventory_raw", ["snapshot_ts", "event_id", "show_id", "city", "tickets_total", "tickets_left", "_ver"] },
        { "zakaz.fact_qtickets_inventory_latest", ["snapshot_ts", "event_id", "event_name", "city", "tickets_total", "tickets_left", "_ver"] },
        { "zakaz.fact_qtickets_sales_daily", ["sales_date", "event_id", "city", "orders", "tickets_sold", "revenue", "refunded_amount", "_ver"] },
        { "zakaz.fact_qtickets_sales_minutely", ["sales_date", "sale_minute", "event_id", "city", "orders", "tickets_sold", "revenue", "_ver"] },
        { "zakaz.fact_qtickets_sales_utm_daily", ["sales_date", "event_id", "city", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "orders", "tickets_sold", "revenue", "_ver"] },
        { "zakaz.stg_vk_ads_daily", ["stat_date", "account_id", "ad_plan_id", "ad_group_id", "banner_id", "impressions", "clicks", "spend", "goals", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "city", "event_id", "_ver", "_loaded_at"] },
        { "zakaz.dim_vk_ads_objects", ["object_type", "object_id", "name", "status", "ad_plan_id", "ad_group_id", "target_url", "_ver"] },
        { "zakaz.dm_vk_ads_daily", ["stat_date", "city", "event_id", "impressions", "clicks", "spend", "_ver"] },
        { "zakaz.stg_yandex_direct_daily", ["stat_date", "campaign_id", "ad_group_id", "ad_id", "impressions", "clicks", "spend", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "city", "event_id", "_ver", "_loaded_at"] },
        { "zakaz.dim_yandex_direct_objects", ["object_type", "object_id", "campaign_id", "ad_group_id", "name", "_ver"] },
        { "zakaz.dm_ads_daily", ["stat_date", "source", "city", "event_id", "campaign_id", "campaign_name", "utm_source", "utm_campaign", "impressions", "clicks", "spend", "_ver"] },
        { "zakaz.map_campaigns", ["source", "match_kind", "pattern", "city", "event_id", "priority"] },
        { "zakaz.plan_sales", ["sales_date", "event_id", "city", "plan_tickets", "plan_revenue"] },
        { "zakaz.dim_city_alias", ["alias", "city"] },
        { "zakaz.meta_job_runs", ["job", "run_id", "started_at", "finished_at", "status", "rows_processed", "message", "metrics"] },
        { "zakaz.meta_watermarks", ["source", "stream", "value", "updated_at"] },
        { "zakaz.meta_secrets", ["name", "value", "updated_at"] },
        { "zakaz.meta_alerts", ["at", "alert", "rule", "subject", "since", "event", "notice", "channel", "summary", "error"] },
        { "zakaz.meta_source_loads", ["source", "last_loaded_at", "last_loaded_ver", "last_data_ts", "last_run"] },
        { "zakaz.dm_ad_utm_sources", ["utm_source", "source", "spend", "_ver"] },
        { "zakaz.meta_filter_options", ["filter", "min_date", "max_date", "rebuilt_at", "_ver"] },
        { "zakaz.schema_migrations", ["version", "name", "checksum", "applied_at"] },
        { "bi.v_sales_daily", ["d", "city", "event_id", "event_name", "orders", "tickets_sold", "revenue", "avg_ticket_price"] },
        { "bi.v_ad_spend_daily", ["d", "source", "city", "event_id", "campaign_id", "campaign_name", "utm_source", "utm_campaign", "impressions", "clicks", "spend", "ctr", "cpc", "cpm"] },
        { "bi.v_vk_ads_daily", ["d", "city", "impressions", "clicks", "spend", "ctr", "cpc", "cpm"] },
        { "bi.v_marketing_roi_daily", ["d", "city", "revenue", "orders", "tickets_sold", "spend", "clicks", "impressions", "roas", "romi", "cpo", "cpt", "cpc"] },
        { "bi.v_romi_by_campaign", ["d", "source", "utm_campaign", "revenue", "orders", "spend", "roas", "romi", "cpo"] },
        { "bi.v_marketing_roi_by_event", ["d", "event_id", "event_name", "city", "revenue", "orders", "tickets_sold", "spend", "clicks", "impressions", "roas", "romi", "cpo", "cpt", "cpc"] },
        { "bi.v_event_inventory", ["event_id", "event_name", "city", "start_date", "end_date", "capacity", "sold", "left", "sell_through", "tickets_7d", "projected_sellout_date"] },
        { "bi.v_plan_vs_fact", ["d", "event_id", "city", "plan_tickets", "plan_revenue", "fact_tickets", "fact_revenue", "diff", "diff_pct"] },
        { "bi.v_ops_freshness", ["source", "last_loaded_at", "last_data_ts", "lag_minutes", "status"] },
        { "bi.v_sales_by_minute", ["d", "sale_minute", "event_id", "city", "orders", "tickets_sold", "revenue"] },
        { "bi.v_filter_dates", ["min_date", "max_date"] },
        { "bi.v_data_version", ["version", "loaded_at"] },
        { "bi.v_ops_alerts", ["alert", "rule", "subject", "status", "started_at", "resolved_at", "summary", "notifications", "failed_deliveries", "last_notified_at", "last_error"] },
        { "zakaz.v_qtickets_freshness", ["source", "last_loaded_at", "last_data_ts", "lag_minutes", "status"] },
    };

    [Theory]
    [MemberData(nameof(SpecifiedObjects))]
    public async Task Every_specified_object_exists_with_its_columns(string name, string[] columns)
    {
        var parts = name.Split('.');

        var actual = await schema.Store.QueryAsync(
            "SELECT name FROM system.columns WHERE database = {db:String} AND table = {table:String} ORDER BY position",
            new QueryParameters().Add("db", parts[0]).Add("table", parts[1]));

        var present = actual.Rows.Select(r => (string)r[0]!).ToHashSet();
        Assert.True(present.Count > 0, $"{name} does not exist");
        var missing = columns.Except(present).ToArray();
        Assert.True(missing.Length == 0, $"{name} lacks {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Migrating_again_applies_nothing_and_every_file_is_recorded()
    {
        var again = await new MigrationRunner(schema.Store, MigrationSet.Embedded()).MigrateAsync();
        var status = await new MigrationRunner(schema.Store, MigrationSet.Embedded()).GetStatusAsync();

        Assert.Empty(again.Migrations);
        Assert.All(status.Migrations, m => Assert.True(m.IsApplied && m.ChecksumMatches == true, m.Migration.FileName));
    }

    [Fact]
    public async Task Money_is_decimal_and_every_datetime_names_its_zone()
    {
        var columns = await schema.Store.QueryAsync("""
            SELECT table, name, type FROM system.columns
            WHERE database = 'zakaz' AND table NOT LIKE 'v\_%'
            """);

        var rows = columns.Rows.Select(r => (Table: (string)r[0]!, Name: (string)r[1]!, Type: (string)r[2]!)).ToArray();
        Assert.All(rows.Where(c => c.Type.Contains("DateTime", StringComparison.Ordinal)), c => Assert.Matches(@"DateTime(\(|64\(3, )'(Europe/Moscow|UTC)'\)", c.Type));
        Assert.All(rows.Where(c => c.Name is "revenue" or "price" or "spend" or "plan_revenue" or "refunded_amount" or "original_price"),
            c => Assert.Contains("Decimal(18, 2)", c.Type, StringComparison.Ordinal));
        Assert.DoesNotContain(rows, c => c.Type.Contains("Float", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("msk", "москва")]
    [InlineData("spb", "санкт-петербург")]
    [InlineData("ekb", "екатеринбург")]
    [InlineData("nsk", "новосибирск")]
    [InlineData("nnv", "нижний новгород")]
    [InlineData("kzn", "казань")]
    [InlineData("rostov", "ростов-на-дону")]
    [InlineData("екб", "екатеринбург")]
    [InlineData("питер", "санкт-петербург")]
    [InlineData("томск", "томск")]
    public async Task Common_city_codes_and_spellings_resolve(string alias, string city)
    {
        var result = await schema.Store.QueryAsync("SELECT city FROM zakaz.dim_city_alias FINAL WHERE alias = {alias:String}",
            new QueryParameters().Add("alias", alias));

        Assert.Equal(city, result.Scalar<string>());
    }
}
