using System.Security.Cryptography;
using Zakaz.Configuration;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// The buyer-key HMAC secret: the configured one, or else one generated per store (so no two deployments share
/// one) and kept in meta_secrets, sealed with the store's key (<see cref="StoreSecrets"/>), out of BI readers' reach.
/// It must never change for a store, or the same buyer gets another buyer_key and unique-buyer counts double.
/// A dry run that finds none uses a throw-away key, since it writes nothing.
/// </summary>
internal sealed class BuyerKeySecret(IClickHouseStore store, QticketsOptions options, TimeProvider? time)
{
    private const string Name = "buyer_key_secret";

    private readonly GeneratedSecrets _secrets = new(store, time);

    public async Task<byte[]> ReadAsync(bool dryRun, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.BuyerKeySecret))
        {
            var configured = Encoding.UTF8.GetBytes(options.BuyerKeySecret);
            return configured.Length >= 16
                ? configured
                : throw new ConfigurationException("ZAKAZ_BUYER_KEY_SECRET (Qtickets:BuyerKeySecret) must be at least 16 bytes long.");
        }
        if (await _secrets.ReadAsync(Name, readOnly: dryRun, cancellationToken) is { } stored)
        {
            return Convert.FromHexString(stored);
        }
        var generated = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (dryRun)
        {
            return Convert.FromHexString(generated);
        }
        await _secrets.WriteAsync(Name, generated, cancellationToken);
        // Two first writers at once each write one; FINAL keeps a single winner and both use it.
        return Convert.FromHexString(await _secrets.ReadAsync(Name, readOnly: false, cancellationToken) ?? generated);
    }
}
