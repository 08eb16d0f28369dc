using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wallboard.Tests.Hosting;

namespace Wallboard.Tests.Alerts;

/// <summary>
/// A real SMTP server, smtp4dev (the repo's dotnet local tool, <c>dotnet tool restore</c>), started on
/// free loopback ports for the tests that send e-mail; what arrived is read back through its HTTP API.
/// </summary>
public sealed class Smtp4dev : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(90);

    private Process? _process;
    private readonly HttpClient _http = new();

    public int SmtpPort { get; } = WallboardAppFactory.FreePort();

    public int WebPort { get; } = WallboardAppFactory.FreePort();

    public Uri WebAddress => new($"http://127.0.0.1:{WebPort}/");

    /// <summary>The app's settings that send through this server.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Wallboard:Email:Smtp:Host"] = "127.0.0.1",
        ["Wallboard:Email:Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Wallboard:Email:Smtp:UseTls"] = "false",
        ["Wallboard:Email:From"] = "Wallboard <alerts@demo.example>",
    };

    public async Task InitializeAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = SharedData.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "tool", "run", "smtp4dev", "--", "--urls", WebAddress.ToString().TrimEnd('/'), "--smtpport", SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--imapport", "0", "--pop3port", "0", "--db", string.Empty, "--hostname", "127.0.0.1",
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("smtp4dev did not start.");
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Now listening on", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        if (await Task.WhenAny(ready.Task, exited).WaitAsync(StartupTimeout) == exited)
        {
            throw new InvalidOperationException($"smtp4dev exited with {_process.ExitCode} before it listened (is `dotnet tool restore` done?).");
        }
    }

    /// <summary>Every message that arrived, newest first.</summary>
    public async Task<IReadOnlyList<Smtp4devMessage>> MessagesAsync()
    {
        var page = await _http.GetFromJsonAsync<MessagePage>(new Uri(WebAddress, "api/messages?pageSize=1000"), JsonSerializerOptions.Web);
        return page!.Results;
    }

    public async Task<string> PlainTextAsync(Smtp4devMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await _http.GetStringAsync(new Uri(WebAddress, $"api/messages/{message.Id}/plaintext"));
    }

    public async Task<string> HtmlAsync(Smtp4devMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await _http.GetStringAsync(new Uri(WebAddress, $"api/messages/{message.Id}/html"));
    }

    /// <summary>Forgets every message (each test starts from an empty mailbox).</summary>
    public async Task ClearAsync()
    {
        using var response = await _http.DeleteAsync(new Uri(WebAddress, "api/messages/*"));
        response.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _http.Dispose();
    }

    public void Dispose() => _http.Dispose();

    private sealed record MessagePage(List<Smtp4devMessage> Results);
}

public sealed record Smtp4devMessage(Guid Id, string Subject, [property: JsonPropertyName("to")] IReadOnlyList<string> To, string From);

[CollectionDefinition(Name)]
public sealed class Smtp4devGroup : ICollectionFixture<Smtp4dev>
{
    public const string Name = "smtp4dev";
}
