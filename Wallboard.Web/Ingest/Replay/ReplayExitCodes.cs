namespace Wallboard.Web.Ingest.Replay;

/// <summary>The exit codes of <c>replay</c>, for scripts.</summary>
public static class ReplayExitCodes
{
    /// <summary>Every chunk was answered; the printed totals say what the server made of it.</summary>
    public const int Success = 0;

    public const int BadArguments = 2;

    public const int FileNotFound = 3;

    /// <summary>No connection, or no answer in time.</summary>
    public const int Unreachable = 4;

    /// <summary>401 or 403: the integration id or the secret is wrong.</summary>
    public const int Unauthorized = 5;

    /// <summary>5xx.</summary>
    public const int ServerError = 6;

    /// <summary>Any other refusal (400 without counts, 404, 413, still rate-limited after retrying).</summary>
    public const int Refused = 7;

    /// <summary>Stopped with Ctrl+C.</summary>
    public const int Interrupted = 130;
}
