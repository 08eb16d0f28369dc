using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The ingest rate limits, spent only once a request's signature is checked: a signed request
/// spends the budget of the integration that signed it (for the adapters the one the route names,
/// since that is whose secret checked the signature), so nobody can spend an integration's budget
/// by naming it, and two Twilio integrations never share one. A request that fails authentication
/// spends a separate, tighter budget per remote address; past it the answer is 429 and the refusal
/// is not logged again, so junk traffic cannot flood the log or take a named integration's share.
/// </summary>
public sealed class IngestRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<int> _perIntegration;
    private readonly PartitionedRateLimiter<string> _refusedPerAddress;
    private readonly IngestOptions _options;

    public IngestRateLimits(IOptions<IngestOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _perIntegration = PartitionedRateLimiter.Create<int, int>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => Bucket(_options.RequestsPerSecond, _options.BurstRequests)));
        _refusedPerAddress = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => Bucket(_options.RefusedRequestsPerSecond, _options.RefusedBurstRequests)));
    }

    /// <summary>Spends one request of an authenticated integration's budget; a 429 problem when it is spent.</summary>
    public IResult? Spend(HttpContext context, int integrationId)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = _perIntegration.AttemptAcquire(integrationId);
        return lease.IsAcquired ? null : TooMany(context,
            $"This integration may make {_options.RequestsPerSecond:N0} requests a second; batch events or slow down.");
    }

    /// <summary>Spends one refused request from the caller's address; a 429 problem (in place of the 401) when those are spent.</summary>
    public IResult? SpendRefused(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = _refusedPerAddress.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? string.Empty);
        return lease.IsAcquired ? null : TooMany(context,
            $"More than {_options.RefusedRequestsPerSecond:N0} unauthenticated requests a second came from this address; check the integration's id and secret.");
    }

    public void Dispose()
    {
        _perIntegration.Dispose();
        _refusedPerAddress.Dispose();
    }

    private static ProblemHttpResult TooMany(HttpContext context, string detail)
    {
        context.Response.Headers.RetryAfter = "1";
        return IngestRequests.Problem(StatusCodes.Status429TooManyRequests, "Too many requests.", detail);
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = Math.Max(1, perSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
