using System.Data;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// Read transactions on SQLite (docs/database.md, "Writers on SQLite take turns"): begun DEFERRED
/// by the gate, they take a turn only when their first statement writes, and one that has read
/// refuses to write instead of waiting on a snapshot SQLite will not upgrade.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task A_read_transaction_does_not_hold_the_write_lock_a_writer_needs()
    {
        await using var reader = _database.CreateDbContext();
        await using var read = await reader.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        Assert.Equal(0, await reader.Stores.CountAsync());

        // A writer on another connection, with its own transaction, while the read is open.
        await using (var writer = _database.CreateDbContext())
        {
            await using var write = await writer.Database.BeginTransactionAsync();
            writer.Stores.Add(new Store { Name = "Written during a read", Slug = "during-read", TimeZoneId = "America/Chicago" });
            await writer.SaveChangesAsync();
            await write.CommitAsync();
        }

        // The read still sees its snapshot.
        Assert.Equal(0, await reader.Stores.CountAsync());
        await read.CommitAsync();
        Assert.Equal(1, await reader.Stores.CountAsync());
    }

    [Fact]
    public async Task A_read_transaction_whose_first_statement_writes_takes_its_turn_and_commits()
    {
        await using var db = _database.CreateDbContext();
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        db.Stores.Add(new Store { Name = "Written first", Slug = "written-first", TimeZoneId = "America/Chicago" });
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        await using var check = _database.CreateDbContext();
        Assert.True(await check.Stores.AnyAsync(s => s.Slug == "written-first"));
    }

    [Fact]
    public async Task A_read_transaction_that_has_read_refuses_to_write_and_leaves_nothing_behind()
    {
        await using (var db = _database.CreateDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead);
            Assert.Equal(0, await db.Stores.CountAsync());
            db.Stores.Add(new Store { Name = "Written after a read", Slug = "after-read", TimeZoneId = "America/Chicago" });
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.IsType<InvalidOperationException>(refused.InnerException);
        }

        // Nothing kept, and no turn left held: another writer gets in.
        await using var writer = _database.CreateDbContext();
        Assert.False(await writer.Stores.AnyAsync(s => s.Slug == "after-read"));
        writer.Stores.Add(new Store { Name = "Next writer", Slug = "next-writer", TimeZoneId = "America/Chicago" });
        await writer.SaveChangesAsync();
        Assert.True(await writer.Stores.AnyAsync(s => s.Slug == "next-writer"));
    }
}
