using System.Globalization;

namespace Wallboard.Web.Ingest.Replay;

/// <summary>Reads the arguments of <c>replay</c> (everything after the verb).</summary>
public static class ReplayArguments
{
    public const string Usage = """
        Usage: replay <file> --format asterisk|jsonl --integration <id> --secret <secret> --url <base>
                      [--speed <N>] [--batch <N>] [--shift-to-now | --shift-end-to-now]

        Posts a recorded file to a running Wallboard through its public API, signed as an integration.

          <file>              the recording: JSON lines (one call event per line) or an Asterisk queue_log
          --format jsonl      events go as JSON arrays to <base>/api/v1/call-events
          --format asterisk   lines go as text/plain to <base>/api/v1/integrations/<id>/asterisk/queue-log
          --integration <id>  the integration to post as
          --secret <secret>   its signing secret (data/demo-credentials.json has the demo's)
          --url <base>        the server, e.g. http://localhost:5080
          --speed <N>         play at N times real time, paced by the recorded times ('at' of each
                              event, the epoch of each queue_log line); default: as fast as possible
          --batch <N>         events or lines per request, 1 to 1000 (default 100)
          --shift-to-now      move every recorded time by one amount so that the earliest is now,
                              keeping every interval: for old recordings played at --speed 1 (played
                              faster, later events are dated ahead of the clock, and the server
                              refuses events more than 5 minutes in the future)
          --shift-end-to-now  the same, so that the latest is now: the whole recording lies in the
                              recent past, to load an old file at full speed (the server refuses
                              events older than its limit, 30 days by default)
          Without a shift the recorded times are sent as they are. Ids are never changed, so a file
          replayed twice is recognised by the server as repeats.

        Progress goes to stderr; the server's totals (accepted, duplicates, rejected, ignored) to stdout.
        Exit codes: 0 done, 2 bad arguments, 3 file not found, 4 server unreachable, 5 signature
        refused (401), 6 server error (5xx), 7 other refusal, 130 interrupted.
        """;

    private static readonly string[] Required = ["--format", "--integration", "--secret", "--url"];

    /// <summary>
    /// Reads the arguments. Returns the options, or null with <paramref name="error"/> saying what
    /// is wrong; <paramref name="help"/> is set when the user asked for the usage text.
    /// </summary>
    public static ReplayOptions? Parse(IReadOnlyList<string> args, out string? error, out bool help)
    {
        ArgumentNullException.ThrowIfNull(args);
        error = null;
        help = false;
        string? file = null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var shift = TimeShift.None;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                help = true;
                return null;
            }

            if (arg is "--shift-to-now" or "--shift-end-to-now")
            {
                var asked = arg == "--shift-to-now" ? TimeShift.FirstToNow : TimeShift.LastToNow;
                if (shift != TimeShift.None && shift != asked)
                {
                    error = "Give --shift-to-now or --shift-end-to-now, not both.";
                    return null;
                }

                shift = asked;
                continue;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg;
                string? value = null;
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    name = arg[..equals];
                    value = arg[(equals + 1)..];
                }

                if (name is not ("--format" or "--integration" or "--secret" or "--url" or "--speed" or "--batch"))
                {
                    error = $"Unknown option '{arg}'.";
                    return null;
                }

                if (value is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        error = $"{name} needs a value.";
                        return null;
                    }

                    value = args[++i];
                }

                if (!values.TryAdd(name, value))
                {
                    error = $"{name} is given twice.";
                    return null;
                }

                continue;
            }

            if (file is not null)
            {
                error = $"One file at a time: '{file}' and '{arg}'.";
                return null;
            }

            file = arg;
        }

        if (file is null)
        {
            error = "Which file? Give the recording's path first.";
            return null;
        }

        var missing = Required.Where(n => !values.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            error = $"Missing {string.Join(", ", missing)}.";
            return null;
        }

        ReplayFormat format;
        switch (values["--format"].ToLowerInvariant())
        {
            case "asterisk":
                format = ReplayFormat.Asterisk;
                break;
            case "jsonl":
                format = ReplayFormat.Jsonl;
                break;
            default:
                error = $"--format must be asterisk or jsonl, not '{values["--format"]}'.";
                return null;
        }

        if (!int.TryParse(values["--integration"], NumberStyles.None, CultureInfo.InvariantCulture, out var integration) || integration <= 0)
        {
            error = $"--integration must be an integration's id (a positive whole number), not '{values["--integration"]}'.";
            return null;
        }

        var secret = values["--secret"];
        if (string.IsNullOrWhiteSpace(secret))
        {
            error = "--secret is empty.";
            return null;
        }

        if (!Uri.TryCreate(values["--url"], UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            error = $"--url must be the server's http(s) address, like http://localhost:5080, not '{values["--url"]}'.";
            return null;
        }

        double? speed = null;
        if (values.TryGetValue("--speed", out var speedText))
        {
            if (!double.TryParse(speedText, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || !double.IsFinite(s) || s <= 0)
            {
                error = $"--speed must be a number above 0 (1 is real time, 10 ten times faster), not '{speedText}'.";
                return null;
            }

            speed = s;
        }

        var batch = ReplayOptions.DefaultBatchSize;
        if (values.TryGetValue("--batch", out var batchText)
            && (!int.TryParse(batchText, NumberStyles.None, CultureInfo.InvariantCulture, out batch) || batch < 1 || batch > ReplayOptions.MaxBatchSize))
        {
            error = $"--batch must be a whole number from 1 to {ReplayOptions.MaxBatchSize}, not '{batchText}'.";
            return null;
        }

        return new ReplayOptions(file, format, integration, secret, url, speed, batch, shift);
    }
}
