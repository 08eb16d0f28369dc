using System.Globalization;

namespace Wallboard.Web.Ingest.Replay;

/// <summary>
/// <c>replay</c> (§11): posts a recorded queue_log or JSON-lines file to a running server through
/// its public API, as fast as the server answers or at N× the recording's own pace. Progress goes
/// to <paramref name="progress"/> (stderr), the server's totals to <paramref name="output"/> (stdout).
/// </summary>
public sealed class ReplayCommand(HttpClient http, TimeProvider time, TextWriter output, TextWriter progress)
{
    /// <summary>How long one request may take before the server counts as unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>The <c>replay</c> verb with its arguments (after the verb): parses them, then replays over a fresh connection.</summary>
    public static async Task<int> RunAsync(string[] args, TimeProvider time, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        using var handler = new SocketsHttpHandler();
        return await RunAsync(args, handler, time, output, errors, ct);
    }

    /// <summary><c>replay</c> with its arguments, over the given handler (tests pass a fake server's).</summary>
    public static async Task<int> RunAsync(
        string[] args, HttpMessageHandler handler, TimeProvider time, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var options = ReplayArguments.Parse(args, out var error, out var help);
        if (help)
        {
            await output.WriteLineAsync(ReplayArguments.Usage);
            return ReplayExitCodes.Success;
        }

        if (options is null)
        {
            await errors.WriteLineAsync($"replay: {error}");
            await errors.WriteLineAsync();
            await errors.WriteLineAsync(ReplayArguments.Usage);
            return ReplayExitCodes.BadArguments;
        }

        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = RequestTimeout };
        return await new ReplayCommand(http, time, output, errors).RunAsync(options, ct);
    }

    private const int RejectionsShown = 20;

    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(ReplayOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.File))
        {
            await progress.WriteLineAsync($"replay: no such file: {options.File}");
            return ReplayExitCodes.FileNotFound;
        }

        var totals = new Totals();
        var started = time.GetTimestamp();
        try
        {
            // First pass: how many, and the recording's span (for the shift and the pace).
            var (count, first, last) = Survey(options);
            var shift = ReplayFile.ShiftFor(options.Shift, first, last, time.GetUtcNow());
            if (options.Shift != TimeShift.None && first is null)
            {
                await progress.WriteLineAsync($"replay: no line of {options.File} has a time to shift; sending it as it is.");
            }

            var client = new ReplayClient(http, options, time);
            var origin = time.GetUtcNow();
            var lastProgress = started;
            var records = ReplayFile.Read(options.File, options.Format)
                .Where(r => totals.Keep(r))
                .Select(r => ReplayFile.Shift(r, shift, options.Format));

            foreach (var chunk in ReplayFile.Chunks(records, options.BatchSize, ReplayOptions.MaxBodyBytes, options.Speed, first))
            {
                var wait = origin + chunk.Due - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, ct);
                }

                var answer = await client.PostAsync(ReplayFile.Body(chunk.Records, options.Format), ct);
                totals.Add(chunk, answer);

                totals.RateLimited = client.RateLimited;
                if (time.GetElapsedTime(lastProgress) >= ProgressEvery)
                {
                    lastProgress = time.GetTimestamp();
                    await progress.WriteLineAsync(totals.Progress(options, count, time.GetElapsedTime(started)));
                }
            }

            await progress.WriteLineAsync(totals.Progress(options, count, time.GetElapsedTime(started)));
            await ReportAsync(options, totals, time.GetElapsedTime(started));
            return ReplayExitCodes.Success;
        }
        catch (ReplayFailedException ex)
        {
            await progress.WriteLineAsync($"replay: {ex.Message}");
            await progress.WriteLineAsync($"replay: stopped after {totals.Sent:N0} {options.Unit} were answered.");
            await ReportAsync(options, totals, time.GetElapsedTime(started));
            return ex.ExitCode;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await progress.WriteLineAsync($"replay: interrupted after {totals.Sent:N0} {options.Unit} were answered.");
            await ReportAsync(options, totals, time.GetElapsedTime(started));
            return ReplayExitCodes.Interrupted;
        }
        catch (IOException ex)
        {
            await progress.WriteLineAsync($"replay: cannot read {options.File}: {ex.Message}");
            return ReplayExitCodes.FileNotFound;
        }
        catch (UnauthorizedAccessException ex)
        {
            await progress.WriteLineAsync($"replay: cannot read {options.File}: {ex.Message}");
            return ReplayExitCodes.FileNotFound;
        }
    }

    private static (int Count, DateTimeOffset? First, DateTimeOffset? Last) Survey(ReplayOptions options)
    {
        var count = 0;
        DateTimeOffset? first = null, last = null;
        foreach (var record in ReplayFile.Read(options.File, options.Format).Where(r => r.Problem is null))
        {
            count++;
            if (record.At is { } at)
            {
                first = first is null || at < first ? at : first;
                last = last is null || at > last ? at : last;
            }
        }

        return (count, first, last);
    }

    private async Task ReportAsync(ReplayOptions options, Totals totals, TimeSpan elapsed)
    {
        foreach (var (line, error) in totals.Rejections.Take(RejectionsShown))
        {
            await progress.WriteLineAsync(line is { } n ? $"replay: line {n} rejected: {error}" : $"replay: rejected: {error}");
        }

        if (totals.Rejections.Count > RejectionsShown)
        {
            await progress.WriteLineAsync($"replay: … and {totals.Rejections.Count - RejectionsShown:N0} more rejected.");
        }

        if (totals.Rejected > 0 && options.Shift == TimeShift.None)
        {
            await progress.WriteLineAsync("replay: the server refuses events far in the past or future; old recordings need --shift-end-to-now (or --shift-to-now at --speed 1).");
        }

        var invariant = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(invariant, $"sent: {totals.Sent} {options.Unit} in {totals.Requests} requests, {elapsed.TotalSeconds:0.0} s"));
        await output.WriteLineAsync(string.Create(invariant, $"accepted: {totals.Accepted}"));
        await output.WriteLineAsync(string.Create(invariant, $"duplicates: {totals.Duplicates}"));
        await output.WriteLineAsync(string.Create(invariant, $"rejected: {totals.Rejected}"));
        if (options.Format == ReplayFormat.Asterisk)
        {
            await output.WriteLineAsync(string.Create(invariant, $"ignored: {totals.Ignored}"));
        }

        if (totals.Skipped > 0)
        {
            await output.WriteLineAsync(string.Create(invariant, $"skipped: {totals.Skipped}"));
        }
    }

    /// <summary>The running sums of the server's answers.</summary>
    private sealed class Totals
    {
        public int Sent { get; private set; }

        public int Requests { get; private set; }

        public int Accepted { get; private set; }

        public int Duplicates { get; private set; }

        public int Rejected { get; private set; }

        public int Ignored { get; private set; }

        public int Skipped { get; private set; }

        public int RateLimited { get; set; }

        public List<(int? Line, string Error)> Rejections { get; } = [];

        public bool Keep(ReplayRecord record)
        {
            if (record.Problem is null)
            {
                return true;
            }

            Skipped++;
            Rejections.Add((record.LineNumber, $"not sent: {record.Problem}"));
            return false;
        }

        public void Add(ReplayChunk chunk, ReplayAnswer answer)
        {
            Requests++;
            Sent += chunk.Records.Count;
            Accepted += answer.Accepted;
            Duplicates += answer.Duplicates;
            Rejected += answer.Rejected;
            Ignored += answer.Ignored;
            foreach (var rejection in answer.Rejections)
            {
                var line = rejection.Index is { } i && i >= 0 && i < chunk.Records.Count ? chunk.Records[i].LineNumber : (int?)null;
                Rejections.Add((line, rejection.Error));
            }
        }

        public string Progress(ReplayOptions options, int total, TimeSpan elapsed)
        {
            var rate = elapsed.TotalSeconds > 0 ? Sent / elapsed.TotalSeconds : 0;
            var ignored = options.Format == ReplayFormat.Asterisk ? $" · ignored {Ignored:N0}" : string.Empty;
            var limited = RateLimited > 0 ? $" · rate-limited {RateLimited:N0}×" : string.Empty;
            return string.Create(CultureInfo.InvariantCulture,
                $"replay: {Sent:N0}/{total:N0} {options.Unit} sent in {Requests:N0} requests · accepted {Accepted:N0} · duplicates {Duplicates:N0} · rejected {Rejected:N0}{ignored}{limited} · {rate:N0} {options.Unit}/s");
        }
    }
}
