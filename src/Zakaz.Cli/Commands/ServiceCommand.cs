using System.CommandLine;
using System.Diagnostics;
using System.Runtime.Versioning;
using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Service;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz service install|uninstall</c>: runs <c>zakaz serve</c> as a hardened systemd service. The global
/// --data and --env-file name the service's data directory and env file (defaults under /var/lib and /etc).
/// </summary>
internal static class ServiceCommand
{
    public static readonly Option<string?> User = CliOptions.Text("--user", "NAME", $"System user the service runs as, created when missing (default {ServiceFiles.DefaultUser})");
    public static readonly Option<string?> Root = CliOptions.Text("--root", "DIR", "Write every file under DIR instead of / and create no user (for tests and images)");
    public static readonly Option<bool> DryRun = CliOptions.Flag("--dry-run", "Print every file and command instead of writing or running anything");

    private const UnixFileMode ReadableDirectory = OwnerOnly.DirectoryMode
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const string NeedsLinux = "zakaz service is for Linux with systemd.";

    public static async Task<int> InstallAsync(CliContext context)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new UsageException(NeedsLinux);
        }
        var user = context.Get(User) ?? ServiceFiles.DefaultUser;
        if (!IsUserName(user))
        {
            throw new UsageException($"--user needs a system user name (lower-case letters, digits, '-' and '_'), not '{user}'.");
        }
        var files = new ServiceFiles(
            ExecStart(),
            user,
            AbsolutePath(context, ZakazCli.Data, ServiceFiles.DefaultDataDirectory),
            AbsolutePath(context, ZakazCli.EnvFile, ServiceFiles.DefaultEnvFile),
            ChDbLibrary.Locate(context.Options.Storage.ChDbLibrary));
        var target = new Target(context, context.Get(Root), context.Get(DryRun));

        foreach (var path in files.ExecStart.Append(files.ChDbLibrary).Where(p => Path.IsPathRooted(p) && UnderHome(p)))
        {
            context.Warn($"{path} is under a home directory, which ProtectHome=yes hides from the service: install the release under /opt (scripts/publish.sh) and chDB outside /home and /root (ZAKAZ_CACHE_DIR=/opt/zakaz/cache install-chdb.sh), then run this again.");
        }
        if (!File.Exists(files.ChDbLibrary))
        {
            context.Warn($"the chDB library {files.ChDbLibrary} does not exist yet; install it (install-chdb.sh, or set ZAKAZ_CHDB_LIBRARY) before starting the service.");
        }

        if (target.Root is null && !await target.UserExistsAsync(user))
        {
            await target.RunAsync("useradd", "--system", "--no-create-home", "--home-dir", files.DataDirectory, "--shell", "/usr/sbin/nologin", "--user-group", user);
        }
        target.CreateDirectory(files.DataDirectory, OwnerOnly.DirectoryMode, enforceMode: true);
        if (target.Root is null)
        {
            // "user:" is the user and its login group, whatever that group is called.
            await target.RunAsync("chown", $"{user}:", files.DataDirectory);
        }

        if (File.Exists(target.Local(files.EnvFile)))
        {
            await context.Out.WriteLineAsync($"Kept {files.EnvFile} as it is (an existing env file is never overwritten).");
        }
        else
        {
            // Its names are no secret; the user must reach the file inside (see the chown below).
            target.CreateDirectory(Path.GetDirectoryName(files.EnvFile)!, ReadableDirectory);
            target.WriteFile(files.EnvFile, ServiceFiles.EnvTemplate(), OwnerOnly.FileMode);
            if (target.Root is null)
            {
                // systemd reads it as root; owned by the user so that maintenance run as the user
                // (sudo -u zakaz zakaz --env-file ... db migrate) reads the same settings.
                await target.RunAsync("chown", $"{user}:", files.EnvFile);
            }
        }

        target.CreateDirectory(Path.GetDirectoryName(ServiceFiles.UnitPath)!, ReadableDirectory);
        target.WriteFile(ServiceFiles.UnitPath, files.Unit(), OwnerOnly.FileMode | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await context.Out.WriteLineAsync();
        await context.Out.WriteLineAsync($"Fill in {files.EnvFile}, then start the service and have it start at boot:");
        await context.Out.WriteLineAsync("  systemctl daemon-reload && systemctl enable --now zakaz");
        await context.Out.WriteLineAsync("Its log: journalctl -u zakaz -f");
        return ZakazCli.Ok;
    }

    public static async Task<int> UninstallAsync(CliContext context)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new UsageException(NeedsLinux);
        }
        var target = new Target(context, context.Get(Root), context.Get(DryRun));
        target.Delete(ServiceFiles.UnitPath);
        await context.Out.WriteLineAsync("The data directory, the env file and the user stay; remove them yourself if you mean to.");
        await context.Out.WriteLineAsync();
        // systemd keeps a removed unit loaded until the reload, so it can still stop it; disable then says the
        // unit file does not exist, yet removes the boot link all the same.
        await context.Out.WriteLineAsync("Stop the service, drop its start at boot and forget the unit:");
        await context.Out.WriteLineAsync("  systemctl disable --now zakaz; systemctl daemon-reload");
        return ZakazCli.Ok;
    }

    /// <summary>The program that runs this zakaz: its own executable, or dotnet with zakaz.dll when started as <c>dotnet zakaz.dll</c>.</summary>
    private static List<string> ExecStart()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("The path of the running zakaz is unknown.");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(ServiceCommand).Assembly.Location]
            : [process];
    }

    private static string AbsolutePath(CliContext context, Option<string?> option, string defaultPath)
    {
        var path = context.Given(option) && context.Get(option) is { Length: > 0 } given ? Path.GetFullPath(given) : defaultPath;
        // ReadWritePaths= and EnvironmentFile= split at spaces; a path with one would silently protect the wrong thing.
        return path.Any(char.IsWhiteSpace)
            ? throw new UsageException($"{option.Name} needs a path without spaces for the systemd unit, not '{path}'.")
            : path;
    }

    private static bool UnderHome(string path) =>
        path.StartsWith("/home/", StringComparison.Ordinal) || path.StartsWith("/root/", StringComparison.Ordinal) || path.StartsWith("/run/user/", StringComparison.Ordinal);

    private static bool IsUserName(string name) =>
        name.Length is > 0 and <= 32 && (char.IsAsciiLetterLower(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_');

    /// <summary>Where the files go: the system, a --root directory, or only the screen (--dry-run).</summary>
    [SupportedOSPlatform("linux")]
    private sealed class Target(CliContext context, string? root, bool dryRun)
    {
        public string? Root { get; } = root is null ? null : Path.GetFullPath(root);

        /// <summary>Where a system path is on this machine: under --root when given.</summary>
        public string Local(string path) => Root is null ? path : Path.Join(Root, path);

        /// <summary>Creates the directory with <paramref name="mode"/>; an existing one keeps its own unless <paramref name="enforceMode"/>.</summary>
        public void CreateDirectory(string path, UnixFileMode mode, bool enforceMode = false)
        {
            var local = Local(path);
            if (Directory.Exists(local) && !enforceMode)
            {
                return;
            }
            if (dryRun)
            {
                context.Out.WriteLine($"would run: mkdir -p {local} && chmod {OwnerOnly.Octal(mode)} {local}");
                return;
            }
            Directory.CreateDirectory(local, mode);
            // The umask may have narrowed the mode at creation; an existing data directory may be wider.
            File.SetUnixFileMode(local, mode);
        }

        public void WriteFile(string path, string content, UnixFileMode mode)
        {
            var local = Local(path);
            if (dryRun)
            {
                context.Out.WriteLine($"would write {local} (mode {OwnerOnly.Octal(mode)}):");
                context.Out.WriteLine(content);
                return;
            }
            // Created with its mode, so the env file is never readable by others, not even for a moment.
            using (var stream = new FileStream(local, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode }))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(content);
            }
            File.SetUnixFileMode(local, mode);
            context.Out.WriteLine($"Wrote {local}");
        }

        public void Delete(string path)
        {
            var local = Local(path);
            if (!File.Exists(local))
            {
                context.Out.WriteLine($"{local} is not there; nothing to remove.");
            }
            else if (dryRun)
            {
                context.Out.WriteLine($"would remove {local}");
            }
            else
            {
                File.Delete(local);
                context.Out.WriteLine($"Removed {local}");
            }
        }

        public async Task<bool> UserExistsAsync(string user) => await RunAsync(["id", "-u", user], quiet: true) == 0;

        public async Task RunAsync(params string[] command)
        {
            if (await RunAsync(command, quiet: false) is not 0 and var code)
            {
                throw new IOException($"{string.Join(' ', command)} failed with exit code {code}; run zakaz service install as root (sudo).");
            }
        }

        private async Task<int> RunAsync(string[] command, bool quiet)
        {
            if (dryRun && !quiet)
            {
                await context.Out.WriteLineAsync($"would run: {string.Join(' ', command)}");
                return 0;
            }
            var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = quiet, RedirectStandardError = quiet };
            foreach (var argument in command.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            await process.WaitForExitAsync();
            if (!quiet)
            {
                await context.Out.WriteLineAsync($"Ran: {string.Join(' ', command)}");
            }
            return process.ExitCode;
        }
    }
}
