using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox;

/// <summary>
/// How the ad sandboxes spread a campaign's budget: over the days of its run by seeded day weights, every ad taking its
/// weight's share of each day, in whole kopecks.
/// </summary>
internal sealed class DailyBudget
{
    private readonly decimal _budget;
    private readonly double _totalWeight;
    private readonly double[] _dayWeights;
    private readonly double _dayTotal;

    /// <param name="totalWeight">The sum of the weights of the campaign's ads.</param>
    /// <param name="baseWeight">The least a day weighs; a seeded share of <paramref name="busyness"/> comes on top.</param>
    /// <param name="busyness">How much a day may weigh beyond <paramref name="baseWeight"/>.</param>
    public DailyBudget(decimal budget, double totalWeight, DateOnly from, DateOnly to, double baseWeight, Func<DateOnly, double> busyness,
        ref SandboxRandom random)
    {
        _budget = budget;
        _totalWeight = totalWeight;
        _dayWeights = new double[Math.Max(0, to.DayNumber - from.DayNumber + 1)];
        for (int d = 0; d < _dayWeights.Length; d++)
        {
            _dayWeights[d] = baseWeight + random.NextDouble() * busyness(from.AddDays(d));
        }
        _dayTotal = _dayWeights.Sum();
    }

    public int Days => _dayWeights.Length;

    /// <summary>What an ad of <paramref name="weight"/> spends on the <paramref name="day"/>-th day (0 is the first).</summary>
    public decimal Share(double weight, int day) => Math.Round(_budget * (decimal)(weight / _totalWeight * _dayWeights[day] / _dayTotal), 2);
}
