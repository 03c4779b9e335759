using System.CommandLine;
using System.Security.Cryptography;
using Zakaz.Cli.CommandLine;
using Zakaz.Storage;

namespace Zakaz.Cli.Commands;

/// <summary>
/// <c>zakaz db users</c>: ClickHouse users holding the roles of 0008_access.sql. Only a server has
/// users; on the embedded store the commands say so and change nothing.
/// </summary>
internal static class UsersCommand
{
    internal static readonly Argument<string> Name = CliOptions.Argument("name", "NAME");
    internal static readonly Option<string?> Role = CliOptions.Text("--role", "ROLE", "reader (SELECT on bi), writer (the pipeline) or backup");
    internal static readonly Option<string?> PasswordEnv = CliOptions.Text("--password-env", "VAR", $"Environment variable holding the password (default {DefaultPasswordVariable}); unset: a generated one is printed once");

    public const string EmbeddedNote =
        "chDB has no users or roles; the embedded store is only reachable by this process. Users matter on a ClickHouse server: use --clickhouse.";

    public const string DefaultPasswordVariable = "ZAKAZ_NEW_USER_PASSWORD";

    /// <summary>The --role words and the roles 0008_access.sql defines for them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Roles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reader"] = "zakaz_reader",
        ["writer"] = "zakaz_writer",
        ["backup"] = "zakaz_backup",
    };

    private const string PasswordAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    public static async Task<int> CreateAsync(CliContext context)
    {
        var name = context.Get(Name);
        CheckName(name);
        var roleWord = context.Get(Role) ?? throw new UsageException($"--role is required: {string.Join(", ", Roles.Keys)}.");
        var role = Roles.GetValueOrDefault(roleWord) ?? throw new UsageException($"--role '{roleWord}' is not one of {string.Join(", ", Roles.Keys)}.");
        if (!context.Options.Storage.UsesServer)
        {
            await context.Out.WriteLineAsync(EmbeddedNote);
            return ZakazCli.Ok;
        }

        var variable = context.Get(PasswordEnv) ?? DefaultPasswordVariable;
        var password = Environment.GetEnvironmentVariable(variable);
        if (password is { Length: 0 })
        {
            // Generating here would print a password where a script expected to supply one.
            throw new UsageException($"{variable} is set but empty: set the password in it, or unset it to have one generated.");
        }
        var generated = password is null;
        password ??= RandomNumberGenerator.GetString(PasswordAlphabet, 32);

        await using var store = context.OpenStore();
        foreach (var statement in CreateStatements(name, role, password))
        {
            try
            {
                await store.ExecuteAsync(statement);
            }
            catch (ClickHouseException e) when (e.ServerMessage.Contains(password, StringComparison.Ordinal))
            {
                // A server message may quote the statement, and the statement holds the password.
                throw new ClickHouseException(e.Code, e.ServerMessage.Replace(password, "***", StringComparison.Ordinal), e.QueryId);
            }
        }
        await context.Out.WriteLineAsync($"User {name} on {store.Location} has role {role} as its default role.");
        await context.Out.WriteLineAsync(generated
            ? $"Generated password (shown only now, store it): {password}"
            : $"Password taken from {variable}.");
        return ZakazCli.Ok;
    }

    public static async Task<int> ListAsync(CliContext context)
    {
        if (!context.Options.Storage.UsesServer)
        {
            await context.Out.WriteLineAsync(EmbeddedNote);
            return ZakazCli.Ok;
        }
        await using var store = context.OpenStore();
        var users = await store.QueryAsync("SELECT name, arrayStringConcat(default_roles_list, ', ') AS roles FROM system.users ORDER BY name");
        var width = Math.Max("name".Length, Enumerable.Range(0, users.Rows.Count).Select(i => users.Get<string>(i, "name").Length).DefaultIfEmpty().Max());
        await context.Out.WriteLineAsync($"{"name".PadRight(width)}  default roles");
        for (var i = 0; i < users.Rows.Count; i++)
        {
            await context.Out.WriteLineAsync($"{users.Get<string>(i, "name").PadRight(width)}  {users.Get<string>(i, "roles")}");
        }
        return ZakazCli.Ok;
    }

    /// <summary>
    /// The statements that create the user or, when it exists, set its password (so running the
    /// command again rotates it), and leave it with exactly <paramref name="role"/> of Zakaz's roles.
    /// Access-management statements take no query parameters, so the name is quoted as an
    /// identifier and the password as a string literal.
    /// </summary>
    public static IReadOnlyList<string> CreateStatements(string name, string role, string password)
    {
        CheckName(name);
        if (!Roles.Values.Contains(role))
        {
            throw new ArgumentException($"'{role}' is not one of Zakaz's roles.", nameof(role));
        }
        var user = StoreIdentifiers.Quote(name);
        var secret = SqlText.QuoteString(password);
        // A user moved to another role must lose the old one, or re-creating a writer as a reader keeps its writes.
        var others = string.Join(", ", Roles.Values.Where(r => r != role));
        return
        [
            $"CREATE USER IF NOT EXISTS {user} IDENTIFIED WITH sha256_password BY {secret}",
            $"ALTER USER {user} IDENTIFIED WITH sha256_password BY {secret}",
            $"REVOKE {others} FROM {user}",
            $"GRANT {role} TO {user}",
            $"SET DEFAULT ROLE {role} TO {user}",
        ];
    }

    // StoreIdentifiers.Quote reads a dot as database.table, and control characters make names
    // nobody can type into a BI tool's login form.
    private static void CheckName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('.', StringComparison.Ordinal) || name.Any(char.IsControl))
        {
            throw new UsageException("A user name must be non-empty, without dots or control characters.");
        }
    }
}
