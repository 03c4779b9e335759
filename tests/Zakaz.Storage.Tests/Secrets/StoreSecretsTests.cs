namespace Zakaz.Storage.Tests.Secrets;

public sealed class StoreSecretsTests : IDisposable
{
    private const string Context = "zakaz.meta_oauth_tokens.access_token of https://ads.vk.com client 1";

    private readonly string _directory = Directory.CreateTempSubdirectory("zakaz-secrets-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_sealed_secret_opens_with_its_key_and_context_only_and_shows_nothing_of_itself()
    {
        var secrets = StoreSecrets.InDirectory(_directory);

        var sealedText = secrets.Seal("vk-access-token-123", Context);

        Assert.StartsWith(StoreSecrets.SealedPrefix, sealedText, StringComparison.Ordinal);
        Assert.DoesNotContain("vk-access-token-123", sealedText, StringComparison.Ordinal);
        Assert.NotEqual(sealedText, secrets.Seal("vk-access-token-123", Context));
        Assert.Equal(new OpenedSecret("vk-access-token-123", WasSealed: true), secrets.Open(sealedText, Context));
        Assert.Equal(new OpenedSecret("vk-access-token-123", WasSealed: true), StoreSecrets.InDirectory(_directory).Open(sealedText, Context));
        Assert.Contains("sealed with another key", Assert.Throws<StoreSecretsException>(() => secrets.Open(sealedText, "zakaz.meta_oauth_tokens.refresh_token")).Message, StringComparison.Ordinal);
        var otherKey = Assert.Throws<StoreSecretsException>(() => StoreSecrets.FromSetting(new string('x', 32)).Open(sealedText, Context));
        Assert.Equal($"The secret {Context} cannot be opened: it was sealed with another key than ZAKAZ_SECRETS_KEY. Restore the key that sealed it.", otherKey.Message);
    }

    [Fact]
    public void The_key_file_is_owner_only_and_made_only_when_a_secret_is_sealed()
    {
        var secrets = StoreSecrets.InDirectory(_directory);
        var path = Path.Combine(_directory, StoreSecrets.KeyFileName);
        Assert.False(File.Exists(path));

        secrets.Seal("x", Context);

        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void A_value_stored_in_clear_before_reads_as_it_is_and_says_so()
    {
        Assert.Equal(new OpenedSecret("0a1b2c", WasSealed: false), StoreSecrets.InDirectory(_directory).Open("0a1b2c", Context));
    }

    [Fact]
    public void A_server_store_without_a_key_or_with_a_short_one_says_what_to_set()
    {
        var missing = Assert.Throws<StoreSecretsException>(() => StoreSecrets.FromSetting(null).ThrowIfUnavailable());
        var tooShort = Assert.Throws<StoreSecretsException>(() => StoreSecrets.FromSetting("hunter2").Seal("x", Context));

        Assert.StartsWith("ZAKAZ_SECRETS_KEY is not set.", missing.Message, StringComparison.Ordinal);
        Assert.Contains("set ZAKAZ_SECRETS_KEY to a long random text (e.g. openssl rand -base64 32)", missing.Message, StringComparison.Ordinal);
        Assert.Equal("ZAKAZ_SECRETS_KEY has 7 characters; it needs at least 32 random ones (e.g. openssl rand -base64 32).", tooShort.Message);
        Assert.DoesNotContain("hunter2", tooShort.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_setting_seals_and_opens_across_processes()
    {
        const string Setting = "one deployment's long random secrets key text";
        var sealedText = StoreSecrets.FromSetting(Setting).Seal("refresh", Context);

        Assert.Equal("refresh", StoreSecrets.FromSetting(Setting).Open(sealedText, Context).Value);
    }
}
