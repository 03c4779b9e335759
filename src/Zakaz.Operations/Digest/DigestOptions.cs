namespace Zakaz.Operations.Digest;

/// <summary>When <c>zakaz serve</c> sends the morning digest (ZAKAZ_DIGEST_TIME, Moscow time).</summary>
public sealed class DigestOptions
{
    public TimeOnly Time { get; set; } = new(9, 0);
}
