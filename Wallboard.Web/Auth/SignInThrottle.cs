using System.Threading.RateLimiting;

namespace Wallboard.Web.Auth;

/// <summary>How many sign-in attempts are allowed before the sign-in page answers 429.</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Attempts from one address per <see cref="Window"/> (a showroom signs in from one address).</summary>
    public int AttemptsPerAddress { get; set; } = 30;

    /// <summary>Attempts at one e-mail per <see cref="Window"/>, known account or not (lockout covers known ones too).</summary>
    public int AttemptsPerAccount { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Limits sign-in attempts per client address and per e-mail, in addition to the account lockout
/// (5 failures, 15 minutes): lockout protects one known account, this slows a guesser who tries
/// many accounts or unknown e-mails from one place.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(Microsoft.Extensions.Options.IOptions<SignInThrottleOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _perAddress = Limiter(o.AttemptsPerAddress, o.Window);
        _perAccount = Limiter(o.AttemptsPerAccount, o.Window);
    }

    /// <summary>Takes one attempt for the address and the e-mail; false when either has none left.</summary>
    public bool TryAttempt(string? address, string? email)
    {
        using var byAddress = _perAddress.AttemptAcquire(address ?? "unknown");
        if (!byAddress.IsAcquired)
        {
            return false;
        }

        using var byAccount = _perAccount.AttemptAcquire((email ?? string.Empty).Trim().ToUpperInvariant());
        return byAccount.IsAcquired;
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = window,
            SegmentsPerWindow = 5,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }
}
