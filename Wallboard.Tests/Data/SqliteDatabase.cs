using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>A real SQLite database in a file of its own, migrated like the app does; deleted afterwards.</summary>
internal sealed class SqliteDatabase : IDbContextFactory<WallboardDbContext>, IAsyncDisposable
{
    private SqliteDatabase(string folder)
    {
        Folder = folder;
        ConnectionString = $"Data Source={Path.Combine(folder, "wallboard.db")};Pooling=False";
    }

    public string Folder { get; }

    public string ConnectionString { get; }

    public static async Task<SqliteDatabase> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wallboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new SqliteDatabase(folder);
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    public WallboardDbContext CreateDbContext() =>
        WallboardDatabase.CreateContext(DatabaseProvider.Sqlite, ConnectionString);

    public ValueTask DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return ValueTask.CompletedTask;
    }
}
