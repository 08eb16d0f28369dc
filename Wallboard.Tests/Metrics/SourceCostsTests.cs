using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// What missed calls cost per lead source: the report's calls, connected, missed and recovered are
/// the metrics' own for the same day and month; the money adds up to the spend entered, over the
/// sources and over a month's days; the CSV says the same; the admin's changes are audited.
/// </summary>
public sealed class SourceCostsTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _ingest = new(app);

    [Theory]
    [InlineData(100_000L, 2026, 2)]
    [InlineData(100_000L, 2028, 2)]
    [InlineData(99_999L, 2026, 11)]
    [InlineData(1L, 2026, 12)]
    [InlineData(123_456_789L, 2026, 7)]
    public void A_months_days_add_up_to_its_spend_to_the_cent(long monthCents, int year, int month)
    {
        var days = DateTime.DaysInMonth(year, month);
        var shares = Enumerable.Range(1, days).Select(d => SourceCosts.DaySpendCents(monthCents, new DateOnly(year, month, d))).ToList();

        Assert.Equal(monthCents, shares.Sum());
        Assert.True(shares.Max() - shares.Min() <= 1);
    }

    [Fact]
    public async Task Per_day_and_per_month_the_report_agrees_with_the_metrics_and_the_money_adds_up()
    {
        var store = _ingest.Credentials.Stores[0];
        var calendar = new StoreCalendar(store.TimeZoneId);
        var now = DateTimeOffset.UtcNow;
        var today = calendar.LocalDate(now);
        var start = now.AddMinutes(-40);
        // Cars.com (+16305550104): two answered, two missed (one of them calls back and gets through).
        await _ingest.PostEventsAsync(new CallBuilder("cost-1", start).Started(from: "3125550601", to: "+16305550104").Answered("101", 10).Ended(200).Events);
        await _ingest.PostEventsAsync(new CallBuilder("cost-2", start.AddMinutes(2)).Started(from: "3125550602", to: "+16305550104").Answered("101", 12).Ended(100).Events);
        await _ingest.PostEventsAsync(new CallBuilder("cost-3", start.AddMinutes(4)).Started(from: "3125550603", to: "+16305550104").Ended(40).Events);
        await _ingest.PostEventsAsync(new CallBuilder("cost-4", start.AddMinutes(6)).Started(from: "3125550604", to: "+16305550104").Ended(50).Events);
        await _ingest.PostEventsAsync(new CallBuilder("cost-5", start.AddMinutes(20)).Started(from: "3125550603", to: "+16305550104").Answered("102", 5).Ended(90).Events);

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        var costs = app.Services.GetRequiredService<LeadCostsAdminService>();
        int carsId, otherId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            carsId = await db.TrackingNumbers.Where(t => t.E164 == "+16305550104").Select(t => t.LeadSourceId).SingleAsync();
            otherId = await db.LeadSources.Where(s => s.StoreId == store.Id && s.Id != carsId && s.Name != LeadSource.UnknownName).Select(s => s.Id).FirstAsync();
        }

        var month = new DateOnly(today.Year, today.Month, 1);
        Assert.True((await costs.SetSpendAsync("admin@demo.example", carsId, month, 1234.56m, default)).Succeeded);
        Assert.True((await costs.SetSpendAsync("admin@demo.example", otherId, month.AddMonths(-1), 500m, default)).Succeeded); // carried forward
        Assert.True((await costs.SetAnsweredCallValueAsync("admin@demo.example", store.Id, 250m, default)).Succeeded);
        Assert.False((await costs.SetSpendAsync("admin@demo.example", carsId, month, -1m, default)).Succeeded);
        Assert.False((await costs.SetSpendAsync("admin@demo.example", carsId, month, 1.234m, default)).Succeeded);

        var token = _ingest.Credentials.ApiTokens.Single(t => t.Role == "Manager" && t.StoreId == store.Id).Token;
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var byDay = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores/{store.Id}/metrics/source-costs?day={today:yyyy-MM-dd}");
        var byMonth = await http.GetFromJsonAsync<JsonElement>($"api/v1/stores/{store.Id}/metrics/source-costs?month={today:yyyy-MM}");

        // The metrics of the same periods, computed by the metrics code.
        MetricsReport dayMetrics, monthMetrics;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var facts = (await MetricsQueries.LoadStoresAsync(db, store.Id, default)).Single();
            dayMetrics = await MetricsQueries.ReadAsync(db, facts, MetricsWindow.Today, MetricsPeriod.Days(calendar, today, 1), DateTimeOffset.UtcNow, default);
            monthMetrics = await MetricsQueries.ReadAsync(db, facts, MetricsWindow.MonthToDate, MetricsWindow.MonthToDate.Period(calendar, DateTimeOffset.UtcNow), DateTimeOffset.UtcNow, default);
        }

        foreach (var (report, metrics) in new[] { (byDay, dayMetrics), (byMonth, monthMetrics) })
        {
            var rows = report.GetProperty("sources").EnumerateArray().ToList();
            foreach (var source in metrics.Sources)
            {
                var row = rows.Single(r => r.GetProperty("name").GetString() == source.Name);
                Assert.Equal(source.Figures.Offered, row.GetProperty("calls").GetInt32());
                Assert.Equal(source.Figures.Connected, row.GetProperty("connected").GetInt32());
                Assert.Equal(source.Figures.Missed, row.GetProperty("missed").GetInt32());
                Assert.Equal(source.Figures.RecoveredMissed, row.GetProperty("recoveredMissed").GetInt32());
                Assert.Equal(source.Figures.Missed - source.Figures.RecoveredMissed, row.GetProperty("missedNotRecovered").GetInt32());
                Assert.Equal(250m * (source.Figures.Missed - source.Figures.RecoveredMissed), row.GetProperty("leftOnTheTable").GetDecimal());
            }

            var total = report.GetProperty("total");
            Assert.Equal(metrics.Store.Offered, total.GetProperty("calls").GetInt32());
            Assert.Equal(metrics.Store.Missed - metrics.Store.RecoveredMissed, total.GetProperty("missedNotRecovered").GetInt32());
            Assert.Equal(rows.Sum(r => r.GetProperty("spend").GetDecimal()), total.GetProperty("spend").GetDecimal());
            foreach (var row in rows.Where(r => r.GetProperty("calls").GetInt32() > 0))
            {
                var calls = row.GetProperty("calls").GetInt32();
                Assert.InRange(row.GetProperty("costPerCall").GetDecimal() * calls - row.GetProperty("spend").GetDecimal(), -0.005m * calls, 0.005m * calls);
            }
        }

        // Cars.com today: the five calls, one missed caller got through later, one was never reached.
        var carsToday = byDay.GetProperty("sources").EnumerateArray().Single(r => r.GetProperty("leadSourceId").GetInt32() == carsId);
        Assert.True(carsToday.GetProperty("calls").GetInt32() >= 5);
        var carsMonth = byMonth.GetProperty("sources").EnumerateArray().Single(r => r.GetProperty("leadSourceId").GetInt32() == carsId);
        Assert.Equal(1234.56m, carsMonth.GetProperty("spend").GetDecimal());
        Assert.Equal(SourceCosts.DaySpendCents(123_456, today) / 100m, carsToday.GetProperty("spend").GetDecimal());
        var otherMonth = byMonth.GetProperty("sources").EnumerateArray().Single(r => r.GetProperty("leadSourceId").GetInt32() == otherId);
        Assert.Equal(500m, otherMonth.GetProperty("spend").GetDecimal());
        Assert.Equal(1734.56m, byMonth.GetProperty("total").GetProperty("spend").GetDecimal());

        // The CSV: the same rows and money.
        var csv = (await http.GetStringAsync($"api/v1/stores/{store.Id}/metrics/source-costs.csv?month={today:yyyy-MM}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("period,source,calls,connected,missed,recovered,missedNotRecovered,spend", csv[0], StringComparison.Ordinal);
        Assert.Contains(csv, line => line.StartsWith($"{today:yyyy-MM},All sources,{monthMetrics.Store.Offered},", StringComparison.Ordinal) && line.Contains(",1734.56,", StringComparison.Ordinal));
        Assert.Equal(byMonth.GetProperty("sources").GetArrayLength() + 2, csv.Length);

        // Audited.
        await using (var db = await factory.CreateDbContextAsync())
        {
            var actions = await db.AuditEntries.Where(a => a.StoreId == store.Id).Select(a => a.Action).ToListAsync();
            Assert.Equal(2, actions.Count(a => a == "lead-source.spend-set"));
            Assert.Single(actions, a => a == "store.sales-call-value-set");
        }

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.GetAsync($"api/v1/stores/{store.Id}/metrics/source-costs?month=2026-13")).StatusCode);
    }
}
