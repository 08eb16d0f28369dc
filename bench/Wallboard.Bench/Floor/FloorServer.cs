using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Wallboard.Web.Ingest;

namespace Wallboard.Bench.Floor;

/// <summary>
/// The least a durable signed ingest endpoint can do, inside the bench process: Kestrel on a
/// loopback port, <c>POST /api/v1/call-events</c> with the app's HMAC check
/// (<see cref="RequestSignature"/>) and its event reading (<see cref="CallEventJson"/>), and a
/// group commit (one writer takes everything waiting, up to 5,000 events, into one transaction)
/// that appends each raw event to a SQLite table shaped like the app's <c>CallEvents</c> (the same
/// unique (integration, event id) and (integration, call id) indexes) in WAL mode with
/// <c>synchronous=FULL</c>, and answers only after the commit. Nothing else: no attribution, no
/// calls, no screens. The app's ingest rates are read as a ratio of this floor.
/// </summary>
internal sealed class FloorServer : IAsyncDisposable
{
    public const int IntegrationId = 1;
    private const int MaxEventsPerCommit = 5_000;
    private const int MaxBodyBytes = 1024 * 1024;

    private readonly WebApplication _app;
    private readonly SqliteConnection _connection;
    private readonly Channel<Submission> _queue = Channel.CreateBounded<Submission>(
        new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _writer;

    private FloorServer(WebApplication app, SqliteConnection connection, string secret)
    {
        _app = app;
        _connection = connection;
        Secret = secret;
        _writer = Task.Run(WriteLoopAsync);
    }

    public string Secret { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the floor on a fresh database file in <paramref name="directory"/>.</summary>
    public static async Task<FloorServer> StartAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "floor.db"),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(ct);
        await using (var setup = connection.CreateCommand())
        {
            setup.CommandText =
                """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=FULL;
                CREATE TABLE IF NOT EXISTS "CallEvents" (
                    "Id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
                    "IntegrationId" INTEGER NOT NULL,
                    "EventId" TEXT NOT NULL,
                    "CallId" TEXT NOT NULL,
                    "Type" INTEGER NOT NULL,
                    "At" INTEGER NOT NULL,
                    "ReceivedAt" INTEGER NOT NULL,
                    "Payload" TEXT NOT NULL);
                CREATE UNIQUE INDEX IF NOT EXISTS "IX_CallEvents_IntegrationId_EventId" ON "CallEvents" ("IntegrationId", "EventId");
                CREATE INDEX IF NOT EXISTS "IX_CallEvents_IntegrationId_CallId" ON "CallEvents" ("IntegrationId", "CallId");
                """;
            await setup.ExecuteNonQueryAsync(ct);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var floor = new FloorServer(app, connection, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        app.MapPost("/api/v1/call-events", floor.PostAsync);
        await app.StartAsync(ct);
        var address = app.Urls.First();
        floor.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return floor;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _queue.Writer.TryComplete();
        await _writer;
        await _connection.DisposeAsync();
    }

    private async Task PostAsync(HttpContext context)
    {
        var response = context.Response;
        var request = context.Request;
        var ct = context.RequestAborted;
        if (request.ContentLength > MaxBodyBytes)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        if (request.Headers[RequestSignature.IntegrationHeader].ToString() != IntegrationId.ToString(CultureInfo.InvariantCulture)
            || RequestSignature.Verify(request.Headers[RequestSignature.SignatureHeader].ToString(), Secret, body, DateTimeOffset.UtcNow) is not null)
        {
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var events = new List<RawEvent>();
        var rejected = 0;
        using (var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 }))
        {
            var root = document.RootElement;
            foreach (var item in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root])
            {
                if (CallEventJson.TryRead(item, out var e, out _))
                {
                    events.Add(new RawEvent(e!.EventId, e.CallId, (int)e.Type, e.At.ToUnixTimeMilliseconds(), item.GetRawText()));
                }
                else
                {
                    rejected++;
                }
            }
        }

        var submission = new Submission(events);
        await _queue.Writer.WriteAsync(submission, ct);
        var (accepted, duplicates) = await submission.Completion.Task.WaitAsync(ct);
        await response.WriteAsJsonAsync(new FloorAnswer(accepted, duplicates, new int[rejected]), ct);
    }

    private async Task WriteLoopAsync()
    {
        await using var insert = _connection.CreateCommand();
        insert.CommandText =
            """
            INSERT INTO "CallEvents" ("IntegrationId", "EventId", "CallId", "Type", "At", "ReceivedAt", "Payload")
            VALUES (@integrationId, @eventId, @callId, @type, @at, @receivedAt, @payload)
            ON CONFLICT ("IntegrationId", "EventId") DO NOTHING
            """;
        var parameters = ((string[])["@integrationId", "@eventId", "@callId", "@type", "@at", "@receivedAt", "@payload"])
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        var batch = new List<Submission>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var count = 0;
            while (count < MaxEventsPerCommit && reader.TryRead(out var next))
            {
                batch.Add(next);
                count += next.Events.Count;
            }

            try
            {
                var receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                await using var transaction = _connection.BeginTransaction();
                insert.Transaction = transaction;
                var results = new (int Accepted, int Duplicates)[batch.Count];
                for (var i = 0; i < batch.Count; i++)
                {
                    foreach (var e in batch[i].Events)
                    {
                        parameters[0].Value = IntegrationId;
                        parameters[1].Value = e.EventId;
                        parameters[2].Value = e.CallId;
                        parameters[3].Value = e.Type;
                        parameters[4].Value = e.At;
                        parameters[5].Value = receivedAt;
                        parameters[6].Value = e.Payload;
                        if (await insert.ExecuteNonQueryAsync() == 1)
                        {
                            results[i].Accepted++;
                        }
                        else
                        {
                            results[i].Duplicates++;
                        }
                    }
                }

                await transaction.CommitAsync();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (SqliteException ex)
            {
                foreach (var submission in batch)
                {
                    submission.Completion.TrySetException(ex);
                }
            }
        }
    }

    private sealed record RawEvent(string EventId, string CallId, int Type, long At, string Payload);

    private sealed record FloorAnswer(int Accepted, int Duplicates, int[] Rejected);

    private sealed class Submission(List<RawEvent> events)
    {
        public List<RawEvent> Events { get; } = events;

        public TaskCompletionSource<(int Accepted, int Duplicates)> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
