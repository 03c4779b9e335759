using System.Runtime.Versioning;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Cli.Tests;

/// <summary>What a local user other than the operator can read of a store: nothing in its data directory, no token or key in its tables.</summary>
[UnsupportedOSPlatform("windows")]
public class SecretsAtRestTests
{
    private const UnixFileMode GroupAndOthers = (UnixFileMode)0b000_111_111;

    private static readonly string Fixtures = Path.Combine(SyncCommandTests.RepositoryRoot(), "tests", "Zakaz.Sources.Qtickets.Tests", "Fixtures");

    [Fact]
    public async Task The_data_directory_and_every_file_the_syncs_add_stay_owner_only_and_wider_ones_are_fixed_with_one_warning()
    {
        // A store an earlier version left open to every local user, run under the usual umask 022.
        var data = ZakazProcess.NewDataDirectory();
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        var notes = Path.Combine(data, "notes.txt");
        await File.WriteAllTextAsync(notes, "left here by hand");
        File.SetUnixFileMode(notes, (UnixFileMode)0b110_100_100);
        await using var vkAds = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 200, Anchor = new DateTimeOffset(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3)) });

        var migrate = await ZakazProcess.RunAsync(["--data", data, "db", "migrate"], launcher: ZakazProcess.UnderUmask("022"));
        var qtickets = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--since", "2025-10-01"], launcher: ZakazProcess.UnderUmask("022"));
        var vkStarted = DateTime.UtcNow;
        var vk = await ZakazProcess.RunAsync(["--data", data, "sync", "vk-ads", "--from", "2025-03-01", "--to", "2025-03-31"], new Dictionary<string, string?>
        {
            ["VK_ADS_BASE_URL"] = vkAds.BaseUrl.ToString(),
            ["VK_ADS_CLIENT_ID"] = vkAds.ClientId,
            ["VK_ADS_CLIENT_SECRET"] = vkAds.ClientSecret,
        }, launcher: ZakazProcess.UnderUmask("022"));
        var secrets = await ZakazProcess.RunAsync(["--data", data, "query", """
            SELECT access_token, refresh_token FROM zakaz.meta_oauth_tokens
            UNION ALL SELECT value, '' FROM zakaz.meta_secrets WHERE name = 'buyer_key_secret'
            """, "--format", "TSV"], launcher: ZakazProcess.UnderUmask("022"));

        Assert.Equal((0, 0, 0, 0), (migrate.ExitCode, qtickets.ExitCode, vk.ExitCode, secrets.ExitCode));
        Assert.Equal(
            $"zakaz: warning: {data} had mode 0755, open to other local users, and so had 1 more path(s) in {data}; made owner-only (0700 for directories, 0600 for files)",
            Assert.Single(migrate.ErrorLines, l => l.StartsWith("zakaz: warning:", StringComparison.Ordinal)));
        Assert.DoesNotContain("warning", qtickets.Error + vk.Error + secrets.Error, StringComparison.Ordinal);
        // Every directory and file, including the parts the syncs wrote after the store was opened; chDB's links are not files.
        var entries = new DirectoryInfo(data).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Where(e => e.LinkTarget is null).Prepend(new DirectoryInfo(data)).ToList();
        Assert.Contains(entries, e => e.Name == "data.bin" && e.LastWriteTimeUtc >= vkStarted);
        Assert.Empty(entries.Where(e => (e.UnixFileMode & GroupAndOthers) != 0).Select(e => $"{e.FullName} {Convert.ToString((int)e.UnixFileMode, 8)}"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "secrets.key")));
        // The VK Ads tokens and the generated buyer-key secret are sealed: a reader of the tables gets nothing usable.
        var values = secrets.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(line => line.Split('\t')).Where(v => v.Length > 0).ToList();
        Assert.Equal(3, values.Count);
        Assert.All(values, v => Assert.StartsWith("sealed:v1:", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_on_a_server_store_without_its_secrets_key_says_what_to_set_before_it_starts()
    {
        var run = await ZakazProcess.RunAsync(["--clickhouse", "http://zakaz@127.0.0.1:9/zakaz", "serve", "--open"], new Dictionary<string, string?>
        {
            ["VK_ADS_CLIENT_ID"] = "vk-id",
            ["VK_ADS_CLIENT_SECRET"] = "vk-secret",
        });

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("zakaz: error: ZAKAZ_SECRETS_KEY is not set.", line, StringComparison.Ordinal);
        Assert.Contains("set ZAKAZ_SECRETS_KEY to a long random text (e.g. openssl rand -base64 32)", line, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }
}
