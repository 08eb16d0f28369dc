using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Live;

/// <summary>What a board needs to know of its store: names, zone, thresholds, who is who.</summary>
public sealed record StoreInfo(
    int Id,
    string Name,
    string Slug,
    string TimeZoneId,
    StoreSettings Settings,
    IReadOnlyDictionary<int, string> Sources,
    IReadOnlyList<StoreInfo.Person> People)
{
    /// <summary>The store's zone, business hours and closed dates.</summary>
    public StoreCalendar Calendar { get; init; } = new(TimeZoneId);

    public string? PersonName(int? id) => id is { } found ? People.FirstOrDefault(p => p.Id == found)?.Name : null;

    public string SourceName(int? id) => id is { } found && Sources.TryGetValue(found, out var name) ? name : LeadSource.UnknownName;

    public sealed record Person(int Id, string Name, SalespersonRole Role, bool IsActive);
}

/// <summary>A call as the board keeps it in memory: in progress, or recent enough for the ticker.</summary>
public sealed record LiveCallRow(
    long Id,
    int StoreId,
    Department Department,
    CallPhase Phase,
    CallOutcome? Outcome,
    DateTimeOffset StartedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    DateTimeOffset? HoldStartedAt,
    string? CallerE164,
    string? CallerRaw,
    bool CallerWithheld,
    string? CallerName,
    int? LeadSourceId,
    int? AnsweredBySalespersonId,
    string? AnsweredByAgent)
{
    public bool InProgress => EndedAt is null;

    public BoardKey Key => new(StoreId, Department);

    /// <summary>Its latest fact: the end, the answer or the start.</summary>
    public DateTimeOffset LatestAt => EndedAt ?? AnsweredAt ?? StartedAt;

    /// <summary>The call as the board keeps it, from its row.</summary>
    public static LiveCallRow Of(Call c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new LiveCallRow(
            c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.StartedAt, c.AnsweredAt, c.EndedAt, c.HoldStartedAt,
            c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId, c.AnsweredBySalespersonId, c.AnsweredByAgent);
    }

    public static IQueryable<LiveCallRow> From(IQueryable<Call> calls) => calls.Select(c => new LiveCallRow(
        c.Id, c.StoreId, c.Department, c.Phase, c.Outcome, c.StartedAt, c.AnsweredAt, c.EndedAt, c.HoldStartedAt,
        c.CallerE164, c.CallerRaw, c.CallerWithheld, c.CallerName, c.LeadSourceId, c.AnsweredBySalespersonId, c.AnsweredByAgent));
}
