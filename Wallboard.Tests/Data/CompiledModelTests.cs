using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Data;

/// <summary>
/// Each provider's context runs on a compiled model (<c>Data/CompiledModels</c>, made by
/// <c>dotnet ef dbcontext optimize</c>; docs/startup.md), which EF Core finds by itself and uses
/// instead of building the model at start-up. A model change without the compiled model made again
/// would run the app on the old model: this compares the two, the compiled one and the one the
/// configurations build, table by table and column by column.
/// </summary>
public sealed class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite, "Data Source=compiled-model-test.db")]
    [InlineData(DatabaseProvider.Postgres, "Host=localhost;Database=compiled_model_test")]
    public void The_compiled_model_is_the_model_the_configurations_build(DatabaseProvider provider, string connectionString)
    {
        // Neither model needs a connection: nothing is opened.
        using var db = WallboardDatabase.CreateContext(provider, connectionString);
        var compiled = db.Model;
        var built = db.GetService<IDesignTimeModel>().Model;

        // The app runs on the compiled one (EF Core finds it by the context's type).
        Assert.StartsWith("Wallboard.Web.Data.CompiledModels.", compiled.GetType().FullName, StringComparison.Ordinal);
        // …and the other is built from the configurations, not the same one handed back.
        Assert.DoesNotContain(".CompiledModels.", built.GetType().FullName, StringComparison.Ordinal);
        var expected = Describe(built);
        var actual = Describe(compiled);
        Assert.Contains(expected, line => line.Contains("index IX_Calls_InProgress", StringComparison.Ordinal));
        var missing = expected.Except(actual).ToList();
        var extra = actual.Except(expected).ToList();
        Assert.True(
            missing.Count == 0 && extra.Count == 0,
            $"The compiled model of {provider} is stale: make it again (docs/startup.md).{Environment.NewLine}"
            + $"Missing from it:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", missing)}{Environment.NewLine}"
            + $"Only in it:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", extra)}");
    }

    // What the app's queries and writes depend on: tables, columns with their types and conversions,
    // keys, relationships, indexes.
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var table = $"{entity.Name} -> {entity.GetTableName()} ({entity.GetSchema()}) owned:{entity.IsOwned()} base:{entity.BaseType?.Name}";
            lines.Add(table);
            foreach (var property in entity.GetProperties())
            {
                var mapping = property.FindTypeMapping();
                lines.Add(
                    $"{table} . {property.Name}: {property.ClrType} column {property.GetColumnName()} {(mapping as Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping)?.StoreType} "
                    + $"null:{property.IsNullable} max:{property.GetMaxLength()} concurrency:{property.IsConcurrencyToken} "
                    + $"generated:{property.ValueGenerated} converter:{(property.GetValueConverter() ?? mapping?.Converter)?.GetType()} "
                    + $"provider:{property.GetProviderClrType() ?? mapping?.Converter?.ProviderClrType} default:{property.GetDefaultValueSql()} "
                    + $"shadow:{property.IsShadowProperty()}");
            }

            foreach (var key in entity.GetKeys())
            {
                lines.Add($"{table} key {Columns(key.Properties)} primary:{key.IsPrimaryKey()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                lines.Add(
                    $"{table} fk {Columns(foreignKey.Properties)} -> {foreignKey.PrincipalEntityType.Name} {Columns(foreignKey.PrincipalKey.Properties)} "
                    + $"required:{foreignKey.IsRequired} unique:{foreignKey.IsUnique} delete:{foreignKey.DeleteBehavior} "
                    + $"nav:{foreignKey.DependentToPrincipal?.Name}/{foreignKey.PrincipalToDependent?.Name}");
            }

            foreach (var index in entity.GetIndexes())
            {
                lines.Add($"{table} index {index.GetDatabaseName()} {Columns(index.Properties)} unique:{index.IsUnique} filter:{index.GetFilter()}");
            }

            foreach (var navigation in entity.GetSkipNavigations())
            {
                lines.Add($"{table} skip {navigation.Name} -> {navigation.TargetEntityType.Name}");
            }
        }

        return lines;
    }

    private static string Columns(IEnumerable<IReadOnlyProperty> properties) => string.Join(",", properties.Select(p => p.Name));
}
