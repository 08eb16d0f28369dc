using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>
/// Past days of simulated traffic (<c>Wallboard:Simulator:HistoryDays</c>), written through the
/// ingest pipeline before the live day plays, so that screens built on history (staffing, the
/// longer metrics windows) have something to show in a demo. Only for a store with no calls before
/// today: a restart never adds the same days twice.
/// </summary>
internal static partial class SimulatedHistory
{
    private const int BatchEvents = 1000;

    public static async Task PlayAsync(
        SimulatorSetup setup,
        SimulatorOptions settings,
        IIngestPipeline pipeline,
        IDbContextFactory<WallboardDbContext> dbFactory,
        DateTimeOffset now,
        Random seeds,
        string run,
        ILogger logger,
        CancellationToken ct)
    {
        if (settings.HistoryDays <= 0)
        {
            return;
        }

        foreach (var store in setup.Stores)
        {
            var today = store.Calendar.LocalDate(now);
            var start = store.Calendar.DayBounds(today.AddDays(-settings.HistoryDays)).Start;
            var end = store.Calendar.DayBounds(today).Start;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
            {
                if (await db.Calls.AnyAsync(c => c.StoreId == store.Id && c.StartedAt < end, ct))
                {
                    continue;
                }
            }

            var calls = 0;
            foreach (var (department, perDay) in new[] { (Department.Sales, settings.SalesCallsPerOpenDay), (Department.Service, settings.ServiceCallsPerOpenDay) })
            {
                if (perDay <= 0 || store.LinesOf(department).Count == 0)
                {
                    continue;
                }

                var random = new Random(seeds.Next());
                var traffic = new TrafficModel(store.Calendar, department, perDay, start);
                var generator = new CallScriptGenerator(store, department, random, $"hist-{run}");
                var batch = new List<CallEvent>();
                var at = start;
                while (traffic.NextArrival(at, random) is { } next && next < end)
                {
                    at = next;
                    batch.AddRange(generator.Next(at).Events);
                    calls++;
                    if (batch.Count >= BatchEvents)
                    {
                        await pipeline.SubmitAsync(setup.IntegrationId, batch, ct);
                        batch = [];
                    }
                }

                if (batch.Count > 0)
                {
                    await pipeline.SubmitAsync(setup.IntegrationId, batch, ct);
                }
            }

            LogPlayed(logger, calls, settings.HistoryDays, store.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call simulator wrote {Calls} calls of the {Days} days before today for {Store}")]
    private static partial void LogPlayed(ILogger logger, int calls, int days, string store);
}
