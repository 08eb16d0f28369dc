namespace Wallboard.Domain.Stores;

/// <summary>What a lead source cost in one calendar month, as an admin entered it (whole cents of the store's currency).</summary>
public sealed class LeadSourceSpend
{
    public int Id { get; set; }

    public int StoreId { get; set; }

    public int LeadSourceId { get; set; }

    /// <summary>The month, as its first day.</summary>
    public DateOnly Month { get; set; }

    public long AmountCents { get; set; }
}

/// <summary>
/// What an answered sales call is worth to a store (whole cents), the value a missed caller who is
/// never reached leaves on the table. <see cref="DefaultCents"/> until an admin sets it.
/// </summary>
public sealed class SalesCallValue
{
    /// <summary>
    /// 300.00: a placeholder of the right size, about one sale in ten answered sales calls at about
    /// 3,000 of gross per sale. Each store should set its own.
    /// </summary>
    public const long DefaultCents = 30_000;

    public int StoreId { get; set; }

    public long AnsweredCallValueCents { get; set; } = DefaultCents;
}
