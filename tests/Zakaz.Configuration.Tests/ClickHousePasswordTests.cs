using System.Runtime.Versioning;

namespace Zakaz.Configuration.Tests;

/// <summary>The ClickHouse password kept off the command line, where ps shows it to every local user.</summary>
public sealed class ClickHousePasswordTests : IDisposable
{
    private const string Password = "s3cret-pa55";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_password_in_a_command_line_url_works_and_warns_once_elsewhere_it_is_quiet()
    {
        var onCommandLine = _dir.Load(flags: new() { ["--clickhouse"] = $"http://zakaz:{Password}@db:8123/zakaz" });
        var inEnvironment = _dir.Load(environment: new() { ["CLICKHOUSE_URL"] = $"http://zakaz:{Password}@db:8123/zakaz" });
        var withoutPassword = _dir.Load(flags: new() { ["--clickhouse"] = "http://zakaz@db:8123/zakaz" }, environment: new() { ["CLICKHOUSE_PASSWORD"] = Password });

        Assert.Equal(
            "the password in --clickhouse is visible to every local user (ps); leave it out of the URL and give it in CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE",
            Assert.Single(onCommandLine.Warnings));
        Assert.DoesNotContain(Password, onCommandLine.Warnings[0], StringComparison.Ordinal);
        Assert.Empty(inEnvironment.Warnings);
        Assert.Empty(withoutPassword.Warnings);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void The_password_file_gives_the_password_and_an_owner_only_file_is_quiet()
    {
        var file = _dir.Write("ch-password", Password + "\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var byFlag = _dir.Load(flags: new() { ["--clickhouse-password-file"] = file });
        var byVariable = _dir.Load(environment: new() { ["CLICKHOUSE_PASSWORD_FILE"] = "ch-password" });

        Assert.Equal(Password, byFlag.Options.Storage.Password);
        Assert.Equal(Password, byVariable.Options.Storage.Password);
        Assert.Empty(byFlag.Warnings);
        Assert.DoesNotContain(Password, byFlag.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void A_password_file_others_can_read_is_used_with_a_warning_naming_it_and_its_mode()
    {
        var file = _dir.Write("ch-password", Password);
        File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);

        var loaded = _dir.Load(flags: new() { ["--clickhouse-password-file"] = file }, environment: new() { ["CLICKHOUSE_PASSWORD"] = "other" });

        Assert.Equal(Password, loaded.Options.Storage.Password);
        Assert.Equal(
        [
            $"--clickhouse-password-file '{file}' (from command line) has mode 0644: other local users can read the password; chmod 600 {file}",
            "CLICKHOUSE_PASSWORD (environment) is ignored: --clickhouse-password-file (command line) is set and the file wins",
        ], loaded.Warnings);
    }

    [Fact]
    public void A_missing_or_empty_password_file_stops_loading_with_its_name()
    {
        var empty = _dir.Write("empty", "\n");

        var missing = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new() { ["CLICKHOUSE_PASSWORD_FILE"] = "nope" }));
        var blank = Assert.Throws<ConfigurationException>(() => _dir.Load(flags: new() { ["--clickhouse-password-file"] = empty }));

        Assert.StartsWith("cannot read CLICKHOUSE_PASSWORD_FILE 'nope' (from environment): ", missing.Message, StringComparison.Ordinal);
        Assert.Equal($"--clickhouse-password-file '{empty}' (from command line) is empty; it should hold the ClickHouse password", blank.Message);
    }
}
