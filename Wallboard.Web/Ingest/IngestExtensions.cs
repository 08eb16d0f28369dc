using Wallboard.Web.Auth;
using Wallboard.Web.Hosting;
using Wallboard.Web.Ingest.Asterisk;
using Wallboard.Web.Live;

namespace Wallboard.Web.Ingest;

public static class IngestExtensions
{
    /// <summary>The ingest pipeline, its endpoints' services and its rate limits (<see cref="IngestRateLimits"/>).</summary>
    public static IHostApplicationBuilder AddWallboardIngest(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.Configure<IngestOptions>(builder.Configuration.GetSection("Wallboard:Ingest"));
        services.AddSingleton<ICallChangeNotifier, Notifier<CallChange>>();
        services.AddSingleton<AttributionCache>();
        services.AddSingleton<CallsInFlight>();
        services.AddSingleton<IntegrationAuthenticator>();
        services.AddSingleton<IngestPipeline>();
        services.AddSingleton<IIngestPipeline>(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.Configure<List<QueueLogTailOptions>>(builder.Configuration.GetSection("Wallboard:Asterisk:Tail"));
        services.AddHostedService<QueueLogTailService>();
        services.AddSingleton<IngestRateLimits>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWallboardIngest(this IEndpointRouteBuilder app)
    {
        app.MapCallEventsEndpoints();
        app.MapAdapterEndpoints();
        return app;
    }
}
