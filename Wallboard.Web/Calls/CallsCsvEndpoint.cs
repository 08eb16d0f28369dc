using System.Globalization;
using System.Security.Claims;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Web.Calls;

/// <summary>
/// <c>GET /api/v1/calls.csv?store=&amp;from=&amp;to=&amp;outcome=&amp;source=&amp;salesperson=&amp;callbackStatus=&amp;sort=</c>
/// (§11): the calls list as CSV, with the filters and order of the manager's missed-calls screen,
/// which links here, so the file holds exactly the rows the screen lists (at most
/// <see cref="CallList.MaxExportRows"/>). Streamed: a month of calls is never held in memory.
/// </summary>
public static class CallsCsvEndpoint
{
    public static IEndpointRouteBuilder MapCallsCsvEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/calls.csv", ExportAsync).RequireAuthorization(AuthExtensions.ManagerPolicy);
        return app;
    }

    /// <summary>The query string of a filter, as the screen links to the export.</summary>
    public static string QueryOf(CallFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string> { $"store={filter.StoreId}" };
        if (filter.From is { } from)
        {
            parts.Add("from=" + Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (filter.To is { } to)
        {
            parts.Add("to=" + Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (filter.Outcomes is { Count: > 0 } outcomes)
        {
            parts.Add("outcome=" + string.Join(",", outcomes));
        }

        if (filter.SourceId is { } source)
        {
            parts.Add($"source={source}");
        }

        if (filter.SalespersonId is { } person)
        {
            parts.Add($"salesperson={person}");
        }

        if (filter.CallbackStatus is { } status)
        {
            parts.Add($"callbackStatus={status}");
        }

        parts.Add($"sort={filter.Sort}");
        return string.Join("&", parts);
    }

    /// <summary>Reads a filter from the query; a problem to answer when something in it is wrong.</summary>
    public static (CallFilter? Filter, IResult? Problem) Parse(IQueryCollection query, ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(user);
        int? named = int.TryParse(query["store"], CultureInfo.InvariantCulture, out var given) ? given : null;
        if (query.ContainsKey("store") && named is null)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "'store' must be a store id.", "GET /api/v1/stores lists yours."));
        }

        if (user.StoreOrOnly(named) is not { } store)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Say which store.", "You may see several stores: add ?store=<id>; GET /api/v1/stores lists yours."));
        }

        if (!user.MaySee(store))
        {
            return (null, IngestRequests.Problem(StatusCodes.Status403Forbidden, "Not your store.", $"This account may not read store {store}."));
        }

        DateTimeOffset? Instant(string name, out bool bad)
        {
            bad = false;
            var text = query[name].ToString();
            if (string.IsNullOrEmpty(text))
            {
                return null;
            }

            bad = !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value);
            return bad ? null : value;
        }

        var from = Instant("from", out var badFrom);
        var to = Instant("to", out var badTo);
        if (badFrom || badTo)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unreadable date.", "from and to are ISO 8601 instants, e.g. 2026-11-27T06:00:00Z."));
        }

        var outcomes = new List<CallOutcome>();
        foreach (var word in query["outcome"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (string.Equals(word, "missed", StringComparison.OrdinalIgnoreCase))
            {
                outcomes.AddRange(CallFilter.MissedOutcomes);
            }
            else if (Enum.TryParse<CallOutcome>(word, ignoreCase: true, out var outcome) && Enum.IsDefined(outcome) && !char.IsAsciiDigit(word[0]))
            {
                outcomes.Add(outcome);
            }
            else
            {
                return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown outcome.",
                    $"outcome is a comma-separated list of missed, {string.Join(", ", Enum.GetNames<CallOutcome>())}."));
            }
        }

        int? Number(string name, out bool bad)
        {
            var text = query[name].ToString();
            bad = text.Length > 0 && !int.TryParse(text, CultureInfo.InvariantCulture, out _);
            return text.Length > 0 && !bad ? int.Parse(text, CultureInfo.InvariantCulture) : null;
        }

        var source = Number("source", out var badSource);
        var person = Number("salesperson", out var badPerson);
        if (badSource || badPerson)
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unreadable filter.", "source and salesperson are ids (numbers)."));
        }

        CallbackStatus? status = null;
        if (query["callbackStatus"].ToString() is { Length: > 0 } statusText)
        {
            if (!Enum.TryParse<CallbackStatus>(statusText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || char.IsAsciiDigit(statusText[0]))
            {
                return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown call-back status.",
                    $"callbackStatus must be one of {string.Join(", ", Enum.GetNames<CallbackStatus>())}."));
            }

            status = parsed;
        }

        var sort = CallSort.NewestFirst;
        if (query["sort"].ToString() is { Length: > 0 } sortText
            && (!Enum.TryParse(sortText, ignoreCase: true, out sort) || !Enum.IsDefined(sort) || char.IsAsciiDigit(sortText[0])))
        {
            return (null, IngestRequests.Problem(StatusCodes.Status400BadRequest, "Unknown order.", $"sort must be one of {string.Join(", ", Enum.GetNames<CallSort>())}."));
        }

        return (new CallFilter(store)
        {
            From = from,
            To = to,
            Outcomes = outcomes.Distinct().ToList(),
            SourceId = source,
            SalespersonId = person,
            CallbackStatus = status,
            Sort = sort,
        }, null);
    }

    private static async Task ExportAsync(HttpContext context, ClaimsPrincipal user, IDbContextFactory<WallboardDbContext> dbFactory, CancellationToken ct)
    {
        var (filter, problem) = Parse(context.Request.Query, user);
        if (problem is not null)
        {
            await problem.ExecuteAsync(context);
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var lookups = await dbFactory.CreateDbContextAsync(ct);
        var store = await db.Stores.AsNoTracking().SingleOrDefaultAsync(s => s.Id == filter!.StoreId, ct);
        if (store is null)
        {
            await IngestRequests.Problem(StatusCodes.Status404NotFound, "No such store.", $"There is no store {filter!.StoreId}.").ExecuteAsync(context);
            return;
        }

        var calendar = new StoreCalendar(store.TimeZoneId);
        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"calls-{store.Slug}.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        await using var csv = CsvWriter.Create(writer, null, leaveOpen: true);
        await csv.WriteRecordAsync(Headers, ct);
        await foreach (var row in CallList.StreamAsync(db, lookups, filter!, ct))
        {
            await csv.WriteRecordAsync(
            [
                row.Id.ToString(CultureInfo.InvariantCulture),
                calendar.LocalDateTime(row.StartedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                row.StartedAt.ToString("O", CultureInfo.InvariantCulture),
                row.CallerWithheld ? "Private" : row.Caller ?? string.Empty,
                row.CallerName ?? string.Empty,
                row.Source,
                row.Outcome?.ToString() ?? "InProgress",
                Number(row.WaitSeconds),
                Number(row.HoldSeconds),
                Number(row.TalkSeconds),
                row.AnsweredBy ?? string.Empty,
                row.CallbackStatus?.ToString() ?? string.Empty,
                row.Recovery?.ToString() ?? string.Empty,
            ], ct);
        }

        await csv.FlushAsync(ct);
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    public static readonly string[] Headers =
        ["CallId", "StartedLocal", "StartedUtc", "Caller", "CallerName", "Source", "Outcome", "WaitSeconds", "HoldSeconds", "TalkSeconds", "AnsweredBy", "CallbackStatus", "Recovery"];
}
