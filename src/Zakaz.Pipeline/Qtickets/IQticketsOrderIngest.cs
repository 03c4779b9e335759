using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>Stores one order as received and brings the facts of its sale dates up to date.</summary>
public interface IQticketsOrderIngest
{
    /// <summary>
    /// Returns once the order and the facts are committed: true when it was applied, false when the
    /// store already holds a newer version of it (a late or repeated delivery), which changes nothing.
    /// </summary>
    Task<bool> IngestAsync(QticketsOrder order, CancellationToken cancellationToken);
}
