using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Data;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// The store zones that ingest's late-call marking holds in memory (<see cref="DailyRollups.MarkLateCallsAsync"/>)
/// are each database's own, and a store change reaches them at once: two databases in one process
/// with the same store id in different zones each mark by their own zone; a zone changed and
/// announced is the one the next late call is marked by.
/// </summary>
public abstract class DailyRollupsCalendarTests(DatabaseProvider provider)
{
    public sealed class OnSqlite() : DailyRollupsCalendarTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgres() : DailyRollupsCalendarTests(DatabaseProvider.Postgres);

    // 04:00 UTC on 28 November: already the 28th in Auckland (17:00), still the 27th in Chicago (22:00).
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 4, 0, 0, TimeSpan.Zero);

    // 08:00 UTC on the 27th: 21:00 on the 27th in Auckland (a day before its today, so late), 02:00 on the 27th in Chicago (today).
    private static readonly DateTimeOffset Started = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Two_databases_with_the_same_store_id_in_different_zones_each_mark_late_calls_by_their_own_zone()
    {
        await using var chicago = await TestDatabase.CreateAsync(provider);
        await using var auckland = await TestDatabase.CreateAsync(provider);
        var chicagoStore = await AddStoreAsync(chicago, "America/Chicago");
        var aucklandStore = await AddStoreAsync(auckland, "Pacific/Auckland");
        Assert.Equal(chicagoStore, aucklandStore);

        // Chicago's store reads its zone first: the call is of its today, nothing to mark.
        await MarkAsync(chicago, chicagoStore);
        Assert.Empty(await MarkedDaysAsync(chicago, chicagoStore));

        // The same store id in the other database is in Auckland: the call is of a day before its today.
        await MarkAsync(auckland, aucklandStore);
        Assert.Equal([new DateOnly(2026, 11, 27)], await MarkedDaysAsync(auckland, aucklandStore));
    }

    [Fact]
    public async Task A_store_moved_to_another_zone_has_its_next_late_call_marked_by_the_new_zone()
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        var storeId = await AddStoreAsync(database, "America/Chicago");
        await MarkAsync(database, storeId);
        Assert.Empty(await MarkedDaysAsync(database, storeId));

        // What an admin's save does (AdminChanges.StoreChanged, and another node hearing of it).
        await using (var db = database.CreateDbContext())
        {
            await db.Stores.Where(s => s.Id == storeId).ExecuteUpdateAsync(s => s.SetProperty(x => x.TimeZoneId, "Pacific/Auckland"));
        }

        DailyRollups.StoreChanged(storeId);

        await MarkAsync(database, storeId);
        Assert.Equal([new DateOnly(2026, 11, 27)], await MarkedDaysAsync(database, storeId));
    }

    private static async Task<int> AddStoreAsync(TestDatabase database, string zone)
    {
        await using var db = database.CreateDbContext();
        var store = new Store { Name = $"Store in {zone}", Slug = "calendar-" + Guid.NewGuid().ToString("N")[..8], TimeZoneId = zone };
        db.Stores.Add(store);
        await db.SaveChangesAsync();
        return store.Id;
    }

    // A call without a number, so only its own day can be marked.
    private static async Task MarkAsync(TestDatabase database, int storeId)
    {
        await using var db = database.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var call = new Call { ExternalId = "late", StoreId = storeId, Department = Department.Sales, StartedAt = Started, LastEventAt = Started };
        await DailyRollups.MarkLateCallsAsync(db, [call], Now, default);
        await transaction.CommitAsync();
    }

    private static async Task<List<DateOnly>> MarkedDaysAsync(TestDatabase database, int storeId)
    {
        await using var db = database.CreateDbContext();
        return await db.MetricsDailyRollups.AsNoTracking().Where(r => r.StoreId == storeId).OrderBy(r => r.Day).Select(r => r.Day).ToListAsync();
    }
}
