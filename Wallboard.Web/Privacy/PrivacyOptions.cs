using Quartz;

namespace Wallboard.Web.Privacy;

/// <summary>How long callers' personal data is kept, and how it is anonymized (<c>Wallboard:Privacy</c>).</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Wallboard:Privacy";

    /// <summary>Calls older than this many months are anonymized by the nightly job.</summary>
    public int RetentionMonths { get; set; } = 13;

    /// <summary>When the retention job runs: a Quartz cron expression, in UTC (default 03:30 every night).</summary>
    public string RetentionSchedule { get; set; } = "0 30 3 * * ?";

    /// <summary>Calls anonymized per transaction: small enough that ingest never waits long behind one.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// The file holding the install's anonymization key; default <c>privacy.key</c> in the data
    /// directory. Servers sharing one database must share the file.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>Whether Quartz reads <paramref name="text"/> as a cron expression.</summary>
    public static bool IsCron(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        try
        {
            _ = new CronExpression(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>What is wrong with these settings, in words a person can act on; empty when nothing is.</summary>
    public IEnumerable<string> Problems()
    {
        if (RetentionMonths is < 1 or > 1200)
        {
            yield return $"{Section}:RetentionMonths must be a whole number of months from 1 to 1200 (it is {RetentionMonths}).";
        }

        if (BatchSize is < 1 or > 10_000)
        {
            yield return $"{Section}:BatchSize must be from 1 to 10000 (it is {BatchSize}).";
        }

        if (!IsCron(RetentionSchedule))
        {
            yield return $"{Section}:RetentionSchedule '{RetentionSchedule}' is not a Quartz cron expression (e.g. \"0 30 3 * * ?\").";
        }
    }
}
