using System.Text.Json.Serialization;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Live;

/// <summary>One live board: a store's department (§5).</summary>
public readonly record struct BoardKey(int StoreId, Department Department)
{
    public override string ToString() => $"{StoreId}:{Department}";
}

/// <summary>Who a snapshot is for, which decides how callers appear in it.</summary>
public enum BoardAudience
{
    /// <summary>A screen customers can see (the showroom TV): callers masked to their last four digits, no names.</summary>
    PublicScreen = 0,

    /// <summary>Signed-in staff (managers): full numbers and caller names.</summary>
    Staff = 1,
}

/// <summary>
/// The live board of a store's department at one moment (§5), whole: what the TV, the manager's
/// live view, the hub (<c>board</c>) and <c>GET /api/v1/stores/{id}/board</c> show. Counters are over
/// calls that started on the store's local <see cref="Day"/>. Built by <see cref="LiveBoard"/> in
/// two forms that share everything but the callers: with <see cref="FullNumbers"/> false every
/// caller is masked (<c>•••-•••-4821</c>, "Private") and has no name, and that is the only form a
/// public screen ever gets.
/// </summary>
public sealed record BoardSnapshot
{
    public required int StoreId { get; init; }

    public required string StoreName { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<Department>))]
    public required Department Department { get; init; }

    /// <summary>The store's IANA zone: screens show clock times in it.</summary>
    public required string TimeZoneId { get; init; }

    /// <summary>The store-local day the counters are for.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>When the snapshot was built.</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>Grows with every snapshot of the board, across restarts too: keep the highest one seen.</summary>
    public required long Version { get; init; }

    /// <summary>False: callers are masked, for a public screen. True: full numbers and names, for staff.</summary>
    public required bool FullNumbers { get; init; }

    public required WaitingTile Waiting { get; init; }

    public required OnHoldTile OnHold { get; init; }

    public required MissedTile Missed { get; init; }

    public required OverdueCallbacksTile OverdueCallbacks { get; init; }

    public required AnswerRateTile AnswerRate { get; init; }

    public required SpeedToCallbackTile SpeedToCallback { get; init; }

    /// <summary>Salespeople today, most answered first.</summary>
    public required IReadOnlyList<LeaderboardRow> Leaderboard { get; init; }

    /// <summary>Lead sources today, most calls first.</summary>
    public required IReadOnlyList<SourceRow> Sources { get; init; }

    /// <summary>The latest events, newest first.</summary>
    public required IReadOnlyList<TickerItem> Ticker { get; init; }

    /// <summary>
    /// The department's open hours from the current or next period on (about a week ahead), so a
    /// screen can say "Closed · opens Mon 9:00 AM" and switch at the instant the store opens or
    /// closes without a new snapshot. Null when the store has no business hours set for it.
    /// </summary>
    public IReadOnlyList<OpenPeriod>? OpenHours { get; init; }
}

/// <summary>One stretch of business hours, as instants.</summary>
public sealed record OpenPeriod(DateTimeOffset Opens, DateTimeOffset Closes);

/// <summary>1. Calls ringing or queued, unanswered, longest first.</summary>
/// <param name="LongestSince">When the longest current wait began (a live timer counts from it); null when nobody waits.</param>
/// <param name="WarningSeconds">The wait timer turns amber here: the store's service level.</param>
/// <param name="AlertSeconds">The wait timer turns red here: the store's hold limit, as no caller should wait longer than one may hold.</param>
public sealed record WaitingTile(int Count, DateTimeOffset? LongestSince, IReadOnlyList<WaitingCall> Calls, int WarningSeconds, int AlertSeconds);

/// <param name="Caller">Masked on a public screen, the full number for staff; "Private" when withheld.</param>
/// <param name="CallerName">The caller id name, for staff only; always null on a public screen.</param>
public sealed record WaitingCall(long CallId, DateTimeOffset Since, string Caller, string? CallerName, string Source);

/// <summary>2. Answered calls on hold now, longest first, against the store's hold warning and limit.</summary>
public sealed record OnHoldTile(int Count, DateTimeOffset? LongestSince, IReadOnlyList<HeldCall> Calls, int WarningSeconds, int LimitSeconds);

/// <param name="Since">When the current hold began.</param>
/// <param name="Salesperson">Who has the caller, when known.</param>
public sealed record HeldCall(long CallId, DateTimeOffset Since, string Caller, string? CallerName, string Source, string? Salesperson);

/// <summary>
/// 3. Missed sales calls started today, split into recovered and still open, by the one rule of
/// <see cref="MissedRecoveries"/>: a call-back reached the caller (completed as Reached or
/// AppointmentSet), or the caller got through later (a later connected call of the same number to
/// the store, or a call-back completed because the caller called back). The metrics' recoveredMissed
/// is the same count.
/// </summary>
/// <param name="Calls">The latest missed calls, newest first (at most <see cref="MaxListed"/>).</param>
public sealed record MissedTile(int Count, int Recovered, int StillOpen, IReadOnlyList<MissedCall> Calls)
{
    public const int MaxListed = 30;
}

public sealed record MissedCall(
    long CallId,
    DateTimeOffset StartedAt,
    string Caller,
    string? CallerName,
    string Source,
    [property: JsonConverter(typeof(JsonStringEnumConverter<CallOutcome>))] CallOutcome Outcome,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MissedRecovery>))] MissedRecovery Recovery);

/// <summary>4. Call-backs past due with no attempt since (§6). Empty until call-backs exist.</summary>
public sealed record OverdueCallbacksTile(int Count, IReadOnlyList<OverdueCallback> Items)
{
    public static OverdueCallbacksTile None { get; } = new(0, []);
}

/// <param name="ClaimedBy">The salesperson who claimed it, if anyone.</param>
public sealed record OverdueCallback(long CallbackId, string Caller, string Source, DateTimeOffset MissedAt, DateTimeOffset DueAt, string? ClaimedBy, bool Escalated);

/// <summary>
/// 5. Answer rate today: <see cref="Answered"/> ÷ <see cref="Counted"/>, against the store's
/// target; and the service level: of those, answered within <see cref="ServiceLevelSeconds"/> of
/// waiting, over the same calls (<see cref="CallTotals.CountedAnswered"/>,
/// <see cref="CallTotals.Decided"/>, the metrics' rule). A call counts as answered from the moment
/// a person answers it; a call still ringing counts once it ends (answered or missed); short
/// abandons never count. At the end of the day this is §5's connected ÷ (offered − short abandons).
/// </summary>
/// <param name="Connected">Calls that ended connected.</param>
/// <param name="Rate">Null while no call is answered or has ended today.</param>
/// <param name="Answered">Calls answered: connected, and <see cref="AnsweredInProgress"/>.</param>
/// <param name="Counted">The calls the rate is over: ended or answered, less short abandons.</param>
/// <param name="AnsweredInProgress">Calls answered and still going (talking or on hold).</param>
public sealed record AnswerRateTile(
    int Offered,
    int InProgress,
    int ShortAbandons,
    int Connected,
    int Missed,
    double? Rate,
    double Target,
    int AnsweredWithinServiceLevel,
    double? ServiceLevel,
    int ServiceLevelSeconds,
    int Answered = 0,
    int Counted = 0,
    int AnsweredInProgress = 0);

/// <summary>6. Median minutes from a missed call to the first call-back attempt, over today's call-backs that have an attempt (the metrics' definition); null while none has.</summary>
public sealed record SpeedToCallbackTile(double? MedianMinutes, int Attempted)
{
    public static SpeedToCallbackTile NotYet { get; } = new(null, 0);
}

/// <summary>7. One salesperson today.</summary>
/// <param name="MissedWhileRung">Rings on their phone that ended unanswered.</param>
/// <param name="CallbacksDone">Null until call-backs exist.</param>
/// <param name="MedianSpeedToCallbackMinutes">Null until call-backs exist.</param>
public sealed record LeaderboardRow(int SalespersonId, string Name, int Answered, int MissedWhileRung, int? CallbacksDone, double? MedianSpeedToCallbackMinutes);

/// <summary>8. One lead source today: calls started and of them missed.</summary>
public sealed record SourceRow(int? LeadSourceId, string Name, int Calls, int Missed);

/// <summary>9. One line of the ticker, e.g. "Missed call · Cars.com · 2 min ago" (the age is the screen's).</summary>
public sealed record TickerItem(
    DateTimeOffset At,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TickerKind>))] TickerKind Kind,
    string Text,
    string Source,
    long CallId);

public enum TickerKind
{
    Incoming = 0,
    Answered = 1,
    Missed = 2,
}
