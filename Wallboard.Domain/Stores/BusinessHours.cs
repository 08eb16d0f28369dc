namespace Wallboard.Domain.Stores;

/// <summary>
/// One opening period of a department on a day of the week, in the store's local time. A period
/// whose <see cref="Closes"/> is not after <see cref="Opens"/> runs past midnight into the next day.
/// </summary>
public sealed class BusinessHours
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    public Department Department { get; set; }

    public DayOfWeek Day { get; set; }

    public TimeOnly Opens { get; set; }

    public TimeOnly Closes { get; set; }
}
