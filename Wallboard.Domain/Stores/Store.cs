namespace Wallboard.Domain.Stores;

/// <summary>One dealership rooftop (§2). A dealer group has several.</summary>
public sealed class Store
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Short, URL-safe name used in links (<c>/tv/{slug}</c>).</summary>
    public required string Slug { get; set; }

    public string City { get; set; } = string.Empty;

    /// <summary>IANA (tzdb) zone id, e.g. <c>America/Chicago</c>. Every "today" is in this zone.</summary>
    public required string TimeZoneId { get; set; }

    /// <summary>ISO 3166 alpha-2 country in which national caller ids are read (e.g. <c>US</c>).</summary>
    public string CountryCode { get; set; } = "US";

    public StoreSettings Settings { get; set; } = new();

    public List<BusinessHours> BusinessHours { get; set; } = [];

    public List<ClosedDate> ClosedDates { get; set; } = [];

    public StoreCalendar Calendar => new(TimeZoneId, BusinessHours, ClosedDates);
}
