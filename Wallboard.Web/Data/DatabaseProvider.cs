using Microsoft.EntityFrameworkCore;

namespace Wallboard.Web.Data;

/// <summary>Which database the app keeps its data in (<c>Wallboard:Database:Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One SQLite file beside the app: the embedded default, one app node.</summary>
    Sqlite = 0,

    /// <summary>A PostgreSQL database (Npgsql), which several app nodes can share.</summary>
    Postgres = 1,
}

/// <summary>The SQLite database's context: its migrations are under <c>Data/Migrations/Sqlite</c>.</summary>
public sealed class SqliteWallboardDbContext(DbContextOptions<WallboardDbContext> options) : WallboardDbContext(options);

/// <summary>The PostgreSQL database's context: its migrations are under <c>Data/Migrations/Postgres</c>.</summary>
public sealed class PostgresWallboardDbContext(DbContextOptions<WallboardDbContext> options) : WallboardDbContext(options);

/// <summary>
/// The one place that knows how each provider is configured: the app, the command-line verbs, the
/// design-time factories, the tests and the bench all build their contexts here.
/// </summary>
public static class WallboardDatabase
{
    /// <summary>The configured provider: <c>Wallboard:Database:Provider</c>, SQLite unless it says <c>Postgres</c>.</summary>
    public static DatabaseProvider Provider(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration["Wallboard:Database:Provider"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DatabaseProvider.Sqlite;
        }

        return Enum.TryParse<DatabaseProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException($"Wallboard:Database:Provider is \"{value}\"; say Sqlite or Postgres.");
    }

    /// <summary>
    /// Points <paramref name="options"/> at the database: SQLite or Npgsql, with the app's settings for
    /// each. On SQLite the writers of this process take turns for the file (<see cref="SqliteWriteGate"/>).
    /// </summary>
    public static DbContextOptionsBuilder Use(this DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        return provider switch
        {
            DatabaseProvider.Postgres => options.UseNpgsql(connectionString),
            _ => options.UseSqlite(connectionString).AddInterceptors(SqliteWriteGate.For(connectionString)),
        };
    }

    /// <summary>Options for a context on this database (tests, the bench, one-off tools).</summary>
    public static DbContextOptions<WallboardDbContext> Options(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<WallboardDbContext>();
        options.Use(provider, connectionString);
        return options.Options;
    }

    /// <summary>A context of the provider's own type, so that it finds the provider's migrations.</summary>
    public static WallboardDbContext CreateContext(DatabaseProvider provider, DbContextOptions<WallboardDbContext> options) => provider switch
    {
        DatabaseProvider.Postgres => new PostgresWallboardDbContext(options),
        _ => new SqliteWallboardDbContext(options),
    };

    /// <summary>A context on this database.</summary>
    public static WallboardDbContext CreateContext(DatabaseProvider provider, string connectionString) =>
        CreateContext(provider, Options(provider, connectionString));
}

/// <summary>
/// The app's <see cref="IDbContextFactory{WallboardDbContext}"/>: creates the configured provider's
/// context type from the options <c>AddDbContextFactory</c> built.
/// </summary>
internal sealed class WallboardDbContextFactory(DbContextOptions<WallboardDbContext> options, DatabaseProviderSetting setting)
    : IDbContextFactory<WallboardDbContext>
{
    public WallboardDbContext CreateDbContext() => WallboardDatabase.CreateContext(setting.Provider, options);
}

/// <summary>The provider the app was started with, for the services that must know it.</summary>
public sealed record DatabaseProviderSetting(DatabaseProvider Provider);
