using Microsoft.EntityFrameworkCore.Design;

namespace Wallboard.Web.Data;

/// <summary>Lets <c>dotnet ef … --context SqliteWallboardDbContext</c> build the context without starting the app.</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteWallboardDbContext>
{
    public SqliteWallboardDbContext CreateDbContext(string[] args) =>
        new(WallboardDatabase.Options(DatabaseProvider.Sqlite, "Data Source=design-time.db"));
}

/// <summary>
/// Lets <c>dotnet ef … --context PostgresWallboardDbContext</c> build the context without starting
/// the app. Adding a migration needs no server; <c>database update</c> and <c>migrations list</c>
/// connect to the one named by the environment variable <c>WALLBOARD_POSTGRES</c>.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresWallboardDbContext>
{
    public PostgresWallboardDbContext CreateDbContext(string[] args) =>
        new(WallboardDatabase.Options(
            DatabaseProvider.Postgres,
            Environment.GetEnvironmentVariable("WALLBOARD_POSTGRES") ?? "Host=127.0.0.1;Username=postgres;Database=wallboard_design"));
}
