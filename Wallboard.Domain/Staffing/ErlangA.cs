namespace Wallboard.Domain.Staffing;

/// <summary>
/// Erlang A (M/M/N+M, Palm 1946; Garnett, Mandelbaum and Reiman 2002): Poisson arrivals at rate λ,
/// exponential handle times (rate μ = 1/h), N people, and callers who hang up after an exponential
/// patience (rate θ = 1/patience) if nobody has answered by then.
/// </summary>
/// <remarks>
/// <para>The number of callers in the system is a birth–death chain: π(n) ∝ Aⁿ/n! up to N, then
/// π(N + k) = π(N)·∏ⱼ₌₁ᵏ λ / (Nμ + jθ). Both are kept as logarithms relative to π(N) and summed
/// after subtracting their maximum, so hundreds of agents and long queues neither overflow nor
/// underflow; the queue is followed until its terms fall below e⁻⁴⁵ of the largest.</para>
/// <para>A caller who finds k others queued (all N busy) moves up at rate Nμ + jθ while j are ahead
/// and leaves at rate θ: stage j takes Exp(sⱼ), sⱼ = Nμ + (j + 1)θ, and is passed with probability
/// (Nμ + jθ)/sⱼ. So P(answered | k) = ∏ⱼ₌₀ᵏ (Nμ + jθ)/sⱼ, the answered callers' mean wait is
/// Σ 1/sⱼ, and P(answered within t) comes from uniformizing that small chain (positive terms
/// only). Abandons: P(abandon) = θ·E[queue] / λ. Service level: answered within t ÷ all callers,
/// as the metrics count it (a caller who hangs up is not answered in time).</para>
/// </remarks>
public static class ErlangA
{
    private const double Negligible = 45; // e^-45 ≈ 3e-20 of the largest term
    private const int MaxQueue = 2_000_000;

    public static QueuePrediction Predict(QueueLoad load, int agents, double answerWithinSeconds)
    {
        ArgumentNullException.ThrowIfNull(load);
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        ArgumentOutOfRangeException.ThrowIfNegative(answerWithinSeconds);
        if (load.PatienceSeconds is not { } patience)
        {
            throw new ArgumentException("Erlang A needs the callers' patience.", nameof(load));
        }

        var lambda = load.ArrivalRate;
        if (lambda <= 0)
        {
            return new QueuePrediction(agents, 1, 0, 0, 0, 0);
        }

        var mu = 1 / load.HandleSeconds;
        var theta = 1 / patience;
        var a = lambda / mu;
        var n = agents;
        var nMu = n * mu;

        // log π(i) − log π(N) for i < N, and for the queue k = 0.. (state N + k).
        var logLow = new double[n];
        var log = 0.0;
        for (var i = n; i >= 1; i--)
        {
            log += Math.Log(i) - Math.Log(a);
            logLow[i - 1] = log;
        }

        var logQueue = new List<double> { 0.0 };
        var peak = 0.0;
        for (var k = 1; ; k++)
        {
            var rate = nMu + (k * theta);
            var next = logQueue[^1] + Math.Log(lambda) - Math.Log(rate);
            logQueue.Add(next);
            peak = Math.Max(peak, next);
            if (rate > lambda && next < peak - Negligible)
            {
                break;
            }

            if (k >= MaxQueue)
            {
                throw new ArgumentOutOfRangeException(nameof(load), "The queue this load builds is too long to compute; patience or calls are out of range.");
            }
        }

        var max = Math.Max(peak, logLow.Length > 0 ? logLow.Max() : double.NegativeInfinity);
        var low = logLow.Sum(x => Math.Exp(x - max));
        var queue = logQueue.Select(x => Math.Exp(x - max)).ToArray();
        var total = low + queue.Sum();
        for (var k = 0; k < queue.Length; k++)
        {
            queue[k] /= total;
        }

        var answeredAtOnce = low / total;
        var waiting = queue.Sum();
        var meanQueue = queue.Select((q, k) => q * k).Sum();
        var abandon = Math.Clamp(theta * meanQueue / lambda, 0, 1);

        // Answered after waiting, and the answered callers' waits.
        double answeredAfterWait = 0, waitOfAnswered = 0;
        double logPass = 0, meanStages = 0;
        for (var k = 0; k < queue.Length; k++)
        {
            var progress = nMu + (k * theta);
            var stage = progress + theta;
            logPass += progress > 0 ? Math.Log(progress / stage) : double.NegativeInfinity;
            meanStages += 1 / stage;
            var pass = Math.Exp(logPass);
            answeredAfterWait += queue[k] * pass;
            waitOfAnswered += queue[k] * pass * meanStages;
        }

        var answered = answeredAtOnce + answeredAfterWait;
        var serviceLevel = answeredAtOnce + AnsweredWithin(queue, nMu, theta, answerWithinSeconds);
        return new QueuePrediction(
            agents,
            Math.Clamp(serviceLevel, 0, 1),
            Math.Clamp(waiting, 0, 1),
            answered > 0 ? waitOfAnswered / answered : null,
            abandon,
            n > 0 ? Math.Min(1, a * (1 - abandon) / n) : 0);
    }

    // P(a caller who found k queued is answered within t), summed over k with the weights given:
    // the stage chain uniformized at rate Λ. After m jumps only callers that started at most m
    // places back can have been answered, so the chain is cut at the number of jumps that matter.
    private static double AnsweredWithin(double[] queue, double nMu, double theta, double t)
    {
        if (nMu <= 0 || t <= 0)
        {
            return 0;
        }

        var top = queue.Length - 1;
        var uniform = nMu + ((top + 1) * theta);
        var steps = Steps(uniform * t);
        if (steps < top)
        {
            top = steps;
            uniform = nMu + ((top + 1) * theta);
            steps = Steps(uniform * t);
        }

        var v = new double[top + 1];
        Array.Copy(queue, v, top + 1);
        var next = new double[top + 1];
        var mean = uniform * t;
        var logWeight = -mean;
        double served = 0, result = 0;
        for (var m = 0; m <= steps; m++)
        {
            result += Math.Exp(logWeight) * served;
            served += v[0] * nMu / uniform;
            for (var j = 0; j <= top; j++)
            {
                var stay = v[j] * (1 - ((nMu + ((j + 1) * theta)) / uniform));
                var from = j < top ? v[j + 1] * (nMu + ((j + 1) * theta)) / uniform : 0;
                next[j] = stay + from;
            }

            (v, next) = (next, v);
            logWeight += Math.Log(mean) - Math.Log(m + 1);
        }

        return result;
    }

    private static int Steps(double mean) => (int)Math.Ceiling(mean + (12 * Math.Sqrt(mean)) + 30);
}
