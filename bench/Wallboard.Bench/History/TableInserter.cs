using System.Data.Common;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Wallboard.Bench.History;

/// <summary>
/// A prepared <c>INSERT</c> of one entity type, its table and columns read from the app's own EF
/// model (names and value conversions: instants as Unix milliseconds, enums as numbers), so rows
/// written here are rows the app reads, and a column added by a later migration is written too.
/// </summary>
internal sealed class TableInserter<T> : IDisposable
    where T : class
{
    private readonly DbCommand _command;
    private readonly (PropertyInfo Property, ValueConverter? Converter)[] _columns;

    public TableInserter(DbContext db, DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(connection);
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var properties = entity.GetProperties().ToList();
        var shadow = properties.Where(p => p.PropertyInfo is null).Select(p => p.Name).ToList();
        if (shadow.Count > 0)
        {
            throw new InvalidOperationException($"{typeof(T).Name} has shadow properties ({string.Join(", ", shadow)}) the history writer cannot fill.");
        }

        _columns = properties.Select(p => (p.PropertyInfo!, p.GetValueConverter() ?? p.GetTypeMapping().Converter)).ToArray();
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        var names = properties.Select(p => $"\"{p.GetColumnName()}\"");
        var parameters = properties.Select((_, i) => $"@p{i}");
        _command.CommandText = $"INSERT INTO \"{entity.GetTableName()}\" ({string.Join(", ", names)}) VALUES ({string.Join(", ", parameters)})";
        for (var i = 0; i < properties.Count; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            _command.Parameters.Add(parameter);
        }

        _command.Prepare();
    }

    public void Insert(T row)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var (property, converter) = _columns[i];
            var value = property.GetValue(row);
            if (value is not null && converter is not null)
            {
                value = converter.ConvertToProvider(value);
            }

            _command.Parameters[i].Value = value ?? DBNull.Value;
        }

        _command.ExecuteNonQuery();
    }

    public void Dispose() => _command.Dispose();
}
