using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// The boards keep nothing in the database: an app builds each store's board from the calls and
/// call-backs when it starts (§5). Rebuild runs with the app stopped, so this step reads what each
/// store's sales board will show at the next start, with the board's own queries
/// (<see cref="BoardQueries.ReadDayAsync"/>), and prints it.
/// </summary>
public sealed class BoardsRebuildStep(IDbContextFactory<WallboardDbContext> dbFactory) : IRebuildStep
{
    public string Name => "boards";

    public async Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(progress);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var store in scope.Stores)
        {
            var (start, end) = store.Calendar.DayBounds(store.Calendar.LocalDate(scope.Now));
            var today = await BoardQueries.ReadDayAsync(
                db, new BoardKey(store.Id, Department.Sales), start, end, scope.Now, store.Settings.ServiceLevelSeconds, ct);
            var inProgress = await db.Calls.CountAsync(c => c.StoreId == store.Id && c.Department == Department.Sales && c.Outcome == null, ct);
            progress.Line(Name, string.Create(CultureInfo.InvariantCulture,
                $"{store.Name} (store {store.Id}), sales today: {today.Totals.Offered:N0} calls, {today.Totals.Missed:N0} missed, {inProgress:N0} in progress"));
        }

        return $"{scope.Stores.Count.ToString("N0", CultureInfo.InvariantCulture)} boards: the app builds them from the rebuilt calls when it starts";
    }
}
