using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Wallboard.Web.Data;

/// <summary>
/// A prepared statement writing one entity type's rows without EF change tracking: an
/// <c>INSERT</c>, an upsert on the key, or an <c>UPDATE</c> by the key. Its table, columns and
/// value conversions (instants as Unix milliseconds, enums as numbers) come from the app's own EF
/// model, so a row written here is a row EF reads, and a column added by a later migration is
/// written too. The SQL (<c>RETURNING</c>, <c>ON CONFLICT … DO UPDATE</c>) is what SQLite and
/// PostgreSQL both speak. Reuse one for many rows inside one transaction.
/// </summary>
public sealed class RowCommand<T> : IDisposable
    where T : class
{
    private readonly DbCommand _command;
    private readonly (PropertyInfo Property, ValueConverter? Converter)[] _columns;

    internal RowCommand(DbConnection connection, DbTransaction? transaction, string sql, IReadOnlyList<IProperty> parameters)
    {
        _columns = parameters.Select(p => (p.PropertyInfo!, p.GetValueConverter() ?? p.GetTypeMapping().Converter)).ToArray();
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        for (var i = 0; i < parameters.Count; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            _command.Parameters.Add(parameter);
        }
    }

    /// <summary>Runs the statement for one row; returns the rows it changed.</summary>
    public Task<int> ExecuteAsync(T row, CancellationToken ct)
    {
        Bind(row);
        return _command.ExecuteNonQueryAsync(ct);
    }

    /// <inheritdoc cref="ExecuteAsync"/>
    public int Execute(T row)
    {
        Bind(row);
        return _command.ExecuteNonQuery();
    }

    /// <summary>Inserts one row and returns the key the database gave it.</summary>
    public async Task<long> InsertReturningKeyAsync(T row, CancellationToken ct)
    {
        Bind(row);
        return Convert.ToInt64(await _command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Whether two rows hold the same values in the statement's columns, compared as the database
    /// stores them (instants as Unix milliseconds), so a row read back equals the row it was written from.
    /// </summary>
    public bool SameValues(T a, T b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        foreach (var (property, converter) in _columns)
        {
            if (!Equals(RowCommand.ToProvider(property.GetValue(a), converter), RowCommand.ToProvider(property.GetValue(b), converter)))
            {
                return false;
            }
        }

        return true;
    }

    public void Dispose() => _command.Dispose();

    private void Bind(T row)
    {
        ArgumentNullException.ThrowIfNull(row);
        for (var i = 0; i < _columns.Length; i++)
        {
            var (property, converter) = _columns[i];
            _command.Parameters[i].Value = RowCommand.ToProvider(property.GetValue(row), converter) ?? DBNull.Value;
        }
    }
}

/// <summary>Makes the <see cref="RowCommand{T}"/> of an entity type.</summary>
public static class RowCommand
{
    /// <summary>
    /// <c>INSERT</c> of every column. With <paramref name="generatedKey"/> the key is left to the
    /// database and <see cref="RowCommand{T}.InsertReturningKeyAsync"/> returns it.
    /// </summary>
    public static RowCommand<T> Insert<T>(DbContext db, DbConnection connection, DbTransaction? transaction, bool generatedKey = false)
        where T : class
    {
        var (table, key, properties) = Describe<T>(db);
        var columns = generatedKey ? properties.Except(key).ToList() : properties;
        var sql = $"INSERT INTO {table} ({Names(columns)}) VALUES ({Parameters(columns.Count)})"
            + (generatedKey ? $" RETURNING {Quote(key.Single().GetColumnName())}" : string.Empty);
        return new RowCommand<T>(connection, transaction, sql, columns);
    }

    /// <summary><c>INSERT</c>, or on a row with the same key, <c>UPDATE</c> of every other column.</summary>
    public static RowCommand<T> Upsert<T>(DbContext db, DbConnection connection, DbTransaction? transaction)
        where T : class
    {
        var (table, key, properties) = Describe<T>(db);
        var others = properties.Except(key).Select(p => Quote(p.GetColumnName())).Select(c => $"{c} = excluded.{c}");
        var sql = $"INSERT INTO {table} ({Names(properties)}) VALUES ({Parameters(properties.Count)}) "
            + $"ON CONFLICT ({Names(key)}) DO UPDATE SET {string.Join(", ", others)}";
        return new RowCommand<T>(connection, transaction, sql, properties);
    }

    /// <summary>
    /// <c>UPDATE</c> of every column but the key and <paramref name="unchanged"/>, of the row with
    /// the entity's key, and only while <paramref name="condition"/> (SQL over the row) holds.
    /// </summary>
    public static RowCommand<T> Update<T>(DbContext db, DbConnection connection, DbTransaction? transaction, string? condition, params string[] unchanged)
        where T : class
    {
        var (table, key, properties) = Describe<T>(db);
        var set = properties.Except(key).Where(p => !unchanged.Contains(p.Name, StringComparer.Ordinal)).ToList();
        var assignments = set.Select((p, i) => $"{Quote(p.GetColumnName())} = @p{i}");
        var match = key.Select((p, i) => $"{Quote(p.GetColumnName())} = @p{set.Count + i}");
        var sql = $"UPDATE {table} SET {string.Join(", ", assignments)} WHERE {string.Join(" AND ", match)}"
            + (condition is null ? string.Empty : $" AND ({condition})");
        return new RowCommand<T>(connection, transaction, sql, [.. set, .. key]);
    }

    /// <summary>PostgreSQL's binary <c>COPY</c> of every column (see <see cref="RowCopy{T}"/>).</summary>
    public static RowCopy<T> Copy<T>(DbContext db)
        where T : class
    {
        var (table, _, properties) = Describe<T>(db);
        return new RowCopy<T>($"COPY {table} ({Names(properties)}) FROM STDIN (FORMAT BINARY)", properties);
    }

    /// <summary>A model value as the database stores it (instants as Unix milliseconds, enums as numbers).</summary>
    internal static object? ToProvider(object? value, ValueConverter? converter) =>
        value is not null && converter is not null ? converter.ConvertToProvider(value) : value;

    private static (string Table, IReadOnlyList<IProperty> Key, List<IProperty> Properties) Describe<T>(DbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var properties = entity.GetProperties().ToList();
        var shadow = properties.Where(p => p.PropertyInfo is null).Select(p => p.Name).ToList();
        if (shadow.Count > 0)
        {
            throw new InvalidOperationException($"{typeof(T).Name} has shadow properties ({string.Join(", ", shadow)}) a row command cannot fill.");
        }

        var key = entity.FindPrimaryKey()?.Properties ?? throw new InvalidOperationException($"{typeof(T).Name} has no key.");
        return (Quote(entity.GetTableName()!), key, properties);
    }

    private static string Names(IEnumerable<IProperty> properties) => string.Join(", ", properties.Select(p => Quote(p.GetColumnName())));

    private static string Parameters(int count) => string.Join(", ", Enumerable.Range(0, count).Select(i => $"@p{i}"));

    private static string Quote(string name) => $"\"{name}\"";
}
