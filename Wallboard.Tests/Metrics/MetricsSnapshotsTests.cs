using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Metrics;
using Wallboard.Tests.Live;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// Snapshots are one row per store and window, however many runs save at once: the metrics job and
/// a screen that found no snapshot yet, or the jobs of two nodes on one database.
/// </summary>
public abstract class MetricsSnapshotsTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : MetricsSnapshotsTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : MetricsSnapshotsTests(DatabaseProvider.Postgres);

    private BoardTestBed _bed = null!;

    public async Task InitializeAsync() =>
        _bed = await BoardTestBed.CreateAsync(new DateTimeOffset(2026, 11, 2, 18, 0, 0, TimeSpan.Zero), provider: provider);

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Runs_that_save_the_first_snapshot_of_a_store_at_the_same_moment_all_succeed_and_leave_one_row_per_window()
    {
        MetricsWindow[] windows = [MetricsWindow.Today, MetricsWindow.Yesterday];
        using var start = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, 6)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await _bed.Metrics.ComputeAsync(windows, _bed.Lakeside, CancellationToken.None);
            }))
            .ToList();
        start.Set();

        var results = await Task.WhenAll(runs);

        Assert.All(results, reports => Assert.Equal(windows.Length, reports.Count));
        await using var db = _bed.Database.CreateDbContext();
        var rows = await db.MetricsSnapshots.AsNoTracking().Where(s => s.StoreId == _bed.Lakeside).ToListAsync();
        Assert.Equal(windows.Order(), rows.Select(r => r.Window).Order());
    }
}
