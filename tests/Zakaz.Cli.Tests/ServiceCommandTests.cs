using System.Diagnostics;
using System.Runtime.Versioning;
using Zakaz.Configuration;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz service install|uninstall</c> into a temporary root, the unit checked by systemd's own verifier.</summary>
[UnsupportedOSPlatform("windows")]
public class ServiceCommandTests
{
    private const string Unit = "etc/systemd/system/zakaz.service";
    private const string EnvFile = "etc/zakaz/zakaz.env";
    private const string Data = "var/lib/zakaz";

    [Fact]
    public async Task Install_writes_a_unit_systemd_analyze_verify_accepts_an_owner_only_env_file_and_the_data_directory()
    {
        var root = NewRoot();

        var install = await ZakazProcess.RunAsync("service", "install", "--root", root);

        Assert.True(install.ExitCode == 0, install.Error);
        Assert.Contains("systemctl daemon-reload && systemctl enable --now zakaz", install.Output, StringComparison.Ordinal);
        var unit = await File.ReadAllTextAsync(Path.Combine(root, Unit));
        foreach (var line in new[]
        {
            "User=zakaz", "EnvironmentFile=/etc/zakaz/zakaz.env", "WorkingDirectory=/var/lib/zakaz", "ReadWritePaths=/var/lib/zakaz",
            "Environment=ZAKAZ_DATA_DIR=/var/lib/zakaz", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
            "ProtectHome=yes", "PrivateTmp=yes", "CapabilityBoundingSet=",
        })
        {
            Assert.Contains(line, unit.Split('\n'));
        }
        // The unit runs this very zakaz (dotnet and zakaz.dll under the tests), so verify finds a real executable.
        Assert.Matches(@"(?m)^ExecStart=\S*dotnet \S*zakaz\.dll serve$", unit);

        var (verifyCode, verifyOutput) = await SystemdAnalyzeAsync("verify", Path.Combine(root, Unit));
        // verify exits 0 even for unknown keys and bad values, which it reports and ignores: its output must be empty too.
        Assert.True(verifyCode == 0 && verifyOutput.Length == 0, verifyOutput);
        // systemd's own rating of the sandbox, 0 (locked down) to 10 (none), at most 2.0 (the threshold is in tenths): the unit
        // scores 1.5; losing ProtectSystem= and CapabilityBoundingSet= alone would make it 3.5.
        var (securityCode, securityOutput) = await SystemdAnalyzeAsync("security", "--offline=true", "--threshold=20", Path.Combine(root, Unit));
        Assert.True(securityCode == 0, securityOutput);

        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(Path.Combine(root, EnvFile)));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.Combine(root, Data)));
    }

    [Fact]
    public async Task A_second_install_keeps_the_env_file_someone_filled_in_and_rewrites_the_unit()
    {
        var root = NewRoot();
        Assert.Equal(0, (await ZakazProcess.RunAsync("service", "install", "--root", root)).ExitCode);
        var envFile = Path.Combine(root, EnvFile);
        await File.WriteAllTextAsync(envFile, "QTICKETS_TOKEN=filled-in-by-hand\n");
        await File.WriteAllTextAsync(Path.Combine(root, Unit), "stale");

        var again = await ZakazProcess.RunAsync("service", "install", "--root", root);

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Equal("QTICKETS_TOKEN=filled-in-by-hand\n", await File.ReadAllTextAsync(envFile));
        Assert.Contains("ExecStart=", await File.ReadAllTextAsync(Path.Combine(root, Unit)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_prints_the_files_and_writes_nothing()
    {
        var root = NewRoot();

        var dryRun = await ZakazProcess.RunAsync("service", "install", "--root", root, "--dry-run");

        Assert.True(dryRun.ExitCode == 0, dryRun.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
        Assert.Contains("ProtectSystem=strict", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains("#QTICKETS_TOKEN=", dryRun.Output, StringComparison.Ordinal);
        Assert.Contains($"would write {Path.Combine(root, Unit)}", dryRun.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_and_env_file_options_move_the_service_and_uninstall_removes_only_the_unit()
    {
        var root = NewRoot();
        var install = await ZakazProcess.RunAsync(["--data", "/srv/zakaz", "--env-file", "/etc/zakaz/prod.env", "service", "install", "--root", root, "--user", "promoter"],
            new Dictionary<string, string?> { ["ZAKAZ_CHDB_LIBRARY"] = "/home/someone/libchdb.so" });
        Assert.True(install.ExitCode == 0, install.Error);
        var unit = await File.ReadAllTextAsync(Path.Combine(root, Unit));
        // The library the service will load is the one this install was told of, and one it cannot see is said so.
        Assert.Contains("Environment=ZAKAZ_CHDB_LIBRARY=/home/someone/libchdb.so", unit.Split('\n'));
        Assert.Contains("zakaz: warning: /home/someone/libchdb.so is under a home directory, which ProtectHome=yes hides", install.Error, StringComparison.Ordinal);
        Assert.Contains("zakaz: warning: the chDB library /home/someone/libchdb.so does not exist yet", install.Error, StringComparison.Ordinal);
        Assert.Contains("ReadWritePaths=/srv/zakaz", unit.Split('\n'));
        Assert.Contains("EnvironmentFile=/etc/zakaz/prod.env", unit.Split('\n'));
        Assert.Contains("User=promoter", unit.Split('\n'));
        await File.WriteAllTextAsync(Path.Combine(root, "srv/zakaz/kept.txt"), "data");

        var uninstall = await ZakazProcess.RunAsync("service", "uninstall", "--root", root);

        Assert.True(uninstall.ExitCode == 0, uninstall.Error);
        Assert.Contains("systemctl disable --now zakaz", uninstall.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, Unit)));
        Assert.True(File.Exists(Path.Combine(root, "srv/zakaz/kept.txt")));
        Assert.True(File.Exists(Path.Combine(root, "etc/zakaz/prod.env")));
    }

    [Fact]
    public void The_env_template_lists_only_settings_zakaz_reads_none_filled_in()
    {
        var template = Service.ServiceFiles.EnvTemplate();
        var settings = template.Split('\n').Where(l => l.StartsWith("#", StringComparison.Ordinal) && l.EndsWith('=') && !l.Contains(' ', StringComparison.Ordinal)).ToList();

        Assert.Contains("#ZAKAZ_DASHBOARD_PASSWORD_HASH=", settings);
        Assert.All(settings, s => Assert.NotNull(ConfigurationKeys.FindByEnvironmentVariable(s[1..^1])));
        Assert.DoesNotContain(template.Split('\n'), l => l.Length > 0 && !l.StartsWith("#", StringComparison.Ordinal));
    }

    private static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "zakaz-service-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        return root;
    }

    private static async Task<(int ExitCode, string Output)> SystemdAnalyzeAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output + await error).Trim());
    }
}
