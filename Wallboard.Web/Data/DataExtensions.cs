using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Web.Data;

public static class DataExtensions
{
    /// <summary>Where the app keeps its files (database, demo credentials): <c>data/</c> under the working directory.</summary>
    public static string DataDirectory(this IConfiguration configuration) =>
        Path.GetFullPath(configuration["Wallboard:DataDirectory"] ?? "data");

    /// <summary>
    /// The database: SQLite at <c>data/wallboard.db</c> unless <c>ConnectionStrings:Wallboard</c>
    /// says otherwise, or PostgreSQL with <c>Wallboard:Database:Provider=Postgres</c> (then the
    /// connection string is required). Components and jobs create a context per unit of work from
    /// the factory.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardData(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration.Provider();
        var connectionString = provider == DatabaseProvider.Postgres
            ? builder.Configuration.GetConnectionString("Wallboard") is { Length: > 0 } postgres
                ? postgres
                : throw new InvalidOperationException("Wallboard:Database:Provider is Postgres: set ConnectionStrings:Wallboard (Host=…;Database=…;Username=…).")
            : SqliteConnectionString(builder.Configuration);

        // FULL is SQLite's own default: only a deliberate NORMAL needs a pragma on every connection.
        var durability = builder.Configuration.GetValue("Wallboard:Data:Synchronous", SqliteDurability.Full);
        builder.Services.AddSingleton(new DatabaseProviderSetting(provider));
        builder.Services.AddDbContextFactory<WallboardDbContext, WallboardDbContextFactory>(options =>
        {
            options.Use(provider, connectionString);
            if (provider == DatabaseProvider.Sqlite && durability != SqliteDurability.Full)
            {
                options.AddInterceptors(new SqliteDurabilityInterceptor(durability));
            }
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddSingleton<IStoreDirectory, DbStoreDirectory>();
        builder.Services.AddSingleton<Admin.AuditLog>();
        return builder;
    }

    /// <summary>
    /// Applies the migrations (and on SQLite turns on WAL) under the start-up lock: for the
    /// command-line verbs, which may run while an app node starts.
    /// </summary>
    public static Task MigrateWallboardDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        return StartupLock.RunAsync(factory, () => MigrateAsync(factory, ct), ct);
    }

    private static async Task MigrateAsync(IDbContextFactory<WallboardDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // Most starts find the database up to date: one read of the migrations history says so,
        // without the migration lock's writes or the model comparison a migration run makes
        // (StartupDatabaseTests keeps the model and the migrations in step instead).
        if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            await db.Database.MigrateAsync(ct);
        }

        if (db.Database.IsSqlite())
        {
            // WAL lets the board and the screens read while ingest writes; it is a property
            // of the database file, so setting it once at start-up is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            // Statistics for the query planner: every table (0x10000) that has none or has changed
            // a lot since is analyzed (0x02), on a sample bounded by SQLite (0x10), so this costs
            // the same at a thousand calls or a million. Without statistics SQLite cannot tell that
            // the partial index of calls in progress is tiny and reads every call a store ever had
            // instead: start-up (each board's calls in progress) and the stale-call sweep then
            // grow with history.
            await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10012;", ct);
        }
    }

    /// <summary>
    /// Brings the database up to date before the app serves anything: applies migrations, turns on
    /// WAL, and on an empty database seeds the demo (unless <c>Wallboard:Demo:Seed</c> is false).
    /// Migrating and seeding are one step under the start-up lock: of several nodes starting at
    /// once on an empty database, one migrates and seeds, the others wait and find it done.
    /// </summary>
    public static Task PrepareWallboardDataAsync(this WebApplication app, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        return StartupLock.RunAsync(
            factory,
            async () =>
            {
                await MigrateAsync(factory, ct);
                if (app.Configuration.GetValue("Wallboard:Demo:Seed", true))
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(ct);
                }
            },
            ct);
    }

    private static string SqliteConnectionString(IConfiguration configuration)
    {
        var sqlite = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Wallboard")
            ?? $"Data Source={Path.Combine(configuration.DataDirectory(), "wallboard.db")}");
        if (!string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:" && sqlite.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        return sqlite.ToString();
    }
}
