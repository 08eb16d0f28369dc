using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Staffing;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Staffing;

/// <summary>
/// <c>GET /api/v1/stores/{storeId}/staffing?from=&amp;to=&amp;department=</c> (a store's staffing per
/// local hour) and <c>GET /api/v1/staffing/erlang-c?callsPerHour=&amp;handleSeconds=&amp;answerWithinSeconds=&amp;serviceLevel=[&amp;patienceSeconds=]</c>
/// (the calculator), for managers' and admins' tokens (docs/staffing.md).
/// </summary>
public static partial class StaffingEndpoints
{
    public static IEndpointRouteBuilder MapStaffingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/stores/{storeId:int}/staffing", GetStaffingAsync).RequireAuthorization(AuthExtensions.ManagerPolicy);
        app.MapGet("/api/v1/staffing/erlang-c", GetErlang).RequireAuthorization(AuthExtensions.ManagerPolicy);
        return app;
    }

    /// <summary>The calculator's answer; <c>probabilityOfAbandon</c> only with a patience (Erlang A).</summary>
    public sealed record ErlangAnswer(
        int Agents,
        double PredictedServiceLevel,
        double ProbabilityOfWaiting,
        double? AverageSpeedOfAnswerSeconds,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ProbabilityOfAbandon,
        double Occupancy,
        string Model);

    /// <summary>One hour of the staffing answer.</summary>
    public sealed record HourAnswer(
        DateOnly Day,
        int Hour,
        DateTimeOffset Start,
        bool Open,
        double? ForecastCalls,
        double HandleSeconds,
        int? NeededPeople,
        double? PredictedServiceLevel,
        int? Calls,
        int? Missed,
        int? PeopleWhoAnswered,
        int? NeededForCalls,
        double? ServiceLevel,
        bool UnderStaffed);

    public sealed record StaffingAnswer(
        int StoreId,
        string StoreName,
        string Department,
        DateOnly From,
        DateOnly To,
        DateTimeOffset ComputedAt,
        int AnswerWithinSeconds,
        double TargetServiceLevel,
        double HandleSeconds,
        double? PatienceSeconds,
        string Model,
        double Trend,
        IReadOnlyList<HourAnswer> Hours);

    // Limits that keep one request's work bounded (the Erlang A queue grows with calls × patience).
    private const double MaxCallsPerHour = 10_000;
    private const double MaxSeconds = 3_600;
    private const double MaxHandleSeconds = 36_000;

    private static IResult GetErlang(
        string? callsPerHour, string? handleSeconds, string? answerWithinSeconds, string? serviceLevel, string? patienceSeconds, ILoggerFactory logs)
    {
        var errors = new List<string>();
        var calls = Number(callsPerHour, "callsPerHour", 0, MaxCallsPerHour, errors, required: true);
        var handle = Number(handleSeconds, "handleSeconds", 1, MaxHandleSeconds, errors, required: true);
        var within = Number(answerWithinSeconds, "answerWithinSeconds", 0, MaxSeconds, errors, required: true);
        var level = Number(serviceLevel, "serviceLevel", 0, 0.9999, errors, required: true, fraction: true);
        var patience = Number(patienceSeconds, "patienceSeconds", 1, MaxSeconds, errors, required: false);
        if (errors.Count > 0)
        {
            return BadRequest(logs, "Bad calculator parameters.", errors);
        }

        var load = new QueueLoad(calls!.Value, handle!.Value, patience);
        var answer = new StaffingTarget(within!.Value, level!.Value).FewestAgents(load);
        return TypedResults.Ok(new ErlangAnswer(
            answer.Agents, answer.ServiceLevel, answer.ProbabilityOfWaiting, answer.AverageSpeedOfAnswerSeconds,
            answer.ProbabilityOfAbandon, answer.Occupancy, patience is null ? "ErlangC" : "ErlangA"));
    }

    private static async Task<IResult> GetStaffingAsync(
        int storeId,
        string? from,
        string? to,
        string? department,
        ClaimsPrincipal user,
        StaffingAdvisor advisor,
        IDbContextFactory<WallboardDbContext> dbFactory,
        TimeProvider time,
        ILoggerFactory logs,
        CancellationToken ct)
    {
        var errors = new List<string>();
        var fromDay = Day(from, "from", errors);
        var toDay = Day(to, "to", errors);
        if (!Enum.TryParse<Department>(department ?? nameof(Department.Sales), ignoreCase: true, out var dept) || !Enum.IsDefined(dept)
            || char.IsAsciiDigit((department ?? "S")[0]))
        {
            errors.Add($"department must be one of {string.Join(", ", Enum.GetNames<Department>())}.");
        }

        if (errors.Count > 0)
        {
            return BadRequest(logs, "Bad staffing parameters.", errors);
        }

        if (!user.MaySee(storeId))
        {
            return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This token may not read store {storeId}.");
        }

        string? zone;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            zone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZoneId).SingleOrDefaultAsync(ct);
        }

        if (zone is null)
        {
            return IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}.");
        }

        var today = new StoreCalendar(zone).LocalDate(time.GetUtcNow());
        var (first, last) = (fromDay ?? today, toDay ?? (fromDay ?? today).AddDays(6));
        if (last < first)
        {
            return BadRequest(logs, "Bad staffing parameters.", ["to must not be before from."]);
        }

        if (last.DayNumber - first.DayNumber + 1 > StaffingAdvisor.MaxDays)
        {
            return BadRequest(logs, "Bad staffing parameters.", [$"from–to covers at most {StaffingAdvisor.MaxDays} days."]);
        }

        var plan = await advisor.PlanAsync(storeId, dept, first, last, ct);
        if (plan is null)
        {
            return IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {storeId}.");
        }

        return TypedResults.Ok(new StaffingAnswer(
            plan.StoreId, plan.StoreName, plan.Department.ToString(), plan.From, plan.To, plan.ComputedAt,
            plan.AnswerWithinSeconds, plan.TargetServiceLevel, plan.HandleSeconds, plan.PatienceSeconds, plan.Model, plan.Trend,
            plan.Hours.Select(h => new HourAnswer(
                h.Day, h.Hour, h.Start, h.Open, h.ForecastCalls, h.HandleSeconds, h.NeededPeople, h.PredictedServiceLevel,
                h.Calls, h.Missed, h.PeopleWhoAnswered, h.NeededForCalls, h.ServiceLevel, h.UnderStaffed)).ToList()));
    }

    private static double? Number(string? text, string name, double min, double max, List<string> errors, bool required, bool fraction = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add($"{name} is required.");
            }

            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            errors.Add($"{name} must be a number (got '{text}').");
            return null;
        }

        if (value < min || value > max)
        {
            errors.Add(fraction
                ? $"{name} is a fraction between 0 and 1 (0.8 for 80 %), got {text}."
                : string.Create(CultureInfo.InvariantCulture, $"{name} must be between {min} and {max}, got {text}."));
            return null;
        }

        return value;
    }

    private static DateOnly? Day(string? text, string name, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors.Add($"{name} must be a store-local date as yyyy-MM-dd (got '{text}').");
        return null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadRequest(ILoggerFactory logs, string title, IReadOnlyList<string> errors)
    {
        var detail = string.Join(" ", errors);
        var logger = logs.CreateLogger(typeof(StaffingEndpoints).FullName!);
        LogRefused(logger, title, detail);
        return IngestRequests.Problem(StatusCodes.Status400BadRequest, title, detail);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Staffing request refused: {Title} {Detail}")]
    private static partial void LogRefused(ILogger logger, string title, string detail);
}
