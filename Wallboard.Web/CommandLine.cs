using Wallboard.Web.Auth;
using Wallboard.Web.Ingest.Replay;

namespace Wallboard.Web;

/// <summary>
/// The program's command line (§11): <c>dotnet run --project Wallboard.Web -- &lt;verb&gt; …</c> runs a
/// verb and exits; options alone (<c>--urls …</c>, <c>--Wallboard:DataDirectory=…</c>) run the web
/// app with them as configuration. Anything else (an unknown verb, a stray word, an option without
/// its value) is refused with the usage and exit code 2, so a typo never starts a server.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code of arguments that name no verb and are no app options.</summary>
    public const int BadArguments = 2;

    /// <summary>A verb: its name, one line for <c>--help</c>, and how it runs on the arguments after it.</summary>
    public sealed record Verb(string Name, string Summary, Func<string[], TextWriter, TextWriter, CancellationToken, Task<int>> RunAsync);

    /// <summary>Every verb; adding one is adding its line here (each verb's own <c>--help</c> says its options and exit codes).</summary>
    public static IReadOnlyList<Verb> Verbs { get; } =
    [
        new("replay", "post a recorded queue_log or JSON-lines file to a running app, as fast or as timed as recorded",
            (args, output, errors, ct) => ReplayCommand.RunAsync(args, TimeProvider.System, output, errors, ct)),
        new("create-admin", "make an admin account on the app's database (works before the app ever started)",
            AccountCommands.CreateAdminAsync),
        new("create-api-token", "make an API token for scripts and print it once",
            (args, output, errors, ct) => AccountCommands.CreateApiTokenAsync(args, output, errors, TimeProvider.System, ct)),
        new("send-digest", "e-mail a store's daily digest to its managers now (--store <id> [--date yyyy-mm-dd])",
            Alerts.SendDigestCommand.RunAsync),
        new("rebuild", "compute calls, call-back links, metrics and boards again from the stored events (--store <id>; app stopped)",
            (args, output, errors, ct) => Rebuild.RebuildCommand.RunAsync(args, TimeProvider.System, output, errors, ct)),
    ];

    public static string Usage => $"""
        Usage: Wallboard.Web [--<configuration key> <value> | --<configuration key>=<value>]...
               Wallboard.Web <verb> [options]   (<verb> --help for its options)

        Without a verb the web app runs; options are configuration (--urls http://127.0.0.1:5080,
        --Wallboard:DataDirectory=<folder>, see README "Configuration").

        Verbs:
        {string.Join(Environment.NewLine, Verbs.Select(v => $"  {v.Name,-18}{v.Summary}"))}
        """;

    /// <summary>Runs the verb the arguments name, on the console (Ctrl+C stops it between steps); null when they are app options.</summary>
    public static async Task<int?> TryRunAsync(string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            // Stop between steps and report, rather than die mid-request.
            e.Cancel = true;
            interrupted.Cancel();
        }

        Console.CancelKeyPress += OnCancel;
        try
        {
            return await TryRunAsync(args, Console.Out, Console.Error, interrupted.Token);
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    /// <summary>
    /// Runs the verb named by <c>args[0]</c> and returns its exit code; <see cref="BadArguments"/>
    /// (with the usage on <paramref name="errors"/>) for an unknown verb or malformed options;
    /// 0 after the usage for <c>--help</c>; null when the arguments are options for the web app.
    /// </summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (args.Length == 0)
        {
            return null;
        }

        if (args[0] is "--help" or "-h" or "-?" or "help")
        {
            await output.WriteLineAsync(Usage);
            return 0;
        }

        if (Verbs.FirstOrDefault(v => v.Name == args[0]) is { } verb)
        {
            return await verb.RunAsync(args[1..], output, errors, ct);
        }

        if (AppOptionsProblem(args) is not { } problem)
        {
            return null;
        }

        await errors.WriteLineAsync(problem);
        await errors.WriteLineAsync();
        await errors.WriteLineAsync(Usage);
        return BadArguments;
    }

    /// <summary>
    /// Null when every argument is configuration as the web app reads it (<c>--key value</c>,
    /// <c>--key=value</c>, <c>key=value</c>; <c>-</c> or <c>/</c> also start a key), else what is wrong.
    /// </summary>
    private static string? AppOptionsProblem(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var isKey = arg.StartsWith('-') || arg.StartsWith('/');
            if (arg.Contains('=', StringComparison.Ordinal) && (isKey || arg[0] != '='))
            {
                continue;
            }

            if (!isKey)
            {
                return i == 0 ? $"Unknown verb '{arg}'." : $"Unexpected '{arg}': options are --<key> <value> or --<key>=<value>.";
            }

            if (arg is "--help" or "-h" or "-?")
            {
                return $"{arg} goes first, alone.";
            }

            if (i + 1 >= args.Length)
            {
                return $"{arg} needs a value.";
            }

            i++;
        }

        return null;
    }
}
