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
    /// says otherwise. Components and jobs create a context per unit of work from the factory.
    /// </summary>
    public static IHostApplicationBuilder AddWallboardData(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Wallboard")
            ?? $"Data Source={Path.Combine(builder.Configuration.DataDirectory(), "wallboard.db")}";

        var sqlite = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(sqlite.DataSource) && sqlite.DataSource != ":memory:" && sqlite.Mode != SqliteOpenMode.Memory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(sqlite.DataSource));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        builder.Services.AddDbContextFactory<WallboardDbContext>(options => options.UseSqlite(sqlite.ToString()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<DemoSeeder>();
        builder.Services.AddSingleton<IStoreDirectory, DbStoreDirectory>();
        builder.Services.AddSingleton<Admin.AuditLog>();
        return builder;
    }

    /// <summary>Applies the migrations and turns on WAL: for the app at start-up and for the command-line verbs.</summary>
    public static async Task MigrateWallboardDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets the board and the screens read while ingest writes; it is a property
            // of the database file, so setting it once at start-up is enough.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
    }

    /// <summary>
    /// Brings the database up to date before the app serves anything: applies migrations, turns on
    /// WAL, and on an empty database seeds the demo (unless <c>Wallboard:Demo:Seed</c> is false).
    /// </summary>
    public static async Task PrepareWallboardDataAsync(this WebApplication app, CancellationToken ct = default)
    {
        await app.Services.MigrateWallboardDatabaseAsync(ct);

        if (app.Configuration.GetValue("Wallboard:Demo:Seed", true))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(ct);
        }
    }
}
