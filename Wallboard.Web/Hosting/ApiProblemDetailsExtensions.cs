using Microsoft.AspNetCore.Diagnostics;

namespace Wallboard.Web.Hosting;

/// <summary>
/// The API answers every error with problem details (RFC 9457), never with the HTML page people
/// get: status-code pages are off under <c>/api</c>, bodiless errors there (401, 403, 405…) get a
/// problem body, and an unknown API address is a 404 problem.
/// </summary>
public static class ApiProblemDetailsExtensions
{
    public static WebApplication UseApiProblemDetails(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            context.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            await next(context);
            if (context.Response is { HasStarted: false, StatusCode: >= 400 } response && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
            {
                var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context });
            }
        });
        app.MapFallback("/api/{**path}", () => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such API address.",
            detail: "See the README for the API's addresses."));
        return app;
    }
}
