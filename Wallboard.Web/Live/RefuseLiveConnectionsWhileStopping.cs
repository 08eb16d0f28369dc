namespace Wallboard.Web.Live;

/// <summary>
/// Once the app is shutting down, new Blazor circuit and hub connections get 503. On shutdown
/// SignalR closes every open connection, and a TV reconnects at once: accepted, that new
/// connection would hold the shutdown (a deploy, a restart) for the host's whole shutdown timeout.
/// Refused, the TV keeps retrying and finds the next server instead.
/// </summary>
public sealed class RefuseLiveConnectionsWhileStopping(RequestDelegate next, IHostApplicationLifetime lifetime)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (lifetime.ApplicationStopping.IsCancellationRequested
            && (context.Request.Path.StartsWithSegments("/_blazor") || context.Request.Path.StartsWithSegments("/hubs")))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "2";
            return Task.CompletedTask;
        }

        return next(context);
    }
}
