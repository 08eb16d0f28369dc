using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Alerts;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Alerts;

/// <summary>
/// The daily digest of a day built from known calls, sent by the <c>send-digest</c> verb through
/// smtp4dev, against what the metrics API says of the same day: the same figures, to the call.
/// </summary>
[Collection(Smtp4devGroup.Name)]
public sealed class DailyDigestTests(Smtp4dev smtp)
{
    private DigestApp _app = null!;
    private DemoCredentials _credentials = null!;

    /// <summary>The whole app on a fresh database, sending through smtp4dev; the caller disposes it.</summary>
    private async Task<DigestApp> StartAsync()
    {
        await smtp.ClearAsync();
        // The watch job off: at the store's closing time it would send the day's digest too, and
        // the test counts the mails the verb sends.
        var app = new DigestApp(new Dictionary<string, string?>(smtp.Settings) { ["Wallboard:Alerts:WatchInterval"] = "00:00:00" });
        await ((IAsyncLifetime)app).InitializeAsync();
        _app = app;
        _credentials = JsonSerializer.Deserialize<DemoCredentials>(
            await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, DemoSeeder.CredentialsFileName)), JsonSerializerOptions.Web)!;
        return app;
    }

    private sealed class DigestApp(IDictionary<string, string?> settings) : WallboardAppFactory
    {
        protected override IDictionary<string, string?> Settings => settings;
    }

    private int Lakeside => _credentials.Stores[0].Id;

    private string[] VerbArguments(params string[] args) =>
    [
        .. args,
        $"--ConnectionStrings:Wallboard=Data Source={Path.Combine(_app.DataDirectory, "wallboard.db")}",
        $"--Wallboard:DataDirectory={_app.DataDirectory}",
        .. smtp.Settings.Select(s => $"--{s.Key}={s.Value}"),
    ];

    [Fact]
    public async Task The_digest_of_a_day_of_known_calls_carries_exactly_the_metrics_apis_figures_for_that_day()
    {
        await using var app = await StartAsync();
        var calendar = new StoreCalendar(_credentials.Stores[0].TimeZoneId);
        var yesterday = calendar.LocalDate(DateTimeOffset.UtcNow).AddDays(-1);
        var ten = calendar.DayBounds(yesterday).Start.AddHours(10);
        var calls = new List<long>();
        var n = 0;
        async Task Add(string caller, CallOutcome outcome, DateTimeOffset at) => calls.Add(await AddCallAsync(caller, outcome, at, ++n));
        await Add("+13125550101", CallOutcome.Connected, ten);
        await Add("+13125550102", CallOutcome.Connected, ten.AddMinutes(7));
        await Add("+13125550103", CallOutcome.Connected, ten.AddMinutes(14));
        await Add("+13125550104", CallOutcome.Connected, ten.AddMinutes(21));
        await Add("+13125550111", CallOutcome.Abandoned, ten.AddMinutes(30));
        await Add("+13125550112", CallOutcome.Abandoned, ten.AddMinutes(40));
        await Add("+13125550113", CallOutcome.Voicemail, ten.AddMinutes(50));
        await Add("+13125550114", CallOutcome.ShortAbandon, ten.AddMinutes(55));
        // The first missed caller gets through an hour later: a recovered miss.
        await Add("+13125550111", CallOutcome.Connected, ten.AddMinutes(90));
        await _app.Services.GetRequiredService<CallbackIntake>().ProcessAsync(calls, CancellationToken.None);

        // The metrics job's next run over yesterday, then the API's answer.
        await _app.Services.GetRequiredService<MetricsReports>().ComputeAsync([MetricsWindow.Yesterday], Lakeside, CancellationToken.None);
        using var http = _app.CreateHttpClient();
        var token = _credentials.ApiTokens.First(t => t.Role == "Manager" && t.StoreId == Lakeside).Token;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var answer = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/v1/stores/{Lakeside}/metrics?window=Yesterday", UriKind.Relative)));
        var figures = answer.RootElement.GetProperty("store");
        var offered = figures.GetProperty("offered").GetInt32();
        var missed = figures.GetProperty("missed").GetInt32();
        var recovered = figures.GetProperty("recoveredMissed").GetInt32();
        var answerRate = figures.GetProperty("answerRate").GetDouble();
        var withinSla = figures.GetProperty("callbacks").GetProperty("completedWithinSla").GetInt32();
        var created = figures.GetProperty("callbacks").GetProperty("created").GetInt32();
        Assert.Equal((9, 3, 1), (offered, missed, recovered)); // the day really is the one we built

        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await SendDigestCommand.RunAsync(
            VerbArguments("--store", Lakeside.ToString(CultureInfo.InvariantCulture), "--date", yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            output, errors, CancellationToken.None);
        Assert.True(exit == 0, errors.ToString());

        var mails = await smtp.MessagesAsync();
        Assert.Equal(
            _credentials.Accounts!.Where(a => a.Role == "Manager" && a.Stores.Contains(Lakeside)).Select(a => a.Email).Order(),
            mails.Select(m => Assert.Single(m.To)).Order());
        var text = await smtp.PlainTextAsync(mails[0]);
        string Line(string label, string value) => $"{label,-24}{value}";
        Assert.Contains(Line("Calls", offered.ToString(CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        Assert.Contains(Line("Answer rate", string.Create(CultureInfo.InvariantCulture, $"{answerRate * 100:0.#} %")), text, StringComparison.Ordinal);
        Assert.Contains(Line("Missed", missed.ToString(CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        Assert.Contains(Line("Recovered", recovered.ToString(CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        Assert.Contains(Line("Call-backs within SLA", $"{withinSla} of {created}"), text, StringComparison.Ordinal);
        Assert.Contains(Line("Still open", (missed - recovered).ToString(CultureInfo.InvariantCulture)), text, StringComparison.Ordinal);
        // The misses not reached yet, each with its call-back's link; the recovered one is not among them.
        Assert.Contains("Missed calls not reached yet (2)", text, StringComparison.Ordinal);
        Assert.Contains("(312) 555-0112", text, StringComparison.Ordinal);
        Assert.Contains("(312) 555-0113", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(312) 555-0111", text, StringComparison.Ordinal);
        Assert.Contains($"/callbacks/manage?store={Lakeside}&callback=", text, StringComparison.Ordinal);

        var html = await smtp.HtmlAsync(mails[0]);
        Assert.Contains(">Answer rate<", html, StringComparison.Ordinal);
        Assert.Contains($">{offered}<", html, StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await File.WriteAllTextAsync(Path.Combine(AppContext.BaseDirectory, "screenshots", "digest.html"), html);
    }

    [Fact]
    public async Task Send_digest_says_why_it_did_not_send()
    {
        await using var app = await StartAsync();
        var errors = new StringWriter();
        Assert.Equal(SendDigestCommand.BadArguments, await SendDigestCommand.RunAsync(VerbArguments("--date", "2026-12-01"), TextWriter.Null, errors, CancellationToken.None));
        Assert.Contains("Give --store <id>.", errors.ToString(), StringComparison.Ordinal);
        Assert.Equal(SendDigestCommand.BadArguments, await SendDigestCommand.RunAsync(VerbArguments("--store", "1", "--date", "01/12/2026"), TextWriter.Null, TextWriter.Null, CancellationToken.None));
        errors = new StringWriter();
        Assert.Equal(SendDigestCommand.NoSuchStore, await SendDigestCommand.RunAsync(VerbArguments("--store", "999"), TextWriter.Null, errors, CancellationToken.None));
        Assert.Contains("there is no store 999", errors.ToString(), StringComparison.Ordinal);
        errors = new StringWriter();
        var withoutEmail = VerbArguments("--store", "1").Where(a => !a.StartsWith("--Wallboard:Email", StringComparison.Ordinal)).ToArray();
        Assert.Equal(SendDigestCommand.EmailNotConfigured, await SendDigestCommand.RunAsync(withoutEmail, TextWriter.Null, errors, CancellationToken.None));
        Assert.Contains("e-mail is not configured", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(await smtp.MessagesAsync());
    }

    private async Task<long> AddCallAsync(string caller, CallOutcome outcome, DateTimeOffset startedAt, int n)
    {
        var dbFactory = _app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        var source = await db.LeadSources.Where(s => s.StoreId == Lakeside && s.Name == "Cars.com").Select(s => s.Id).SingleAsync();
        var ended = startedAt.AddSeconds(outcome == CallOutcome.ShortAbandon ? 3 : 90);
        var call = new Call
        {
            ExternalId = $"digest-{n}",
            IntegrationId = _credentials.Integration.Id,
            StoreId = Lakeside,
            Department = Department.Sales,
            LeadSourceId = source,
            CallerE164 = caller,
            CallerRaw = caller,
            StartedAt = startedAt,
            AnsweredAt = outcome == CallOutcome.Connected ? startedAt.AddSeconds(12) : null,
            WaitSeconds = outcome == CallOutcome.Connected ? 12 : (int)(ended - startedAt).TotalSeconds,
            TalkSeconds = outcome == CallOutcome.Connected ? 78 : null,
            EndedAt = ended,
            LastEventAt = ended,
            Phase = CallPhase.Ended,
            Outcome = outcome,
        };
        // Written as ingest writes a call: with the mark that makes its day's metrics roll-up stale, in one transaction.
        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Calls.Add(call);
        await db.SaveChangesAsync();
        await DailyRollups.MarkLateCallsAsync(db, [call], DateTimeOffset.UtcNow, CancellationToken.None);
        await transaction.CommitAsync();
        return call.Id;
    }
}
