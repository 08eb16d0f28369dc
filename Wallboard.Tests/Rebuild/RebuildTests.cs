using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;
using Wallboard.Web.Rebuild;
using Xunit.Abstractions;

namespace Wallboard.Tests.Rebuild;

/// <summary>
/// The proof that incremental equals recomputed: the real recordings went through ingest's
/// incremental path (<see cref="RecordedHistory"/>); <c>rebuild</c> projects everything again from the
/// stored events and must find every call, ring, hold, call-back link, daily roll-up and metrics
/// figure as ingest and the minute job left them. Then the same with derived rows damaged: rebuild restores them, and keeps the work
/// people did on call-backs.
/// </summary>
public sealed class RebuildTests(RecordedHistory history, ITestOutputHelper output) : IClassFixture<RecordedHistory>
{
    /// <summary>What the rebuild counts as now: mid-August 2010, so every metrics window holds bank calls.</summary>
    private static readonly DateTimeOffset Now = RecordedHistory.MetricsNow;

    private static WallboardDbContext Open(string database) =>
        WallboardDatabase.CreateContext(DatabaseProvider.Sqlite, $"Data Source={database};Pooling=False");

    private Task<(int Code, string Output, string Errors)> RebuildAsync(string database, params string[] args) =>
        RebuildAsync(database, new StringWriter(), CancellationToken.None, args);

    private async Task<(int Code, string Output, string Errors)> RebuildAsync(string database, StringWriter stdout, CancellationToken ct, params string[] args)
    {
        using var stderr = new StringWriter();
        var code = await RebuildCommand.RunAsync(
            [.. args, $"--ConnectionStrings:Wallboard=Data Source={database};Pooling=False"], new FakeTimeProvider(Now), stdout, stderr, ct);
        stdout.Dispose();
        output.WriteLine(stdout.ToString());
        output.WriteLine(stderr.ToString());
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Rebuilding_the_recorded_history_from_its_events_finds_every_call_call_back_and_metric_as_ingest_left_them()
    {
        var database = history.CopyDatabase();
        Derived incremental;
        Dictionary<(int, MetricsWindow), string> metrics;
        await using (var db = Open(database))
        {
            incremental = await Derived.ReadAsync(db);
            metrics = await MetricsAtAsync(db, Now);
            // Roll-ups of every store's 31 closed days before now, current, some rolled up again after late calls made them stale.
            var (first, last) = (DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-31), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(-1));
            Assert.Equal(31 * history.Stores, await db.MetricsDailyRollups.CountAsync(r => r.Day >= first && r.Day <= last && r.Generation == r.RolledGeneration));
            Assert.True(history.RolledUpAgain > 0, "no roll-up was made stale by a late call");
        }

        // The corpus is the real thing: every call, call-backs linked to missed calls, the PBX's rings.
        Assert.Equal(history.Calls, incremental.Calls.Count);
        Assert.True(incremental.Links.Count > 1000, $"{incremental.Links.Count} call-back links");
        Assert.NotEmpty(incremental.Rings);
        Assert.True(metrics.Values.All(m => m.Contains("\"offered\":", StringComparison.Ordinal)));

        var run = await RebuildAsync(database);

        Assert.Equal(RebuildCommand.Done, run.Code);
        Assert.Contains($"{history.Calls:N0} calls recomputed from their events, 0 corrected", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 links restored, 0 missed calls taken in, 0 resolved by the caller, 0 recounted", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{31 * history.Stores:N0} store-days rolled up from the calls", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"roll-ups +Lakeside Toyota \(store 1\): 31 days in [\d.]+ s", run.Output);
        // Progress per store (calls done of the total, the rate) and a summary.
        Assert.Matches(@"calls +Lakeside Toyota \(store 1\): [\d,]+ calls in [\d.]+ s \([\d,]+ calls/s\), 0 corrected", run.Output);
        Assert.Contains("Rebuilt in ", run.Output, StringComparison.Ordinal);
        await using (var db = Open(database))
        {
            (await Derived.ReadAsync(db)).AssertSameAs(incremental);
            // The snapshots the rebuild wrote are the figures of the calls ingest wrote, window by window.
            var snapshots = await db.MetricsSnapshots.AsNoTracking().ToListAsync();
            Assert.Equal(metrics.Count, snapshots.Count);
            foreach (var snapshot in snapshots)
            {
                Assert.Equal(metrics[(snapshot.StoreId, snapshot.Window)], snapshot.Payload);
            }
        }
    }

    [Fact]
    public async Task Rebuild_restores_damaged_calls_rings_links_and_snapshots_and_keeps_peoples_work_on_call_backs()
    {
        var database = history.CopyDatabase();
        long ringing, changed, unlinked, worked;
        Derived expected;
        Dictionary<(int, MetricsWindow), string> metrics;
        await using (var db = Open(database))
        {
            // People's work: a salesperson claims a call-back and logs a try that did not reach the caller.
            var callback = await db.Callbacks.OrderBy(c => c.Id).FirstAsync(c => c.Status == CallbackStatus.Open && !c.NoNumber);
            var rules = (await CallbackStores.LoadRulesAsync(db, callback.StoreId, CancellationToken.None)).Rules;
            var salesperson = await db.Salespeople.FirstAsync(s => s.StoreId == callback.StoreId);
            var actor = CallbackActor.Salesperson(salesperson.Id, salesperson.Name);
            var at = DateTimeOffset.UtcNow;
            Assert.Equal(CallbackResult.Done, callback.Claim(actor, rules, at));
            Assert.Equal(CallbackResult.Done, callback.LogAttempt(actor, new AttemptInput(AttemptOutcome.NoAnswer, "Rang out, will try again"), rules, at.AddMinutes(2)));
            callback.Version++;
            await db.SaveChangesAsync();
            worked = callback.Id;

            expected = await Derived.ReadAsync(db);
            metrics = await MetricsAtAsync(db, Now);

            // Damage: a call loses its rings, another its outcome, the worked call-back a link, snapshots and a roll-up their figures.
            ringing = await db.CallRings.Select(r => r.CallId).FirstAsync();
            await db.CallRings.Where(r => r.CallId == ringing).ExecuteDeleteAsync();
            changed = await db.Calls.Where(c => c.Outcome == CallOutcome.Abandoned && c.Id != ringing).Select(c => c.Id).FirstAsync();
            await db.Calls.Where(c => c.Id == changed).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Outcome, CallOutcome.Connected).SetProperty(c => c.AnsweredBySalespersonId, salesperson.Id).SetProperty(c => c.TalkSeconds, 60));
            unlinked = await db.CallbackCalls.Where(l => l.CallbackId == worked).Select(l => l.CallId).FirstAsync();
            await db.CallbackCalls.Where(l => l.CallId == unlinked).ExecuteDeleteAsync();
            await db.MetricsSnapshots.ExecuteUpdateAsync(s => s.SetProperty(m => m.Payload, "{}"));
            var rolledUp = new DateOnly(2010, 8, 10);
            await db.MetricsDailyRollups.Where(r => r.StoreId == history.StoreId && r.Day == rolledUp)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Payload, "{}").SetProperty(r => r.Hours, "{}"));

            var damaged = await Derived.ReadAsync(db);
            Assert.NotEqual(expected.Rings.Count, damaged.Rings.Count);
            Assert.NotEqual(expected.Calls.Single(c => c.Contains($"\"Id\":{changed},", StringComparison.Ordinal)),
                damaged.Calls.Single(c => c.Contains($"\"Id\":{changed},", StringComparison.Ordinal)));
            Assert.Equal(expected.Links.Count - 1, damaged.Links.Count);
            Assert.NotEqual(expected.Rollups, damaged.Rollups);
        }

        var run = await RebuildAsync(database);

        Assert.Equal(RebuildCommand.Done, run.Code);
        Assert.Contains($"{history.Calls:N0} calls recomputed from their events, 2 corrected", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 links restored, 0 missed calls taken in", run.Output, StringComparison.Ordinal);
        await using (var db = Open(database))
        {
            // Everything as before the damage, the worked call-back with its claim, attempt and audit trail
            // included; the restored link says when it was joined again (the original time is not kept anywhere).
            var restored = JsonSerializer.Serialize(new CallbackCall { CallbackId = worked, CallId = unlinked, JoinedAt = Now });
            (await Derived.ReadAsync(db)).AssertSameAs(expected with
            {
                Links = [.. expected.Links.Select(l => l.StartsWith($"{{\"CallbackId\":{worked},\"CallId\":{unlinked},", StringComparison.Ordinal) ? restored : l)],
            });
            var callback = await db.Callbacks.AsNoTracking().SingleAsync(c => c.Id == worked);
            Assert.Equal(CallbackStatus.Scheduled, callback.Status);
            Assert.Equal(1, callback.AttemptCount);
            Assert.Single(await db.CallbackAttempts.Where(a => a.CallbackId == worked).ToListAsync(), a => a.Note == "Rang out, will try again");
            Assert.Contains(unlinked, await db.CallbackCalls.Where(l => l.CallbackId == worked).Select(l => l.CallId).ToListAsync());
            foreach (var snapshot in await db.MetricsSnapshots.AsNoTracking().ToListAsync())
            {
                Assert.Equal(metrics[(snapshot.StoreId, snapshot.Window)], snapshot.Payload);
            }
        }

        // Safe to run again: nothing left to correct.
        var again = await RebuildAsync(database, "--store", history.StoreId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(RebuildCommand.Done, again.Code);
        Assert.Contains(" 0 corrected", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_store_exits_5_and_bad_arguments_exit_2_with_the_usage()
    {
        var database = history.CopyDatabase();

        var unknown = await RebuildAsync(database, "--store", "999");
        var bad = await RebuildAsync(database, "--store", "first");
        var stray = await RebuildAsync(database, "--everything");

        Assert.Equal(RebuildCommand.NoSuchStore, unknown.Code);
        Assert.Contains("rebuild: there is no store 999.", unknown.Errors, StringComparison.Ordinal);
        Assert.Equal(RebuildCommand.BadArguments, bad.Code);
        Assert.Contains("--store needs a store id (a number), not 'first'.", bad.Errors, StringComparison.Ordinal);
        Assert.Contains("Usage: rebuild", bad.Errors, StringComparison.Ordinal);
        Assert.Equal(RebuildCommand.BadArguments, stray.Code);
        Assert.Contains("Unknown option '--everything'.", stray.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rebuild_interrupted_by_ctrl_c_exits_130_and_run_again_finishes_with_nothing_left_to_correct()
    {
        var database = history.CopyDatabase();
        Derived before;
        await using (var db = Open(database))
        {
            before = await Derived.ReadAsync(db);
        }

        using var interrupt = new CancellationTokenSource();
        // Ctrl+C as the calls step starts on the first store.
        var stopped = await RebuildAsync(database, new InterruptingWriter("(store 1): ", interrupt), interrupt.Token);
        var again = await RebuildAsync(database);

        Assert.Equal(RebuildCommand.Interrupted, stopped.Code);
        Assert.Contains("rebuild: interrupted during calls", stopped.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Rebuilt in", stopped.Output, StringComparison.Ordinal);
        Assert.Equal(RebuildCommand.Done, again.Code);
        Assert.Contains($"{history.Calls:N0} calls recomputed from their events, 0 corrected", again.Output, StringComparison.Ordinal);
        await using (var db = Open(database))
        {
            (await Derived.ReadAsync(db)).AssertSameAs(before);
        }
    }

    /// <summary>README.md's sentences about <c>rebuild</c>, each with the test here that keeps it true.</summary>
    [Theory]
    [InlineData("Everything derived from the stored call events is computed again by `dotnet run --project Wallboard.Web -- rebuild [--store <id>]`: every call (row, rings, holds, outcome, attribution), the call-backs' links to their calls, the metrics' daily roll-ups, the metrics snapshots and the boards.",
        nameof(Rebuilding_the_recorded_history_from_its_events_finds_every_call_call_back_and_metric_as_ingest_left_them))]
    [InlineData("People's work on call-backs (claims, attempts, notes, closes, the audit trail) is kept.",
        nameof(Rebuild_restores_damaged_calls_rings_links_and_snapshots_and_keeps_peoples_work_on_call_backs))]
    [InlineData("Run it with the app stopped; it prints each store's calls done of the total and the rate, and a summary.",
        nameof(Rebuilding_the_recorded_history_from_its_events_finds_every_call_call_back_and_metric_as_ingest_left_them))]
    [InlineData("It commits a page of calls at a time, so after a crash or Ctrl+C it is simply run again.",
        nameof(Rebuild_interrupted_by_ctrl_c_exits_130_and_run_again_finishes_with_nothing_left_to_correct))]
    [InlineData("`rebuild` exits 0 done, 1 failed, 2 bad arguments, 5 no such store, 130 interrupted.",
        nameof(An_unknown_store_exits_5_and_bad_arguments_exit_2_with_the_usage))]
    public void The_readme_says_what_rebuild_does_and_a_test_keeps_each_sentence_true(string sentence, string keptBy)
    {
        var readme = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "README.md")), @"\s+", " ");

        Assert.Contains(sentence, readme, StringComparison.Ordinal);
        Assert.NotNull(typeof(RebuildTests).GetMethod(keptBy));
        Assert.Contains(Wallboard.Web.CommandLine.Verbs, v => v.Name == RebuildCommand.Verb);
        Assert.Equal((0, 1, 2, 5, 130), (RebuildCommand.Done, RebuildCommand.Failed, RebuildCommand.BadArguments, RebuildCommand.NoSuchStore, RebuildCommand.Interrupted));
    }

    private sealed record RollupRow(int StoreId, DateOnly Day, DateTimeOffset DayStart, DateTimeOffset DayEnd, int ServiceLevelSeconds, bool Current, string Payload, string Hours);

    /// <summary>A terminal whose user presses Ctrl+C when a line with <paramref name="cue"/> appears.</summary>
    private sealed class InterruptingWriter(string cue, CancellationTokenSource interrupt) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.Contains(cue, StringComparison.Ordinal) == true)
            {
                interrupt.Cancel();
            }
        }
    }

    /// <summary>Every store's metrics for every window at <paramref name="now"/>, as the snapshots hold them.</summary>
    private static async Task<Dictionary<(int, MetricsWindow), string>> MetricsAtAsync(WallboardDbContext db, DateTimeOffset now)
    {
        var figures = new Dictionary<(int, MetricsWindow), string>();
        foreach (var store in await MetricsQueries.LoadStoresAsync(db, null, CancellationToken.None))
        {
            foreach (var window in MetricsWindows.All)
            {
                var report = await MetricsQueries.ReadAsync(db, store, window, window.Period(store.Calendar, now), now, CancellationToken.None);
                figures[(store.Id, window)] = JsonSerializer.Serialize(report, MetricsReports.Json);
            }
        }

        return figures;
    }

    /// <summary>
    /// Every derived row, each as JSON, in key order: calls (all columns), rings, holds, call-backs with
    /// their links, attempts and audit trail, and daily roll-ups (their facts, bounds and whether they are
    /// current; not when they were computed nor how often their day changed).
    /// </summary>
    private sealed record Derived(
        List<string> Calls, List<string> Rings, List<string> Holds, List<string> Links, List<string> Callbacks, List<string> Attempts, List<string> Transitions,
        List<string> Rollups)
    {
        public static async Task<Derived> ReadAsync(WallboardDbContext db) => new(
            Rows(await db.Calls.AsNoTracking().OrderBy(c => c.Id).ToListAsync()),
            Rows(await db.CallRings.AsNoTracking().OrderBy(r => r.CallId).ThenBy(r => r.Ordinal).ToListAsync()),
            Rows(await db.CallHolds.AsNoTracking().OrderBy(h => h.CallId).ThenBy(h => h.Ordinal).ToListAsync()),
            Rows(await db.CallbackCalls.AsNoTracking().OrderBy(l => l.CallId).ToListAsync()),
            Rows(await db.Callbacks.AsNoTracking().OrderBy(c => c.Id).ToListAsync()),
            Rows(await db.CallbackAttempts.AsNoTracking().OrderBy(a => a.Id).ToListAsync()),
            Rows(await db.CallbackTransitions.AsNoTracking().OrderBy(t => t.Id).ToListAsync()),
            Rows(await db.MetricsDailyRollups.AsNoTracking().OrderBy(r => r.StoreId).ThenBy(r => r.Day)
                .Select(r => new RollupRow(r.StoreId, r.Day, r.DayStart, r.DayEnd, r.ServiceLevelSeconds, r.Generation == r.RolledGeneration, r.Payload, r.Hours))
                .ToListAsync()));

        public void AssertSameAs(Derived expected)
        {
            Same("calls", expected.Calls, Calls);
            Same("rings", expected.Rings, Rings);
            Same("holds", expected.Holds, Holds);
            Same("call-back links", expected.Links, Links);
            Same("call-backs", expected.Callbacks, Callbacks);
            Same("attempts", expected.Attempts, Attempts);
            Same("audit trail", expected.Transitions, Transitions);
            Same("daily roll-ups", expected.Rollups, Rollups);
        }

        private static List<string> Rows<T>(List<T> rows) => rows.Select(r => JsonSerializer.Serialize(r)).ToList();

        private static void Same(string what, List<string> expected, List<string> actual)
        {
            for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            {
                Assert.True(expected[i] == actual[i], $"{what}, row {i}:\nexpected {expected[i]}\nactual   {actual[i]}");
            }

            Assert.True(expected.Count == actual.Count, $"{what}: {expected.Count} rows expected, {actual.Count} found");
        }
    }
}
