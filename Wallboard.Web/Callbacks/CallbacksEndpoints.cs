using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Auth;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// The call-back API (§11): list, read, claim, release, log attempts, reassign, close. Bearer API
/// tokens: salespeople act in their store's queue, managers in their stores, admins anywhere.
/// Every error is a problem (RFC 9457): 403 for another store or someone else's claim, 409 for a
/// lost claim (the body names who has it) or a finished call-back, 400 with reasons per field for
/// a bad attempt.
/// </summary>
public static class CallbacksEndpoints
{
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapCallbacksEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/callbacks").RequireAuthorization();
        api.MapGet("", ListAsync);
        api.MapGet("/{id:long}", GetAsync);
        api.MapPost("/{id:long}/claim", ClaimAsync);
        api.MapPost("/{id:long}/release", ReleaseAsync);
        api.MapPost("/{id:long}/attempts", LogAttemptAsync);
        api.MapPost("/{id:long}/reassign", ReassignAsync);
        api.MapPost("/{id:long}/close", CloseAsync);
        return app;
    }

    public sealed record CallbackList(int StoreId, DateTimeOffset Now, IReadOnlyList<CallbackView> Items);

    public sealed record AttemptRequest(
        string? Outcome,
        string? Note,
        DateTimeOffset? AppointmentAt,
        string? LeadName,
        string? VehicleOfInterest,
        string? HeardAbout);

    public sealed record ReassignRequest(int? SalespersonId, string? Reason);

    public sealed record CloseRequest(string? Reason);

    private static readonly string StatusChoices =
        "active (the default), all, overdue, escalated, or any of " + string.Join(", ", Enum.GetNames<CallbackStatus>()) + ", comma-separated";

    private static async Task<IResult> ListAsync(
        ClaimsPrincipal principal,
        CallbackUsers users,
        CallbackQueries queries,
        TimeProvider time,
        int? store,
        string? status,
        int? salesperson,
        int? source,
        CancellationToken ct)
    {
        if (await users.FromPrincipalAsync(principal, ct) is not { } user)
        {
            return NotAToken();
        }

        if ((store ?? user.StoreId ?? principal.StoreOrOnly(null)) is not { } storeId)
        {
            return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Say which store.", "You may see several stores: add ?store=<id>; GET /api/v1/stores lists yours.");
        }

        if (!user.MaySee(storeId))
        {
            return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This token may not read store {storeId}'s call-backs.");
        }

        var filter = new CallbackFilter(storeId) { Salesperson = salesperson, SourceId = source };
        foreach (var word in (status ?? "active").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var statuses = filter.Statuses?.ToHashSet() ?? [];
            switch (word.ToUpperInvariant())
            {
                case "ACTIVE":
                    statuses.UnionWith(CallbackStatuses.Active);
                    break;
                case "ALL":
                    statuses.UnionWith(Enum.GetValues<CallbackStatus>());
                    break;
                case "OVERDUE":
                    statuses.UnionWith(CallbackStatuses.Active);
                    filter = filter with { OverdueOnly = true };
                    break;
                case "ESCALATED":
                    statuses.UnionWith(CallbackStatuses.Active);
                    filter = filter with { EscalatedOnly = true };
                    break;
                default:
                    if (!TryParseName<CallbackStatus>(word, out var one))
                    {
                        return IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown status.", $"'{word}' is not a status: use {StatusChoices}.");
                    }

                    statuses.Add(one);
                    break;
            }

            filter = filter with { Statuses = statuses };
        }

        return TypedResults.Ok(new CallbackList(storeId, time.GetUtcNow(), await queries.ListAsync(filter, ct)));
    }

    private static async Task<IResult> GetAsync(long id, ClaimsPrincipal principal, CallbackUsers users, CallbackQueries queries, CancellationToken ct)
    {
        if (await users.FromPrincipalAsync(principal, ct) is not { } user)
        {
            return NotAToken();
        }

        var detail = await queries.DetailAsync(id, ct);
        if (detail is null)
        {
            return NotFound(id);
        }

        return user.MaySee(detail.Callback.StoreId) ? TypedResults.Ok(detail) : OtherStore();
    }

    private static Task<IResult> ClaimAsync(long id, ClaimsPrincipal principal, CallbackUsers users, CallbackCommands commands, CancellationToken ct) =>
        RunAsync(id, principal, users, user => commands.ClaimAsync(id, user, ct), ct);

    private static Task<IResult> ReleaseAsync(long id, ClaimsPrincipal principal, CallbackUsers users, CallbackCommands commands, CancellationToken ct) =>
        RunAsync(id, principal, users, user => commands.ReleaseAsync(id, user, ct), ct);

    private static async Task<IResult> LogAttemptAsync(long id, HttpRequest request, ClaimsPrincipal principal, CallbackUsers users, CallbackCommands commands, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<AttemptRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }

        if (!TryParseName<AttemptOutcome>(body!.Outcome, out var outcome))
        {
            var choices = string.Join(", ", Enum.GetNames<AttemptOutcome>());
            return Invalid(body.Outcome is null ? "Say what came of the attempt." : $"'{body.Outcome}' is not an outcome.",
                new Dictionary<string, string[]> { ["outcome"] = [$"One of {choices}."] });
        }

        var input = new AttemptInput(outcome, body.Note, body.AppointmentAt, body.LeadName, body.VehicleOfInterest, body.HeardAbout);
        return await RunAsync(id, principal, users, user => commands.LogAttemptAsync(id, user, input, ct), ct);
    }

    private static async Task<IResult> ReassignAsync(long id, HttpRequest request, ClaimsPrincipal principal, CallbackUsers users, CallbackCommands commands, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<ReassignRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }

        if (body!.SalespersonId is not { } salesperson)
        {
            return Invalid("Say who gets the call-back.", new Dictionary<string, string[]> { ["salespersonId"] = ["Required."] });
        }

        return await RunAsync(id, principal, users, user => commands.ReassignAsync(id, user, salesperson, body.Reason, ct), ct);
    }

    private static async Task<IResult> CloseAsync(long id, HttpRequest request, ClaimsPrincipal principal, CallbackUsers users, CallbackCommands commands, CancellationToken ct)
    {
        var (body, error) = await ReadAsync<CloseRequest>(request, ct);
        return error ?? await RunAsync(id, principal, users, user => commands.CloseAsync(id, user, body!.Reason, ct), ct);
    }

    private static async Task<IResult> RunAsync(long id, ClaimsPrincipal principal, CallbackUsers users, Func<CallbackUser, Task<CallbackCommandResult>> command, CancellationToken ct)
    {
        if (await users.FromPrincipalAsync(principal, ct) is not { } user)
        {
            return NotAToken();
        }

        var answer = await command(user);
        return answer.Status switch
        {
            CallbackCommandStatus.Done => TypedResults.Ok(answer.Callback),
            CallbackCommandStatus.NotFound => NotFound(id),
            CallbackCommandStatus.OtherStore => OtherStore(),
            _ => Refused(answer),
        };
    }

    private static ProblemHttpResult Refused(CallbackCommandResult answer)
    {
        var result = answer.Result;
        var state = new Dictionary<string, object?>
        {
            ["callbackId"] = answer.Callback?.Id,
            ["callbackStatus"] = answer.Callback?.Status.ToString(),
        };
        switch (result.Refusal)
        {
            case CallbackRefusal.NotAllowed:
                return IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not allowed.", result.Reason, state);
            case CallbackRefusal.Conflict when result.HeldBy is not null:
                state["claimedBy"] = new { salespersonId = result.HeldBySalespersonId, name = result.HeldBy };
                state["claimedAt"] = answer.Callback?.ClaimedAt;
                return IngestRequests.Problem(StatusCodes.Status409Conflict, "Already claimed.", result.Reason, state);
            case CallbackRefusal.Conflict:
                return IngestRequests.Problem(StatusCodes.Status409Conflict, "Not possible now.", result.Reason, state);
            default:
                return Invalid(result.Reason, result.Errors);
        }
    }

    private static ProblemHttpResult Invalid(string reason, IReadOnlyDictionary<string, string[]> errors) =>
        IngestRequests.Problem(StatusCodes.Status400BadRequest, "The request is not valid.", reason,
            new Dictionary<string, object?> { ["errors"] = errors });

    private static ProblemHttpResult NotAToken() =>
        IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not allowed.", "Call-backs are for salesperson, manager and admin API tokens.");

    private static ProblemHttpResult NotFound(long id) =>
        IngestRequests.Problem(StatusCodes.Status404NotFound, "No such call-back.", $"There is no call-back {id}.");

    private static ProblemHttpResult OtherStore() =>
        IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", "This call-back belongs to a store this token may not act in.");

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        var (bytes, tooLarge) = await IngestRequests.ReadBodyAsync(request, MaxBodyBytes, ct);
        if (tooLarge is not null)
        {
            return (null, tooLarge);
        }

        if (bytes!.Length == 0)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "The body is empty.", "Send a JSON object."));
        }

        try
        {
            var body = JsonSerializer.Deserialize<T>(bytes, JsonSerializerOptions.Web);
            return body is null
                ? (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "The body is not a JSON object.", "Send a JSON object."))
                : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "The body is not valid JSON.", $"{ex.Message}"));
        }
    }

    // Names only ("NoAnswer", any case): a number is not an outcome.
    private static bool TryParseName<T>(string? text, out T value)
        where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text?.Trim(), StringComparison.OrdinalIgnoreCase));
        value = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }
}
