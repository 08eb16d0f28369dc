using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// A real, migrated database of its own, on SQLite (a file in a temporary folder) or PostgreSQL
/// (a fresh database in the test run's cluster, <see cref="PostgresCluster"/>); deleted afterwards.
/// Either way <see cref="Folder"/> is a temporary folder for the files an app keeps beside its
/// database (credentials, keys).
/// </summary>
internal sealed class TestDatabase : IDbContextFactory<WallboardDbContext>, IAsyncDisposable
{
    private TestDatabase(DatabaseProvider provider, string folder, string connectionString)
    {
        Provider = provider;
        Folder = folder;
        ConnectionString = connectionString;
    }

    public DatabaseProvider Provider { get; }

    public string Folder { get; }

    public string ConnectionString { get; }

    /// <summary>A migrated, empty database on <paramref name="provider"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wallboard-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        if (provider == DatabaseProvider.Postgres)
        {
            var cluster = await PostgresCluster.GetAsync();
            return new TestDatabase(provider, folder, await cluster.CreateDatabaseAsync());
        }

        var database = new TestDatabase(provider, folder, $"Data Source={Path.Combine(folder, "wallboard.db")};Pooling=False");
        await using var db = database.CreateDbContext();
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>Asserts that the database refused a save for a unique index, in its own words (SQLite's or PostgreSQL's).</summary>
    public static void AssertUniqueViolation(DbUpdateException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        switch (refused.InnerException)
        {
            case Microsoft.Data.Sqlite.SqliteException sqlite:
                Assert.Equal(19, sqlite.SqliteErrorCode); // SQLITE_CONSTRAINT
                Assert.Contains("UNIQUE", sqlite.Message, StringComparison.Ordinal);
                break;
            case Npgsql.PostgresException postgres:
                Assert.Equal(Npgsql.PostgresErrorCodes.UniqueViolation, postgres.SqlState);
                break;
            default:
                Assert.Fail($"Expected the database to refuse a duplicate, got {refused.InnerException?.GetType().Name ?? "nothing"}: {refused.InnerException?.Message}");
                break;
        }
    }

    public WallboardDbContext CreateDbContext() => WallboardDatabase.CreateContext(Provider, ConnectionString);

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await (await PostgresCluster.GetAsync()).DropDatabaseAsync(ConnectionString);
        }

        Directory.Delete(Folder, recursive: true);
    }
}
