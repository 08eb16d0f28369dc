using System.Globalization;
using Wallboard.Domain.Staffing;
using Xunit.Abstractions;

namespace Wallboard.Tests.Staffing;

/// <summary>
/// The staffing models against a real call centre: the Anonymous Bank's August
/// (../shared/data/anonymous-bank/august.csv). For every hour of its last week (25–31 August) with
/// at least 10 callers, Erlang C and Erlang A predict the share answered within 20 s from that
/// hour's callers, mean handle time and agents on duty; the rows say what it was. The mean
/// absolute error, in points, is pinned here and quoted in docs/staffing.md. The hourly forecast
/// is checked on the same week, forecast from the weeks before it.
/// </summary>
public sealed class StaffingBankCheckTests(ITestOutputHelper output)
{
    private const int AnswerWithin = 20;
    private const int ShortAbandon = 5;
    private static readonly DateOnly FirstDay = new(2010, 8, 1);
    private static readonly DateOnly LastWeek = new(2010, 8, 25);

    /// <summary>One caller who asked for an agent: queued, or answered at once.</summary>
    private sealed record BankCall(DateOnly Day, int ArrivedAt, int Waited, bool Served, int ServiceStart, int ServiceSeconds, string Server);

    private sealed record Hour(DateOnly Day, int Index, int Callers, int WithinTarget, double HandleSeconds, int AgentsOnDuty, int DistinctAgents);

    [Fact]
    public void Erlang_a_and_c_predict_the_banks_last_week_hour_by_hour_within_the_pinned_error()
    {
        var calls = ReadCallers();
        var patience = CallerPatience.MeanSeconds(
            calls.Count(c => !c.Served), calls.Sum(c => (double)c.Waited))!.Value;
        var hours = HoursOf(calls).Where(h => h.Day >= LastWeek && h.Callers >= 10).ToList();

        double errorC = 0, errorA = 0, errorHeadcount = 0;
        foreach (var hour in hours)
        {
            var actual = hour.WithinTarget / (double)hour.Callers;
            var load = new QueueLoad(hour.Callers, hour.HandleSeconds);
            errorC += Math.Abs(ErlangC.Predict(load, hour.AgentsOnDuty, AnswerWithin).ServiceLevel - actual);
            errorA += Math.Abs(ErlangA.Predict(load with { PatienceSeconds = patience }, hour.AgentsOnDuty, AnswerWithin).ServiceLevel - actual);
            errorHeadcount += Math.Abs(ErlangA.Predict(load with { PatienceSeconds = patience }, hour.DistinctAgents, AnswerWithin).ServiceLevel - actual);
        }

        var maeC = 100 * errorC / hours.Count;
        var maeA = 100 * errorA / hours.Count;
        var maeHeadcount = 100 * errorHeadcount / hours.Count;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{hours.Count} hours; patience {patience:F0} s; mean absolute error Erlang C {maeC:F1} points, Erlang A {maeA:F1} points; Erlang A with every agent who served in the hour counted whole {maeHeadcount:F1} points"));

        Assert.Equal(96, hours.Count);
        Assert.Equal(422, patience, 0);
        // Pinned: fails if the models or the way the hour is read get worse.
        Assert.InRange(maeC, 0, 18.5); // measured 18.0; Erlang A 18.6
        Assert.InRange(maeA, 0, 19.0);
        // Counting every agent who served a call in the hour as on duty all hour overstates the staff.
        Assert.True(maeHeadcount > maeA);
    }

    [Fact]
    public void The_forecast_of_the_banks_last_week_from_the_weeks_before_beats_same_hour_last_week()
    {
        var calls = ReadCallers();
        var counts = calls.GroupBy(c => (c.Day, c.ArrivedAt / 3600)).ToDictionary(g => g.Key, g => g.Count());
        var forecast = new CallForecast(counts, FirstDay);

        double error = 0, naive = 0, total = 0;
        for (var day = LastWeek; day <= new DateOnly(2010, 8, 31); day = day.AddDays(1))
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var actual = counts.GetValueOrDefault((day, hour));
                error += Math.Abs(forecast.Forecast(day, hour, origin: day)!.Value - actual);
                naive += Math.Abs(counts.GetValueOrDefault((day.AddDays(-7), hour)) - actual);
                total += actual;
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} callers in the week; forecast error {100 * error / total:F1} % of them ({error / (7 * 24):F2} calls an hour), same hour last week {100 * naive / total:F1} %"));
        Assert.Equal(6986, total);
        Assert.InRange(error / total, 0, 0.150);
        Assert.True(error < naive);
    }

    // Callers in the hour they asked for an agent, less short abandons (§3), as the metrics count them.
    private static IEnumerable<Hour> HoursOf(List<BankCall> calls)
    {
        var presence = calls.Where(c => c.Served)
            .GroupBy(c => (c.Day, c.Server))
            .ToDictionary(g => g.Key, g => g.Select(c => (Start: c.ServiceStart, End: c.ServiceStart + c.ServiceSeconds)).ToList());
        return calls.GroupBy(c => (c.Day, Index: c.ArrivedAt / 3600)).Select(g =>
        {
            var served = g.Where(c => c.Served).ToList();
            var (from, to) = (g.Key.Index * 3600, (g.Key.Index + 1) * 3600);
            // On duty: each agent from their first service start to their last service end that
            // touches the hour, as a share of the hour; summed and rounded.
            var onDuty = presence.Where(p => p.Key.Day == g.Key.Day)
                .Select(p => p.Value.Where(s => s.End > from && s.Start < to).ToList())
                .Where(s => s.Count > 0)
                .Sum(s => (Math.Min(s.Max(x => x.End), to) - Math.Max(s.Min(x => x.Start), from)) / 3600.0);
            var distinct = calls.Where(c => c.Served && c.Day == g.Key.Day && c.ServiceStart / 3600 == g.Key.Index).Select(c => c.Server).Distinct().Count();
            return new Hour(
                g.Key.Day,
                g.Key.Index,
                g.Count(),
                served.Count(c => c.Waited <= AnswerWithin),
                served.Count > 0 ? served.Average(c => c.ServiceSeconds) : 0,
                Math.Max(1, (int)Math.Round(onDuty, MidpointRounding.AwayFromZero)),
                Math.Max(1, distinct));
        }).Where(h => h.HandleSeconds > 0);
    }

    private static List<BankCall> ReadCallers()
    {
        var lines = File.ReadAllLines(SharedData.PathTo("anonymous-bank", "august.csv"));
        var header = lines[0].Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var (date, qStart, qTime, outcome, serStart, serTime, server) =
            (Col("date"), Col("q_start"), Col("q_time"), Col("outcome"), Col("ser_start"), Col("ser_time"), Col("server"));
        var calls = new List<BankCall>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            var queued = f[qStart] != "0:00:00";
            var served = f[outcome] == "AGENT";
            var hungUpQueued = f[outcome] == "HANG" && queued;
            var waited = int.Parse(f[qTime], CultureInfo.InvariantCulture);
            if (!(served || hungUpQueued) || (hungUpQueued && waited < ShortAbandon))
            {
                continue;
            }

            calls.Add(new BankCall(
                DateOnly.ParseExact(f[date], "yyyy-MM-dd", CultureInfo.InvariantCulture),
                Seconds(queued ? f[qStart] : f[serStart]),
                queued ? waited : 0,
                served,
                served ? Seconds(f[serStart]) : 0,
                served ? int.Parse(f[serTime], CultureInfo.InvariantCulture) : 0,
                f[server]));
        }

        return calls;
    }

    private static int Seconds(string clock)
    {
        var parts = clock.Split(':').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (parts[0] * 3600) + (parts[1] * 60) + parts[2];
    }
}
