using Wallboard.Domain.Stores;

namespace Wallboard.Web.Staffing;

/// <summary>
/// One store-local hour of a staffing plan. Forecast figures are as forecast at the start of the
/// hour's day (or today, for days ahead); the figures of what happened are there once the hour is
/// over. Service levels are fractions of callers answered within the store's service-level seconds.
/// </summary>
public sealed record StaffingHour(
    DateOnly Day,
    int Hour,
    DateTimeOffset Start,
    DateTimeOffset End,
    bool Open,
    double? ForecastCalls,
    double HandleSeconds,
    int? NeededPeople,
    double? PredictedServiceLevel,
    bool Past,
    int? Calls,
    int? Missed,
    int? PeopleWhoAnswered,
    int? NeededForCalls,
    double? PredictedServiceLevelWithPeopleWhoAnswered,
    double? ServiceLevel)
{
    /// <summary>An open hour in which fewer people answered than its calls needed (closed hours go to voicemail by design).</summary>
    public bool UnderStaffed => Past && Open && NeededForCalls is { } needed && PeopleWhoAnswered is { } answered && answered < needed;
}

/// <summary>
/// A store department's staffing over local days: the inputs (handle time from recorded talk and
/// hold, patience from recorded abandons, the store's targets) and the hours.
/// </summary>
public sealed record StaffingPlan(
    int StoreId,
    string StoreName,
    string TimeZoneId,
    Department Department,
    DateOnly From,
    DateOnly To,
    DateTimeOffset ComputedAt,
    int AnswerWithinSeconds,
    double TargetServiceLevel,
    double HandleSeconds,
    bool HandleSecondsFromHistory,
    double? PatienceSeconds,
    string Model,
    double Trend,
    IReadOnlyList<StaffingHour> Hours);

/// <summary>The TV's "next hour" line: calls expected and people needed in the coming clock hour, against who answered in the last 60 minutes.</summary>
public sealed record NextHourStaffing(DateTimeOffset Start, double ForecastCalls, int NeededPeople, int PeopleWhoAnsweredLastHour);
