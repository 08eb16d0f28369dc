using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Wallboard.Bench.Hosting;
using Wallboard.Bench.Load;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Bench.History;

/// <summary>What the history writer wrote.</summary>
internal sealed record HistoryStats(int Stores, int Calls, long Events, double Seconds);

/// <summary>
/// Writes months of call history into the app's database (SQLite or PostgreSQL) before a start-up
/// is measured: stores up to the asked number (the demo's two plus generated ones, with numbers,
/// sources and salespeople), then calls with their stored events, each call projected by the domain
/// (<see cref="CallState"/>, <see cref="Call.Refresh"/>) and attributed by the app's own
/// <see cref="IntegrationDirectory"/>, so the rows are those ingest would have written. Calls are
/// made on every core and written by one connection without waiting for the disk (the bench's own
/// database): on SQLite through prepared INSERTs, a hundred thousand to a transaction, with no
/// journal and no fsync; on PostgreSQL through binary COPY, a chunk to a transaction, with
/// <c>synchronous_commit</c> off for that session. A million calls take minutes, not the days the
/// API would at real time.
/// </summary>
internal sealed class HistorySeeder(BenchDatabase database, int integrationId, TextWriter log)
{
    private static readonly string[] AreaCodes =
        ["212", "213", "214", "303", "305", "404", "415", "503", "512", "602", "612", "615", "617", "702", "704", "713", "719", "720", "801", "858"];

    private static readonly string[] TimeZones =
        ["America/Chicago", "America/New_York", "America/Denver", "America/Los_Angeles", "America/Phoenix"];

    private static readonly string[] SourceNames = ["Main line", "Website", "Cars.com", "AutoTrader", "CarGurus", LeadSource.UnknownName];

    /// <summary>The start of every history call's id (<c>history-&lt;run&gt;-&lt;n&gt;</c>), to tell them from live calls.</summary>
    public const string CallIdPrefix = "history-";

    public async Task<HistoryStats> SeedAsync(int calls, int stores, int days, int seed, CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        // No pooling: the connection must really be closed (SQLite's file and WAL) before the app restarts on it.
        await using var db = database.CreateContext(pooling: false);
        // The app applied its migrations on its first start; this is a no-op unless it did not.
        await db.Database.MigrateAsync(ct);
        await AddStoresAsync(db, stores, ct);
        var directory = await LoadDirectoryAsync(db, ct);
        var shapes = await StoreShapesAsync(db, ct);

        await db.Database.OpenConnectionAsync(ct);
        var now = DateTimeOffset.UtcNow;
        var nextCallId = await NextIdAsync(db, "Calls", ct);
        var nextEventId = await NextIdAsync(db, "CallEvents", ct);
        var runId = Convert.ToHexStringLower(BitConverter.GetBytes(now.ToUnixTimeMilliseconds()))[..8];

        // Calls are made on every core, in chunks (each with its own seeded random, so a seed
        // still gives the same history), and written in order by this one connection.
        var chunks = Channel.CreateBounded<Task<GeneratedCall[]>>(Environment.ProcessorCount * 2);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (var first = 0; first < calls; first += ChunkCalls)
                {
                    var (from, count) = (first, Math.Min(ChunkCalls, calls - first));
                    var chunk = Task.Run(() => Generate(from, count, seed, runId, nextCallId, now, days, directory, shapes), ct);
                    await chunks.Writer.WriteAsync(chunk, ct);
                }
            }
            finally
            {
                chunks.Writer.TryComplete();
            }
        }, ct);

        long events = 0;
        var written = 0;
        await using (IHistoryWriter writer = database.Provider == DatabaseProvider.Postgres ? new PostgresWriter(db) : new SqliteWriter(db))
        {
            await writer.BeginAsync(ct);
            await foreach (var chunk in chunks.Reader.ReadAllAsync(ct))
            {
                var generated = await chunk;
                foreach (var e in generated.SelectMany(g => g.Events))
                {
                    e.Id = nextEventId++;
                }

                await writer.WriteAsync(generated, ct);
                events += generated.Sum(g => g.Events.Length);
                written += generated.Length;
                if (written % 100_000 == 0)
                {
                    log.WriteLine($"  history: {written:N0} of {calls:N0} calls ({stopwatch.Elapsed.TotalSeconds:0} s)…");
                }
            }

            await writer.FinishAsync(ct);
        }

        await producer;
        await db.Database.CloseConnectionAsync();
        return new HistoryStats(shapes.Count, calls, events, stopwatch.Elapsed.TotalSeconds);
    }

    private const int ChunkCalls = 5_000;

    /// <summary>Writes the generated calls, in order, on the seeder's one connection.</summary>
    private interface IHistoryWriter : IAsyncDisposable
    {
        Task BeginAsync(CancellationToken ct);

        Task WriteAsync(GeneratedCall[] chunk, CancellationToken ct);

        /// <summary>Leaves the database as a cleanly stopped, settled app would, so the measured restart does not pay for this bulk write.</summary>
        Task FinishAsync(CancellationToken ct);
    }

    /// <summary>
    /// SQLite: prepared INSERTs (the app's <see cref="RowCommand"/>), a hundred thousand calls to a
    /// transaction. A benchmark's own file, written by one process: durability of this bulk write
    /// does not matter, speed does. No journal (rows go straight into the file, not once into the
    /// WAL and again at the checkpoint), no fsync, and a page cache that holds the indexes; WAL
    /// again and checkpointed at the end.
    /// </summary>
    private sealed class SqliteWriter(WallboardDbContext db) : IHistoryWriter
    {
        private const int CommitCalls = 100_000;

        private readonly WallboardDbContext _db = db;
        private readonly DbConnection _connection = db.Database.GetDbConnection();
        private DbTransaction? _transaction;
        private RowCommand<Call>? _calls;
        private RowCommand<CallRing>? _rings;
        private RowCommand<CallHold>? _holds;
        private RowCommand<StoredCallEvent>? _events;
        private int _uncommitted;

        public async Task BeginAsync(CancellationToken ct)
        {
            await ExecuteAsync(_connection, "PRAGMA journal_mode=OFF;", ct);
            await ExecuteAsync(_connection, "PRAGMA synchronous=OFF;", ct);
            await ExecuteAsync(_connection, "PRAGMA locking_mode=EXCLUSIVE;", ct);
            await ExecuteAsync(_connection, "PRAGMA temp_store=MEMORY;", ct);
            await ExecuteAsync(_connection, "PRAGMA cache_size=-1048576;", ct);
        }

        public async Task WriteAsync(GeneratedCall[] chunk, CancellationToken ct)
        {
            if (_transaction is null)
            {
                _transaction = await _connection.BeginTransactionAsync(ct);
                _calls = RowCommand.Insert<Call>(_db, _connection, _transaction);
                _rings = RowCommand.Insert<CallRing>(_db, _connection, _transaction);
                _holds = RowCommand.Insert<CallHold>(_db, _connection, _transaction);
                _events = RowCommand.Insert<StoredCallEvent>(_db, _connection, _transaction);
            }

            foreach (var generated in chunk)
            {
                _calls!.Execute(generated.Call);
                generated.Call.Rings.ForEach(r => _rings!.Execute(r));
                generated.Call.Holds.ForEach(h => _holds!.Execute(h));
                foreach (var e in generated.Events)
                {
                    _events!.Execute(e);
                }
            }

            // Big transactions, not one: the page cache stays bounded at a million calls.
            _uncommitted += chunk.Length;
            if (_uncommitted >= CommitCalls)
            {
                await CommitAsync(ct);
            }
        }

        public async Task FinishAsync(CancellationToken ct)
        {
            await CommitAsync(ct);
            // In WAL mode (the app's), everything in the main file, an empty WAL.
            await ExecuteAsync(_connection, "PRAGMA locking_mode=NORMAL;", ct);
            await ExecuteAsync(_connection, "PRAGMA journal_mode=WAL;", ct);
            await ExecuteAsync(_connection, "PRAGMA wal_checkpoint(TRUNCATE);", ct);
        }

        public async ValueTask DisposeAsync()
        {
            DisposeCommands();
            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
            }
        }

        private async Task CommitAsync(CancellationToken ct)
        {
            if (_transaction is null)
            {
                return;
            }

            await _transaction.CommitAsync(ct);
            DisposeCommands();
            await _transaction.DisposeAsync();
            _transaction = null;
            _uncommitted = 0;
        }

        private void DisposeCommands()
        {
            _calls?.Dispose();
            _rings?.Dispose();
            _holds?.Dispose();
            _events?.Dispose();
            (_calls, _rings, _holds, _events) = (null, null, null, null);
        }
    }

    /// <summary>
    /// PostgreSQL: binary COPY (the app's <see cref="RowCopy{T}"/>, columns from its EF model) of
    /// each chunk's calls, rings, holds and events, a chunk to a transaction, with
    /// <c>synchronous_commit</c> off for this session only (the server's durable settings are
    /// untouched). At the end the identity sequences are moved past the ids written here (the app's
    /// next call and event get the next ids), the tables are vacuumed and analyzed (the planner's
    /// statistics and visibility map, which autovacuum would otherwise build during the measured
    /// restart and scenarios), and a checkpoint writes everything out.
    /// </summary>
    private sealed class PostgresWriter(WallboardDbContext db) : IHistoryWriter
    {
        private static readonly string[] Tables = ["Calls", "CallRings", "CallHolds", "CallEvents"];

        private readonly NpgsqlConnection _connection = (NpgsqlConnection)db.Database.GetDbConnection();
        private readonly RowCopy<Call> _calls = RowCommand.Copy<Call>(db);
        private readonly RowCopy<CallRing> _rings = RowCommand.Copy<CallRing>(db);
        private readonly RowCopy<CallHold> _holds = RowCommand.Copy<CallHold>(db);
        private readonly RowCopy<StoredCallEvent> _events = RowCommand.Copy<StoredCallEvent>(db);

        public Task BeginAsync(CancellationToken ct) => ExecuteAsync(_connection, "SET synchronous_commit = off;", ct);

        public async Task WriteAsync(GeneratedCall[] chunk, CancellationToken ct)
        {
            await using var transaction = await _connection.BeginTransactionAsync(ct);
            await _calls.WriteAsync(_connection, chunk.Select(g => g.Call), ct);
            await _rings.WriteAsync(_connection, chunk.SelectMany(g => g.Call.Rings), ct);
            await _holds.WriteAsync(_connection, chunk.SelectMany(g => g.Call.Holds), ct);
            await _events.WriteAsync(_connection, chunk.SelectMany(g => g.Events), ct);
            await transaction.CommitAsync(ct);
        }

        public async Task FinishAsync(CancellationToken ct)
        {
            foreach (var table in (string[])["Calls", "CallEvents"])
            {
                await ExecuteAsync(_connection, $"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'Id'), (SELECT MAX(\"Id\") FROM \"{table}\"));", ct);
            }

            await ExecuteAsync(_connection, $"VACUUM (ANALYZE) {string.Join(", ", Tables.Select(t => $"\"{t}\""))};", ct);
            await ExecuteAsync(_connection, "CHECKPOINT;", ct);
            await ExecuteAsync(_connection, "RESET synchronous_commit;", ct);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>One call as ingest would have stored it, its events' ids still to be given.</summary>
    private sealed record GeneratedCall(Call Call, StoredCallEvent[] Events);

    /// <summary>Calls <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> − 1 of the history.</summary>
    private GeneratedCall[] Generate(
        int from, int count, int seed, string runId, long firstCallId, DateTimeOffset now, int days, IntegrationDirectory directory, List<StoreShape> shapes)
    {
        // Not HashCode.Combine: it is seeded per process, and a seed must give the same history every run.
        var random = new Random(unchecked((seed * 1_000_003) + from));
        var result = new GeneratedCall[count];
        for (var k = 0; k < count; k++)
        {
            var i = from + k;
            var plan = CallScripts.Next(random, $"{CallIdPrefix}{runId}-{i:x}", shapes);
            var callEvents = plan.EventsFrom(StartTime(random, now, days));
            var state = CallState.Project(callEvents);
            var where = directory.Attribute(state);
            var call = new Call
            {
                Id = firstCallId + i,
                ExternalId = plan.CallId,
                IntegrationId = integrationId,
                StoreId = where.Store.Id,
                Department = where.Department,
                LeadSourceId = where.LeadSourceId,
                TrackingNumberId = where.TrackingNumberId,
            };
            call.Refresh(state, CallerNumber.Parse(state.From, where.Store.CountryCode), where.Store.Settings, directory.SalespersonOf);
            result[k] = new GeneratedCall(call, callEvents.Select(e => new StoredCallEvent
            {
                IntegrationId = integrationId,
                EventId = e.EventId,
                CallId = e.CallId,
                Type = e.Type,
                At = e.At,
                // Phone systems post within a second or two of the event.
                ReceivedAt = e.At.AddMilliseconds(200 + random.Next(1500)),
                Payload = CallEventJson.Serialize(e),
            }).ToArray());
        }

        return result;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    // Calls of the last days, in US business hours (13:00–01:00 UTC), all ended before now.
    private static DateTimeOffset StartTime(Random random, DateTimeOffset now, int days)
    {
        while (true)
        {
            var start = now.AddHours(-1).AddSeconds(-random.NextDouble() * days * 86_400);
            if (start.Hour >= 13 || start.Hour < 1)
            {
                return start;
            }
        }
    }

    private static async Task<long> NextIdAsync(WallboardDbContext db, string table, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(MAX(\"Id\"), 0) + 1 FROM \"{table}\"";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Adds generated stores until there are <paramref name="count"/>, each with numbers, sources and salespeople.</summary>
    private async Task AddStoresAsync(WallboardDbContext db, int count, CancellationToken ct)
    {
        var existing = await db.Stores.CountAsync(ct);
        for (var k = existing; k < count; k++)
        {
            var n = k + 1;
            var store = new Store
            {
                Name = $"Bench Motors {n:00}",
                Slug = $"bench-motors-{n:00}",
                City = "Benchville",
                TimeZoneId = TimeZones[k % TimeZones.Length],
                CountryCode = "US",
            };
            foreach (var day in Enum.GetValues<DayOfWeek>().Where(d => d != DayOfWeek.Sunday))
            {
                store.BusinessHours.Add(new BusinessHours { Department = Department.Sales, Day = day, Opens = new TimeOnly(9, 0), Closes = new TimeOnly(20, 0) });
            }

            db.Stores.Add(store);
            await db.SaveChangesAsync(ct);

            var sources = SourceNames.Select(name => new LeadSource { StoreId = store.Id, Name = name }).ToList();
            db.LeadSources.AddRange(sources);
            await db.SaveChangesAsync(ct);

            var areaCode = AreaCodes[k % AreaCodes.Length];
            db.TrackingNumbers.AddRange(Enumerable.Range(0, 6).Select(i => new TrackingNumber
            {
                E164 = $"+1{areaCode}555{100 + (k / AreaCodes.Length * 10) + i:0000}",
                StoreId = store.Id,
                LeadSourceId = sources[Math.Min(i, sources.Count - 2)].Id,
                Department = i == 5 ? Department.Service : Department.Sales,
                Label = i == 5 ? "Service desk" : $"Sales line {i + 1}",
            }));
            for (var p = 0; p < 6; p++)
            {
                var person = new Salesperson { StoreId = store.Id, Name = $"Salesperson {n:00}-{p + 1}", Role = p == 5 ? SalespersonRole.Manager : SalespersonRole.Salesperson };
                person.Identities.Add(new AgentIdentity { IntegrationId = integrationId, Identity = $"{store.Slug}-{101 + p}" });
                db.Salespeople.Add(person);
            }

            await db.SaveChangesAsync(ct);
        }

        if (count > existing)
        {
            log.WriteLine($"  history: added {count - existing} stores (now {count}).");
        }
    }

    /// <summary>What the app's ingest would attribute calls with, loaded as its cache loads it.</summary>
    private async Task<IntegrationDirectory> LoadDirectoryAsync(WallboardDbContext db, CancellationToken ct) => new(
        await db.Integrations.AsNoTracking().SingleAsync(i => i.Id == integrationId, ct),
        await db.Stores.AsNoTracking().ToListAsync(ct),
        await db.TrackingNumbers.AsNoTracking().ToListAsync(ct),
        await db.HuntGroupMappings.AsNoTracking().Where(g => g.IntegrationId == integrationId).ToListAsync(ct),
        await db.LeadSources.AsNoTracking().ToListAsync(ct),
        await db.AgentIdentities.AsNoTracking().Where(i => i.IntegrationId == integrationId).ToListAsync(ct));

    /// <summary>Every store as callers see it: its numbers, and the first phone-system name of each salesperson.</summary>
    private async Task<List<StoreShape>> StoreShapesAsync(WallboardDbContext db, CancellationToken ct)
    {
        var stores = await db.Stores.AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct);
        var numbers = await db.TrackingNumbers.AsNoTracking().ToListAsync(ct);
        var people = await db.Salespeople.AsNoTracking().Include(p => p.Identities).ToListAsync(ct);
        return stores
            .Select(store => new StoreShape(
                store.Id,
                $"{store.Slug}-sales",
                numbers.Where(t => t.StoreId == store.Id).Select(t => new StoreLine(t.E164, t.Department, t.Id, t.LeadSourceId)).ToList(),
                people.Where(p => p.StoreId == store.Id)
                    .Select(p => p.Identities.Where(i => i.IntegrationId == integrationId).OrderBy(i => i.Id).Select(i => i.Identity).FirstOrDefault())
                    .OfType<string>()
                    .ToList()))
            .Where(shape => shape.Lines.Count > 0 && shape.Agents.Count > 0)
            .ToList();
    }
}
