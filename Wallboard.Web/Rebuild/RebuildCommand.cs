using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Data;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// <c>rebuild [--store &lt;id&gt;]</c>: everything derived from the stored call events computed again
/// from them, step by step (<see cref="Steps"/>): the calls, the call-backs' links to their calls,
/// the metrics' daily roll-ups, the metrics snapshots, the boards. The proof that ingest's
/// incremental path and a projection from scratch agree is its test (<c>RebuildTests</c>). Run with the app stopped; each step commits
/// as it goes, so after a crash or Ctrl+C it is simply run again. Takes the app's configuration
/// (<c>--ConnectionStrings:Wallboard=…</c>).
/// </summary>
public static class RebuildCommand
{
    public const string Verb = "rebuild";

    public const int Done = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int NoSuchStore = 5;
    public const int Interrupted = 130;

    /// <summary>
    /// The steps, in order: each reads what the steps before it rebuilt (call-backs and the daily
    /// roll-ups read the calls, metrics read all three). A new kind of derived data is one more line here.
    /// </summary>
    public static readonly IReadOnlyList<Type> Steps =
        [typeof(CallsRebuildStep), typeof(CallbackLinksRebuildStep), typeof(RollupsRebuildStep), typeof(MetricsRebuildStep), typeof(BoardsRebuildStep)];

    public const string Usage = """
        Usage: rebuild [--store <id>]

        Computes again, from the stored call events, every call (row, rings, holds, outcome,
        attribution), the call-backs' links to their calls, the metrics' daily roll-ups, the
        metrics snapshots and the boards, for every store or the one given. People's work on
        call-backs (claims, attempts, outcomes, notes, closes, the audit trail) is kept. Run it
        with the app stopped; it commits as it goes, so after a crash or Ctrl+C run it again. Takes the app's configuration
        (--ConnectionStrings:Wallboard=...). Exit codes: 0 done, 1 failed (database error),
        2 bad arguments, 5 no such store, 130 interrupted.
        """;

    public static async Task<int> RunAsync(string[] args, TimeProvider time, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        int? storeId = null;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            if (name is "-h" or "--help")
            {
                await output.WriteLineAsync(Usage);
                return Done;
            }

            var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
            if (name == "--store")
            {
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return await BadAsync(errors, $"--store needs a store id (a number), not '{value}'.");
                }

                storeId = id;
            }
            else if (name.StartsWith("--", StringComparison.Ordinal) && name.Contains(':', StringComparison.Ordinal) && value is not null)
            {
                configuration.Add($"{name}={value}");
            }
            else
            {
                return await BadAsync(errors, $"Unknown option '{name}'.");
            }
        }

        var builder = Host.CreateApplicationBuilder([.. configuration]);
        builder.Logging.ClearProviders();
        builder.AddWallboardData();
        var services = builder.Services;
        services.Replace(ServiceDescriptor.Singleton(time));
        services.AddSingleton<ICallbackChangeNotifier, Notifier<CallbackChange>>();
        services.AddSingleton<IMetricsNotifier, Notifier<MetricsReport>>();
        services.AddSingleton<AttributionCache>();
        services.AddSingleton<CallbackIntake>();
        services.AddSingleton<MetricsReports>();
        using var host = builder.Build();

        var watch = Stopwatch.StartNew();
        var step = "database";
        try
        {
            await host.Services.MigrateWallboardDatabaseAsync(ct);
            List<Store> stores;
            await using (var db = await host.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync(ct))
            {
                stores = await db.Stores.AsNoTracking().Where(s => storeId == null || s.Id == storeId).OrderBy(s => s.Id).ToListAsync(ct);
            }

            if (storeId is not null && stores.Count == 0)
            {
                await errors.WriteLineAsync($"{Verb}: there is no store {storeId}.");
                return NoSuchStore;
            }

            var scope = new RebuildScope(stores, storeId is null, time.GetUtcNow());
            var progress = new RebuildProgress(output);
            var summary = new List<string>();
            await output.WriteLineAsync($"Rebuilding {(storeId is null ? $"all {stores.Count} stores" : $"store {storeId} ({stores[0].Name})")} from the stored call events.");
            foreach (var type in Steps)
            {
                var rebuild = (IRebuildStep)ActivatorUtilities.CreateInstance(host.Services, type);
                step = rebuild.Name;
                summary.Add($"  {rebuild.Name,-13}{await rebuild.RunAsync(scope, progress, ct)}");
            }

            await output.WriteLineAsync($"Rebuilt in {watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s:");
            foreach (var line in summary)
            {
                await output.WriteLineAsync(line);
            }

            return Done;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await errors.WriteLineAsync($"{Verb}: interrupted during {step}; what was committed stays (it is consistent): run it again to finish.");
            return Interrupted;
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            await errors.WriteLineAsync($"{Verb}: {step} failed: {ex.Message}");
            await errors.WriteLineAsync($"{Verb}: what was committed stays (it is consistent); fix the cause and run it again.");
            return Failed;
        }
    }

    private static async Task<int> BadAsync(TextWriter errors, string message)
    {
        await errors.WriteLineAsync($"{Verb}: {message}");
        await errors.WriteLineAsync();
        await errors.WriteLineAsync(Usage);
        return BadArguments;
    }
}
