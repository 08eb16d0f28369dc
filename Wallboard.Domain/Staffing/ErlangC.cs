namespace Wallboard.Domain.Staffing;

/// <summary>
/// Erlang C (M/M/N): callers wait as long as it takes. Computed through the Erlang B recursion
/// B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1)), whose values stay in [0, 1]: no powers, no
/// factorials, stable for thousands of agents. Then C = N·B / (N − A·(1 − B)),
/// service level = 1 − C·e^(−(N − A)·t / h), speed of answer = C·h / (N − A).
/// </summary>
public static class ErlangC
{
    /// <summary>Erlang B: the probability that all <paramref name="agents"/> are busy in a loss system offered <paramref name="erlangs"/>.</summary>
    public static double ErlangB(int agents, double erlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        var b = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            b = erlangs * b / (n + erlangs * b);
        }

        return b;
    }

    /// <summary>The probability that a caller has to wait with <paramref name="agents"/> people (1 when they cannot keep up).</summary>
    public static double ProbabilityOfWaiting(int agents, double erlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        if (erlangs <= 0)
        {
            return 0;
        }

        if (agents <= erlangs)
        {
            return 1;
        }

        var b = ErlangB(agents, erlangs);
        return agents * b / (agents - erlangs * (1 - b));
    }

    /// <summary>The prediction for <paramref name="agents"/> people, answering within <paramref name="answerWithinSeconds"/>.</summary>
    public static QueuePrediction Predict(QueueLoad load, int agents, double answerWithinSeconds)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(answerWithinSeconds);
        var a = load.Erlangs;
        if (a <= 0)
        {
            return new QueuePrediction(agents, 1, 0, 0, null, 0);
        }

        if (agents <= a)
        {
            return new QueuePrediction(agents, 0, 1, null, null, 1);
        }

        var c = ProbabilityOfWaiting(agents, a);
        var serviceLevel = 1 - (c * Math.Exp(-(agents - a) * answerWithinSeconds / load.HandleSeconds));
        var asa = c * load.HandleSeconds / (agents - a);
        return new QueuePrediction(agents, Math.Clamp(serviceLevel, 0, 1), c, asa, null, a / agents);
    }
}
