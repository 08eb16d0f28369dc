using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Wallboard.Web.Data;

namespace Wallboard.Web.Cluster;

/// <summary>
/// What lets several app nodes serve one installation (docs/scale-out.md): the Data Protection key
/// ring in the database (every provider: a sign-in cookie or antiforgery token from one node is
/// valid on another), forwarded headers from a trusted proxy, and with the Postgres provider the
/// changes carried between nodes (<see cref="ClusterChanges"/>) and Quartz clustered on its ADO.NET
/// store. With SQLite there is one node: changes stay in process and Quartz in memory, as always.
/// </summary>
public static class ClusterExtensions
{
    /// <summary>The Data Protection application name: the same on every node, so they share one key ring.</summary>
    public const string ApplicationName = "Wallboard";

    public static IHostApplicationBuilder AddWallboardCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<WallboardDbContext>();
        services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptions.Validator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) => proxy.Value.Apply(forwarded));

        // Both take the ClusterNode registered below when there is one.
        services.AddSingleton<ClusterSignals>();
        services.AddSingleton<ClusterLeases>();

        if (builder.Configuration.Provider() != DatabaseProvider.Postgres)
        {
            return builder;
        }

        var connectionString = builder.Configuration.GetConnectionString("Wallboard")
            ?? throw new InvalidOperationException("The Postgres provider needs ConnectionStrings:Wallboard.");
        var cluster = builder.Configuration.GetSection(ClusterOptions.Section).Get<ClusterOptions>() ?? new ClusterOptions();
        services.Configure<ClusterOptions>(builder.Configuration.GetSection(ClusterOptions.Section));
        services.AddSingleton(new ClusterNode(connectionString, cluster));
        services.AddHostedService<DataProtectionKeyRing>();
        services.AddSingleton<ClusterChanges>();
        services.AddHostedService(sp => sp.GetRequiredService<ClusterChanges>());

        // Quartz keeps its jobs and triggers in PostgreSQL (tables from our migrations) and the
        // nodes share them: each firing runs on one node, and a node that stops checking in has its
        // jobs taken over by the others.
        services.AddQuartz(quartz => quartz.UsePersistentStore(store =>
        {
            store.UsePostgres(NpgsqlFactory.Instance, connectionString);
            store.UseSystemTextJsonSerializer();
            store.UseClustering(c =>
            {
                c.CheckinInterval = cluster.JobCheckinInterval;
                c.CheckinMisfireThreshold = cluster.JobCheckinMisfireThreshold;
            });
        }));
        return builder;
    }

    /// <summary>Reads <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> from the configured proxies only; off when none is configured.</summary>
    public static WebApplication UseWallboardForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }

    /// <summary>
    /// Makes the first Data Protection key under a database lock, so nodes starting together on an
    /// empty key ring agree on one key instead of each issuing cookies the others cannot read yet.
    /// </summary>
    private sealed class DataProtectionKeyRing(ClusterNode node, IKeyManager keys, TimeProvider time) : IHostedService
    {
        // Any fixed number: the lock is only ever taken here.
        private const long LockKey = 0x5741_4C4C_4450;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await using var connection = await node.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction) { Parameters = { new() { Value = LockKey } } })
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            var now = time.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                keys.CreateNewKey(now, now.AddDays(90));
            }

            await transaction.CommitAsync(cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
