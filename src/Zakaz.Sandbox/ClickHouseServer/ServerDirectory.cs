using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Xml.Linq;

namespace Zakaz.Sandbox.ClickHouseServer;

/// <summary>
/// The private directory of one server: config files, data, tmp and logs, plus pid files that let a later run
/// clean up after a test process that died without disposing its server.
/// </summary>
internal sealed class ServerDirectory
{
    public const string NamePrefix = "zakaz-clickhouse-";
    private const string OwnerPidFile = "owner.pid";
    private const string ServerPidFile = "server.pid";

    private ServerDirectory(string root) => Root = root;

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config.xml");
    public string UsersPath => Path.Combine(Root, "users.xml");
    public string ErrorLogPath => Path.Combine(Root, "log", "err.log");

    public static ServerDirectory Create(string tempRoot)
    {
        string root = Path.Combine(Path.GetFullPath(tempRoot),
            NamePrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" +
            RandomNumberGenerator.GetHexString(8, lowercase: true));
        Directory.CreateDirectory(root);
        var directory = new ServerDirectory(root);
        WritePid(Path.Combine(root, OwnerPidFile), Environment.ProcessId);
        foreach (string sub in new[] { "data", "tmp", "log" })
        {
            Directory.CreateDirectory(Path.Combine(root, sub));
        }

        return directory;
    }

    /// <summary>Writes config.xml for these ports and drops the error log of a failed previous attempt.</summary>
    public void PrepareAttempt(int httpPort, int tcpPort, LocalClickHouseServerOptions options)
    {
        File.Delete(ErrorLogPath);
        var config = new XElement("yandex",
            new XElement("logger",
                new XElement("level", options.LogLevel),
                new XElement("log", Path.Combine(Root, "log", "server.log")),
                new XElement("errorlog", ErrorLogPath),
                new XElement("console", 0)),
            new XElement("http_port", httpPort),
            new XElement("tcp_port", tcpPort),
            new XElement("listen_host", "127.0.0.1"),
            new XElement("path", Path.Combine(Root, "data") + "/"),
            new XElement("tmp_path", Path.Combine(Root, "tmp") + "/"),
            new XElement("users_config", UsersPath),
            new XElement("default_profile", "default"),
            new XElement("default_database", "default"),
            new XElement("timezone", options.Timezone),
            // The default mark cache is 5 GB; a test server needs a few MB.
            new XElement("mark_cache_size", 5368709),
            new XElement("keep_alive_timeout", (int)Math.Ceiling(options.KeepAliveTimeout.TotalSeconds)));
        config.Save(ConfigPath);
    }

    public void WriteUsers(string user, string password)
    {
        var users = new XElement("yandex",
            new XElement("profiles", new XElement("default")),
            new XElement("users", UserElement("default", ""), UserElement(user, password)),
            new XElement("quotas", new XElement("default")));
        users.Save(UsersPath);
    }

    public void RecordServerPid(int pid) => WritePid(Path.Combine(Root, ServerPidFile), pid);

    public string ReadErrorLogTail(int maxLines)
    {
        try
        {
            string[] lines = File.ReadAllLines(ErrorLogPath);
            return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - maxLines)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public void Delete()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>
    /// Kills servers whose owning test process is gone (killed, crashed) and removes their directories.
    /// A server is only killed when its command line names its own directory, so a reused pid is left alone.
    /// </summary>
    public static void SweepAbandoned(string tempRoot)
    {
        if (!Directory.Exists(tempRoot))
        {
            return;
        }

        foreach (string root in Directory.EnumerateDirectories(tempRoot, NamePrefix + "*"))
        {
            try
            {
                SweepIfAbandoned(root);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException
                                           or Win32Exception)
            {
                // Another process is sweeping or still creating it; the next start tries again.
            }
        }
    }

    private static void SweepIfAbandoned(string root)
    {
        int? owner = ReadPid(Path.Combine(root, OwnerPidFile));
        if (owner is null)
        {
            // Just created by a starting server and not yet stamped, or left by a crash long ago.
            if (DateTime.UtcNow - Directory.GetCreationTimeUtc(root) < TimeSpan.FromMinutes(1))
            {
                return;
            }
        }
        else if (IsAlive(owner.Value))
        {
            return;
        }

        if (ReadPid(Path.Combine(root, ServerPidFile)) is int server && CommandLineMentions(server, root))
        {
            using var process = Process.GetProcessById(server);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(5));
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>A zombie counts as dead: a killed test process can stay one when nothing reaps it (containers).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state letter follows the parenthesised command name, which may itself contain ") ".
            char state = stat[stat.LastIndexOf(')') + 2];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool CommandLineMentions(int pid, string root)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains(root, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int? ReadPid(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void WritePid(string path, int pid) =>
        File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture));

    private static XElement UserElement(string name, string password) =>
        new(name,
            new XElement("password", password),
            new XElement("networks", new XElement("ip", "::/0")),
            new XElement("profile", "default"),
            new XElement("quota", "default"));
}
