namespace Wallboard.Web.Ingest.Replay;

/// <summary>
/// The program's command-line verbs (§11): <c>dotnet run --project Wallboard.Web -- replay …</c>,
/// <c>create-admin …</c>, <c>create-api-token …</c>, <c>send-digest …</c>. Program.cs asks here first and runs the web
/// app only when the arguments name no verb.
/// </summary>
public static class CommandLine
{
    public const string ReplayVerb = "replay";
    public const string CreateAdminVerb = "create-admin";
    public const string CreateApiTokenVerb = "create-api-token";

    /// <summary>How long one request may take before the server counts as unreachable.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Runs the verb named by <c>args[0]</c> and returns its exit code; null when
    /// <c>args[0]</c> is not a verb this knows (so the caller runs the web app).
    /// </summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return null;
        }

        switch (args[0])
        {
            case CreateAdminVerb:
                return await Auth.AccountCommands.CreateAdminAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
            case CreateApiTokenVerb:
                return await Auth.AccountCommands.CreateApiTokenAsync(args[1..], Console.Out, Console.Error, TimeProvider.System, CancellationToken.None);
            case Alerts.SendDigestCommand.Verb:
                return await Alerts.SendDigestCommand.RunAsync(args[1..], Console.Out, Console.Error, CancellationToken.None);
            case ReplayVerb:
                break;
            default:
                return null;
        }

        using var interrupted = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // Stop between chunks and report, rather than die mid-request.
            e.Cancel = true;
            interrupted.Cancel();
        }

        Console.CancelKeyPress += OnCancel;
        try
        {
            using var handler = new SocketsHttpHandler();
            return await RunReplayAsync(args[1..], handler, TimeProvider.System, Console.Out, Console.Error, interrupted.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    /// <summary><c>replay</c> with its arguments (after the verb), on the given I/O.</summary>
    public static async Task<int> RunReplayAsync(
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
}
