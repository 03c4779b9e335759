namespace Zakaz.Sandbox.Qtickets;

internal sealed record Person(string Name, string? Middlename, string? Surname, string Email, string Phone);

/// <summary>
/// Personal data and capability secrets, derived on demand from ids instead of stored: they are the bulk of an
/// order's text, and the connector must scrub them, so they only have to look real. Everything is invented.
/// </summary>
internal static class PersonalData
{
    private const string UniqidAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>The buyer behind <c>client_id</c>; about one in twenty has no surname, as in real data.</summary>
    public static Person Client(int seed, int clientId) =>
        Invent(SandboxRandom.For(seed, SandboxRandom.Purpose.People, clientId), clientId);

    /// <summary>Someone the buyer bought a ticket for, keyed by the basket.</summary>
    public static Person Companion(int seed, int basketId) =>
        Invent(SandboxRandom.For(seed, SandboxRandom.Purpose.Companions, basketId), 900_000 + basketId % 100_000);

    /// <summary>The 10-character public order code.</summary>
    public static string Uniqid(int seed, int orderId)
    {
        var random = SandboxRandom.For(seed, SandboxRandom.Purpose.Secrets, orderId);
        return string.Create(10, random, static (span, state) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = UniqidAlphabet[state.Next(UniqidAlphabet.Length)];
            }
        });
    }

    /// <summary>32 hex characters, the token part of ticket and cancel URLs.</summary>
    public static string UrlToken(int seed, long key) =>
        SandboxRandom.Hash(seed, SandboxRandom.Purpose.Secrets, key).ToString("x16", CultureInfo.InvariantCulture) +
        SandboxRandom.Hash(seed, SandboxRandom.Purpose.Secrets, ~key).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>A 12-digit barcode, unique per basket (an odd multiplier permutes the ten-digit range).</summary>
    public static string Barcode(int seed, int basketId) =>
        "87" + (((ulong)basketId * 7_919_993UL + (ulong)(uint)seed * 104_729UL) % 10_000_000_000UL)
            .ToString("D10", CultureInfo.InvariantCulture);

    /// <summary>A masked card number; some banks mask eight digits.</summary>
    public static string CardNumber(int seed, int orderId)
    {
        ulong hash = SandboxRandom.Hash(seed, SandboxRandom.Purpose.Secrets, -orderId);
        string last = (hash % 10_000).ToString("D4", CultureInfo.InvariantCulture);
        return (hash >> 20 & 3) switch
        {
            0 => "220000******" + last,
            1 => "400000******" + last,
            2 => "510000******" + last,
            _ => "220220********" + last,
        };
    }

    private static Person Invent(SandboxRandom random, int number)
    {
        bool female = random.Chance(0.5);
        int first = random.Next(Catalog.FirstNames.Count);
        string name = Gendered(Catalog.FirstNames[first], female);
        string? surname = random.Chance(0.05) ? null : Gendered(random.Pick(Catalog.Surnames), female);
        string? middlename = random.Chance(0.3) ? Gendered(random.Pick(Catalog.Patronymics), female) : null;
        string email = Gendered(Catalog.FirstNamesLatin[first], female) + "." +
            number.ToString(CultureInfo.InvariantCulture) + "@" + random.Pick(Catalog.MailDomains);
        string phone = "+7999" + (number % 10_000_000).ToString("D7", CultureInfo.InvariantCulture);
        return new Person(name, middlename, surname, email, phone);
    }

    private static string Gendered((string Male, string Female) pair, bool female) => female ? pair.Female : pair.Male;
}
