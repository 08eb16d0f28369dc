using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;

namespace Wallboard.Tests.Auth;

/// <summary>
/// The app's logs, at every level, while people sign in (right and wrong passwords), tokens are
/// used (header, hub query, TV link) and integrations post: no password, token, secret or cookie appears.
/// </summary>
public sealed class SecretsInLogsTests(SecretsInLogsTests.RecordedApp app) : IClassFixture<SecretsInLogsTests.RecordedApp>
{
    public sealed class RecordedApp : WallboardAppFactory
    {
        public LogRecorder Recorder { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        };

        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Recorder));
            return base.CreateHost(builder);
        }
    }

    [Fact]
    public async Task No_secret_reaches_the_logs_during_sign_in_token_use_and_ingest()
    {
        var ingest = new SignedIngestClient(app);
        var manager = TestAccounts.DemoOf(app, "Manager", ingest.Credentials.Stores[0].Id);
        var managerToken = ingest.Credentials.ApiTokens.First(t => t.Role == "Manager").Token;
        var display = ingest.Credentials.DisplayLinks!.First(l => l.StoreId == ingest.Credentials.Stores[0].Id);
        const string wrongPassword = "a-wrong-password-4711";
        var logged = app.Recorder.Count;

        // Sign in, wrong then right, and use the cookie.
        await TestAccounts.PostSignInAsync(TestAccounts.Client(app), manager.Email, wrongPassword);
        var http = await TestAccounts.SignedInAsync(app, manager.Email, manager.Password);
        await http.GetAsync("callbacks/manage");
        var cookie = string.Join(";", TestAccounts.CookieValues(http, app));

        // Tokens: in the header, in the hub's query (as browsers send it), in the TV's address, and in an API query that is refused.
        var bearer = app.CreateHttpClient();
        bearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", managerToken);
        (await bearer.GetAsync("api/v1/stores")).EnsureSuccessStatusCode();
        (await app.CreateHttpClient().PostAsync($"hubs/wallboard/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(display.Token)}", null)).EnsureSuccessStatusCode();
        await using (var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/wallboard"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(display.Token))
            .Build())
        {
            await hub.StartAsync();
        }

        await app.CreateHttpClient().GetAsync(new Uri(display.Url).PathAndQuery.TrimStart('/'));
        await app.CreateHttpClient().GetAsync($"api/v1/calls?access_token={Uri.EscapeDataString(managerToken)}");

        // Ingest: signed, and signed with a wrong secret.
        (await ingest.PostEventsAsync(new CallBuilder("logs-1", DateTimeOffset.UtcNow.AddMinutes(-1)).Started(from: "+13125550191", to: "+16305550104").Events)).EnsureSuccessStatusCode();
        await ingest.PostAsync("[]", secret: "not-the-secret-0815");

        var lines = app.Recorder.Since(logged);
        Assert.Contains(lines, l => l.Contains(manager.Email, StringComparison.Ordinal)); // the logs were captured, sign-in included
        Assert.Contains(lines, l => l.Contains("Microsoft.AspNetCore.Authentication", StringComparison.Ordinal) || l.Contains("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        foreach (var secret in new[] { manager.Password, wrongPassword, managerToken, display.Token, ingest.Credentials.Integration.Secret, ingest.Credentials.Twilio.AuthToken, "not-the-secret-0815" }
            .Concat(cookie.Split(';', StringSplitOptions.RemoveEmptyEntries)))
        {
            var leak = lines.FirstOrDefault(l => l.Contains(secret, StringComparison.Ordinal));
            Assert.True(leak is null, $"A secret was logged: {leak}");
        }
    }
}

/// <summary>Keeps every log line (category, message, exception) in memory.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public int Count => _lines.Count;

    public IReadOnlyList<string> Since(int index) => _lines.Skip(index).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {values} {exception}");
        }
    }
}
