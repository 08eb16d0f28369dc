namespace Wallboard.Domain.Staffing;

/// <summary>
/// The traffic of one interval offered to a group of people answering the phone: calls per hour
/// (Poisson arrivals), the mean handle time (talk and hold, exponential), and, for Erlang A, the
/// callers' mean patience (exponential: how long a caller would wait before hanging up).
/// </summary>
public sealed record QueueLoad(double CallsPerHour, double HandleSeconds, double? PatienceSeconds = null)
{
    /// <summary>Offered traffic in Erlangs: the people that would be busy all the time on average.</summary>
    public double Erlangs => CallsPerHour * HandleSeconds / 3600.0;

    /// <summary>Arrivals per second.</summary>
    public double ArrivalRate => CallsPerHour / 3600.0;

    /// <summary>Whether the load is one the models can take (finite, non-negative, a positive handle time).</summary>
    public bool IsValid =>
        double.IsFinite(CallsPerHour) && CallsPerHour >= 0
        && double.IsFinite(HandleSeconds) && HandleSeconds > 0
        && (PatienceSeconds is null || (double.IsFinite(PatienceSeconds.Value) && PatienceSeconds.Value > 0));
}

/// <summary>
/// What a queue model predicts for a number of people answering. Probabilities are fractions
/// (0–1). <see cref="AverageSpeedOfAnswerSeconds"/> is the mean wait of the callers who are
/// answered, null when it is unbounded (Erlang C with fewer people than the traffic: the queue
/// grows without end). <see cref="ProbabilityOfAbandon"/> is null for Erlang C (nobody hangs up).
/// </summary>
public sealed record QueuePrediction(
    int Agents,
    double ServiceLevel,
    double ProbabilityOfWaiting,
    double? AverageSpeedOfAnswerSeconds,
    double? ProbabilityOfAbandon,
    double Occupancy)
{
    /// <summary>The share of callers answered at all: 1 − abandons (Erlang C: all, once the queue is stable).</summary>
    public double AnswerRate => ProbabilityOfAbandon is { } p ? 1 - p : 1;
}
