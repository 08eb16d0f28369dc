namespace Wallboard.Domain.Staffing;

/// <summary>
/// How many people a load needs: the fewest whose predicted share of callers answered within
/// <see cref="AnswerWithinSeconds"/> reaches <see cref="ServiceLevel"/> and, with abandonment,
/// whose answer rate (1 − abandons) reaches <see cref="AnswerRate"/>. Erlang A when the load
/// knows the callers' patience, Erlang C otherwise.
/// </summary>
public sealed record StaffingTarget(double AnswerWithinSeconds, double ServiceLevel, double? AnswerRate = null)
{
    /// <summary>Beyond this many people the question has no useful answer.</summary>
    public const int MaxAgents = 100_000;

    public static QueuePrediction Predict(QueueLoad load, int agents, double answerWithinSeconds)
    {
        ArgumentNullException.ThrowIfNull(load);
        return load.PatienceSeconds is null
            ? ErlangC.Predict(load, agents, answerWithinSeconds)
            : ErlangA.Predict(load, agents, answerWithinSeconds);
    }

    public bool IsMetBy(QueuePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        return prediction.ServiceLevel >= ServiceLevel && (AnswerRate is not { } rate || prediction.AnswerRate >= rate);
    }

    /// <summary>
    /// The fewest people that meet the target, with their prediction. The service level grows with
    /// every person added, so the search doubles until the target is met and then halves back.
    /// </summary>
    public QueuePrediction FewestAgents(QueueLoad load)
    {
        ArgumentNullException.ThrowIfNull(load);
        if (!(ServiceLevel is >= 0 and < 1) || AnswerRate is < 0 or >= 1 || AnswerWithinSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(load), "Targets must be fractions below 1 and the answer time non-negative.");
        }

        if (load.CallsPerHour <= 0)
        {
            return Predict(load, 0, AnswerWithinSeconds);
        }

        // Erlang C cannot keep up with fewer people than the traffic.
        var low = load.PatienceSeconds is null ? (int)Math.Floor(load.Erlangs) : 0;
        var high = Math.Max(low + 1, 1);
        var best = Predict(load, high, AnswerWithinSeconds);
        while (!IsMetBy(best))
        {
            low = high;
            high *= 2;
            if (high > MaxAgents)
            {
                throw new ArgumentOutOfRangeException(nameof(load), $"More than {MaxAgents} people would be needed.");
            }

            best = Predict(load, high, AnswerWithinSeconds);
        }

        // Invariant: high meets the target, low does not (or is the floor).
        while (high - low > 1)
        {
            var middle = low + ((high - low) / 2);
            var prediction = Predict(load, middle, AnswerWithinSeconds);
            if (IsMetBy(prediction))
            {
                (high, best) = (middle, prediction);
            }
            else
            {
                low = middle;
            }
        }

        if (low == 0 && load.PatienceSeconds is not null && IsMetBy(Predict(load, 0, AnswerWithinSeconds)))
        {
            return Predict(load, 0, AnswerWithinSeconds);
        }

        return best;
    }
}
