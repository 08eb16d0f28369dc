using NodaTime;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Tests.Domain.Callbacks;

/// <summary>
/// A Chicago store for call-back rules: sales open Monday to Friday 09:00–20:00, Saturday
/// 09:00–18:00, closed on Sundays and on Thanksgiving (Thursday 26 November 2026). Times in tests
/// are written in the store's local time and turned into UTC instants here.
/// </summary>
internal static class CallbackScenario
{
    public const string Zone = "America/Chicago";
    public const int StoreId = 7;
    public const string Caller = "+13125550142";

    public static readonly DateOnly Thanksgiving = new(2026, 11, 26);

    public static readonly CallbackActor Dana = CallbackActor.Salesperson(11, "Dana Whitfield");
    public static readonly CallbackActor Mike = CallbackActor.Salesperson(12, "Mike Reynolds");
    public static readonly CallbackActor Linda = CallbackActor.Manager(null, "Linda Park");

    /// <summary>A store-local wall-clock time in Chicago as a UTC instant.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0)
    {
        var zoned = DateTimeZoneProviders.Tzdb[Zone].AtStrictly(new LocalDateTime(year, month, day, hour, minute));
        return zoned.ToInstant().ToDateTimeOffset();
    }

    public static Store Store(StoreSettings? settings = null, IEnumerable<BusinessHours>? hours = null, params DateOnly[] closed)
    {
        var store = new Store { Id = StoreId, Name = "Lakeside Toyota", Slug = "lakeside", TimeZoneId = Zone, Settings = settings ?? new StoreSettings() };
        store.BusinessHours.AddRange(hours ?? SalesHours());
        store.ClosedDates.AddRange((closed.Length == 0 ? [Thanksgiving] : closed).Select(d => new ClosedDate { Date = d, Name = "Holiday" }));
        return store;
    }

    public static CallbackRules Rules(StoreSettings? settings = null) => CallbackRules.For(Store(settings));

    public static IEnumerable<BusinessHours> SalesHours() =>
        Enum.GetValues<DayOfWeek>().Where(d => d != DayOfWeek.Sunday).Select(d => Hours(d, 9, d == DayOfWeek.Saturday ? 18 : 20));

    public static BusinessHours Hours(DayOfWeek day, int opens, int closes) =>
        new() { Department = Department.Sales, Day = day, Opens = new TimeOnly(opens, 0), Closes = new TimeOnly(closes, 0) };

    /// <summary>A missed sales call that rang for a minute and ended at <paramref name="endedAt"/>.</summary>
    public static Call Missed(long id, DateTimeOffset endedAt, string? caller = Caller, CallOutcome outcome = CallOutcome.Abandoned, bool withheld = false) => new()
    {
        Id = id,
        ExternalId = $"call-{id}",
        StoreId = StoreId,
        Department = Department.Sales,
        CallerE164 = caller,
        CallerWithheld = withheld,
        LeadSourceId = 3,
        TrackingNumberId = 5,
        StartedAt = endedAt.AddMinutes(-1),
        EndedAt = endedAt,
        LastEventAt = endedAt,
        Phase = CallPhase.Ended,
        Outcome = outcome,
    };

    public static Call Connected(long id, DateTimeOffset startedAt, string? caller = Caller) => new()
    {
        Id = id,
        ExternalId = $"call-{id}",
        StoreId = StoreId,
        Department = Department.Sales,
        CallerE164 = caller,
        StartedAt = startedAt,
        AnsweredAt = startedAt.AddSeconds(10),
        EndedAt = startedAt.AddMinutes(5),
        LastEventAt = startedAt.AddMinutes(5),
        Phase = CallPhase.Ended,
        Outcome = CallOutcome.Connected,
    };

    public static Callback Created(DateTimeOffset missedAt, CallbackRules? rules = null, string? caller = Caller) =>
        Callback.Create(Missed(1, missedAt, caller), rules ?? Rules(), missedAt);
}
