using System.Globalization;
using System.Security.Claims;
using CsvHelper;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Metrics;

/// <summary>
/// <c>GET /api/v1/stores/{storeId}/metrics/source-costs?month=yyyy-MM|day=yyyy-MM-dd</c> and the same
/// as CSV (<c>…/source-costs.csv</c>): what each lead source cost and what its missed callers who
/// were never reached were worth, for managers and admins of the store.
/// </summary>
public static partial class SourceCostEndpoints
{
    public static IEndpointRouteBuilder MapSourceCostEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId:int}/metrics/source-costs", GetAsync).RequireAuthorization(AuthExtensions.ManagerPolicy);
        app.MapGet("/api/v1/stores/{storeId:int}/metrics/source-costs.csv", GetCsvAsync).RequireAuthorization(AuthExtensions.ManagerPolicy);
        return app;
    }

    private static readonly string[] Headers =
    [
        "period", "source", "calls", "connected", "missed", "recovered", "missedNotRecovered", "spend", "costPerCall",
        "costPerConnectedCall", "spendOnMissedNotRecovered", "answeredCallValue", "leftOnTheTable",
    ];

    private static async Task<IResult> GetAsync(int storeId, string? month, string? day, ClaimsPrincipal user, SourceCostReports reports, ILoggerFactory logs, CancellationToken ct)
    {
        var (report, error) = await ReadAsync(storeId, month, day, user, reports, logs, ct);
        return error ?? TypedResults.Ok(report);
    }

    private static async Task GetCsvAsync(HttpContext context, int storeId, string? month, string? day, ClaimsPrincipal user, SourceCostReports reports, ILoggerFactory logs, CancellationToken ct)
    {
        var (report, error) = await ReadAsync(storeId, month, day, user, reports, logs, ct);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"source-costs-{report!.StoreId}-{report.Period}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
        await csv.WriteRecordAsync(Headers, ct);
        foreach (var row in report.Sources.Append(report.Total))
        {
            await csv.WriteRecordAsync(
            [
                report.Period, row.Name, Text(row.Calls), Text(row.Connected), Text(row.Missed), Text(row.RecoveredMissed), Text(row.MissedNotRecovered),
                row.SpendEntered ? Money(row.Spend) : string.Empty, Money(row.CostPerCall), Money(row.CostPerConnectedCall), Money(row.SpendOnMissedNotRecovered),
                Money(report.AnsweredCallValue), Money(row.LeftOnTheTable),
            ], ct);
        }

        await csv.FlushAsync(ct);
    }

    private static async Task<(SourceCostReport? Report, IResult? Error)> ReadAsync(
        int storeId, string? month, string? day, ClaimsPrincipal user, SourceCostReports reports, ILoggerFactory logs, CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(SourceCostEndpoints).FullName!);
        if (month is not null && day is not null)
        {
            return (null, Refuse(logger, "Give month or day, not both."));
        }

        if (!user.MaySee(storeId))
        {
            return (null, IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This token may not read store {storeId}."));
        }

        SourceCostReport? report;
        if (day is not null)
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return (null, Refuse(logger, $"day must be a store-local date as yyyy-MM-dd (got '{day}')."));
            }

            report = await reports.DayAsync(storeId, d, ct);
        }
        else
        {
            var m = DateOnly.FromDateTime(reports.Now.UtcDateTime);
            if (month is not null && !DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out m))
            {
                return (null, Refuse(logger, $"month must be yyyy-MM (got '{month}')."));
            }

            report = await reports.MonthAsync(storeId, m.Year, m.Month, ct);
        }

        return report is null
            ? (null, IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}."))
            : (report, null);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Refuse(ILogger logger, string detail)
    {
        LogRefused(logger, detail);
        return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Bad cost report parameters.", detail);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cost report request refused: {Detail}")]
    private static partial void LogRefused(ILogger logger, string detail);
}
