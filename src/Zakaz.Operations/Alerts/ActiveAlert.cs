namespace Zakaz.Operations.Alerts;

/// <summary>
/// Something wrong that a rule found now: <paramref name="Title"/> says what in a few words, <paramref name="Detail"/>
/// the figures and since when, <paramref name="Advice"/> what to do; all three in Russian, as people read them.
/// </summary>
public sealed record ActiveAlert(string Rule, string Subject, DateTimeOffset Since, string Title, string Detail, string Advice)
{
    /// <summary>The alert's identity across evaluations and restarts.</summary>
    public string Key => $"{Rule}:{Subject}";

    public string Summary => $"{Title}. {Detail}";
}
