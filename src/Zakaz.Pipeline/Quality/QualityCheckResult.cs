namespace Zakaz.Pipeline.Quality;

public enum QualityStatus
{
    Ok,

    /// <summary>Nothing to measure yet (a source that never loaded): passes, so an empty store is healthy.</summary>
    NoData,

    Fail,
}

/// <summary>
/// One check's verdict: the measured value in <paramref name="Unit"/> (null when there is nothing to
/// measure), the limit it is held to, and a sentence saying what was found.
/// </summary>
public sealed record QualityCheckResult(string Check, decimal? Value, string Unit, string Threshold, QualityStatus Status, string Detail)
{
    public bool Failed => Status == QualityStatus.Fail;

    /// <summary>The status as printed and stored: ok, no_data or fail.</summary>
    public string StatusWord => Status switch
    {
        QualityStatus.Ok => "ok",
        QualityStatus.NoData => "no_data",
        _ => "fail",
    };
}
