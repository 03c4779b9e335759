namespace Zakaz.Configuration.Tests;

/// <summary>The nightly reconcile's time of day and reach.</summary>
public sealed class ReconcileSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(null, "04:00:00")]
    [InlineData("03:30", "03:30:00")]
    [InlineData("4:05", "04:05:00")]
    [InlineData("23:59:45", "23:59:45")]
    public void The_reconcile_time_reads_HH_mm_or_HH_mm_ss(string? value, string expected)
    {
        var environment = value is null ? new Dictionary<string, string>() : new() { ["ZAKAZ_SCHEDULE_RECONCILE_TIME"] = value };

        var options = _dir.Load(environment: environment).Options;

        Assert.Equal(TimeOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), options.Dashboard.ReconcileTime);
        Assert.Equal(45, options.Qtickets.ReconcileDays);
    }

    [Theory]
    [InlineData("ZAKAZ_SCHEDULE_RECONCILE_TIME", "4am", "is not a time of day as HH:mm or HH:mm:ss (e.g. 04:00)")]
    [InlineData("ZAKAZ_SCHEDULE_RECONCILE_TIME", "24:00", "is not a time of day as HH:mm or HH:mm:ss (e.g. 04:00)")]
    [InlineData("QTICKETS_RECONCILE_DAYS", "-1", "must be between 0 and 3660")]
    public void A_bad_value_says_what_is_allowed(string name, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new() { [name] = value }));

        Assert.Equal($"{name}='{value}' {problem} (from environment)", error.Message);
    }
}
