using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest.Asterisk;
using Wallboard.Web.Live;

namespace Wallboard.Web.Ingest;

public static class IngestExtensions
{
    public const string RateLimitPolicy = "ingest";

    /// <summary>The ingest pipeline, its endpoints' services and the per-integration rate limit.</summary>
    public static IHostApplicationBuilder AddWallboardIngest(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<IngestOptions>(builder.Configuration.GetSection("Wallboard:Ingest"));
        services.AddSingleton<ICallChangeNotifier, CallChangeNotifier>();
        services.AddSingleton<AttributionCache>();
        services.AddSingleton<CallsInFlight>();
        services.AddSingleton<IntegrationAuthenticator>();
        services.AddSingleton<IngestPipeline>();
        services.AddSingleton<IIngestPipeline>(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.Configure<List<QueueLogTailOptions>>(builder.Configuration.GetSection("Wallboard:Asterisk:Tail"));
        services.AddHostedService<QueueLogTailService>();

        var limits = builder.Configuration.GetSection("Wallboard:Ingest").Get<IngestOptions>() ?? new IngestOptions();
        services.AddRateLimiter(options =>
        {
            // One bucket per integration id; anything that is not an id shares one bucket, so made-up
            // headers cannot create buckets without end.
            options.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetTokenBucketLimiter(
                int.TryParse(context.Request.Headers[RequestSignature.IntegrationHeader], out var id) ? id : -1,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.BurstRequests,
                    TokensPerPeriod = limits.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                var problem = IngestRequests.Problem(StatusCodes.Status429TooManyRequests, "Too many requests.",
                    $"This integration may make {limits.RequestsPerSecond:N0} requests a second; batch events or slow down.");
                await problem.ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardIngest(this IEndpointRouteBuilder app)
    {
        app.MapCallEventsEndpoints();
        app.MapAdapterEndpoints();
        return app;
    }
}
