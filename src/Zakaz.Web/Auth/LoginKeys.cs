using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption;
using Microsoft.AspNetCore.DataProtection.AuthenticatedEncryption.ConfigurationModel;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zakaz.Storage;

namespace Zakaz.Web.Auth;

/// <summary>
/// Where the Data Protection keys that seal login cookies come from, so a restart keeps people logged
/// in: derived from a configured secret (ZAKAZ_DASHBOARD_SESSION_KEY, any long random text; every
/// instance behind one address must share it), or kept owner-only in <see cref="DirectoryName"/> of the
/// embedded store's data directory; otherwise they live as long as the process.
/// </summary>
public static class LoginKeys
{
    public const string DirectoryName = "dashboard-keys";

    /// <summary>Shorter configured secrets (the session key, the API token) are refused: they could be guessed.</summary>
    public const int MinSecretLength = 32;

    /// <summary>Throws <see cref="DashboardConfigurationException"/> when a configured <paramref name="secret"/> is too short.</summary>
    internal static void RequireLong(string? secret, string setting, string example)
    {
        if (secret is { Length: > 0 and < MinSecretLength })
        {
            throw new DashboardConfigurationException(
                $"{setting} is {secret.Length} characters long; it must have at least {MinSecretLength} random ones (e.g. {example}).");
        }
    }

    internal static void AddTo(IServiceCollection services, DashboardOptions options)
    {
        // One name for every copy of the app, wherever it is installed (the default is the content root path).
        var protection = services.AddDataProtection().SetApplicationName("zakaz");
        if (!string.IsNullOrEmpty(options.SessionSecret))
        {
            var ring = new SecretKeyRing(options.SessionSecret);
            protection.DisableAutomaticKeyGeneration();
            services.Configure<KeyManagementOptions>(o => o.XmlRepository = ring);
        }
        else if (options.StateDirectory is { } directory)
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(provider => new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlRepository = new OwnerOnlyKeyDirectory(Path.Combine(directory, DirectoryName), provider.GetRequiredService<ILoggerFactory>())));
        }
        else
        {
            protection.UseEphemeralDataProtectionProvider();
        }
    }

    /// <summary>The framework's key files, in a directory only the owner may enter, each file owner-only too.</summary>
    private sealed class OwnerOnlyKeyDirectory(string path, ILoggerFactory loggers) : FileSystemXmlRepository(CreateOwnerOnly(path), loggers)
    {
        public override void StoreElement(XElement element, string friendlyName)
        {
            base.StoreElement(element, friendlyName);
            if (!OperatingSystem.IsWindows())
            {
                foreach (var file in Directory.EnumerateFiles())
                {
                    file.UnixFileMode = OwnerOnly.FileMode;
                }
            }
        }

        private static DirectoryInfo CreateOwnerOnly(string path) =>
            OperatingSystem.IsWindows() ? System.IO.Directory.CreateDirectory(path) : System.IO.Directory.CreateDirectory(path, OwnerOnly.DirectoryMode);
    }

    /// <summary>
    /// A key ring of one key derived from the configured secret, so instances and restarts that share the
    /// secret share the key without sharing files. Data Protection has no such mode of its own: this hands
    /// it the key in its own XML form, made by its own descriptor.
    /// </summary>
    private sealed class SecretKeyRing : IXmlRepository
    {
        private static readonly DateTimeOffset Since = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset Until = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

        private readonly XElement _key;

        public SecretKeyRing(string secret)
        {
            var master = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 64, info: "zakaz dashboard sessions"u8.ToArray());
            var descriptor = new AuthenticatedEncryptorDescriptor(new AuthenticatedEncryptorConfiguration(), new Secret(master)).ExportToXml();
            _key = new XElement("key",
                new XAttribute("id", new Guid(SHA256.HashData(master).AsSpan(0, 16))),
                new XAttribute("version", 1),
                new XElement("creationDate", Since),
                new XElement("activationDate", Since),
                new XElement("expirationDate", Until),
                new XElement("descriptor", new XAttribute("deserializerType", descriptor.DeserializerType.AssemblyQualifiedName!), descriptor.SerializedDescriptorElement));
        }

        public IReadOnlyCollection<XElement> GetAllElements() => [new XElement(_key)];

        public void StoreElement(XElement element, string friendlyName) =>
            throw new InvalidOperationException("The login key of ZAKAZ_DASHBOARD_SESSION_KEY is derived from it, never stored.");
    }
}
