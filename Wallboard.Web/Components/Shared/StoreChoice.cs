namespace Wallboard.Web.Components.Shared;

/// <summary>Which store a page shows for an account: the one asked for (<c>?store=</c>) if allowed, else the first the account may see.</summary>
public static class StoreChoice
{
    /// <summary>
    /// The stores the account may see, the one to show (null when there is none) and whether the
    /// store asked for is one the account may not see.
    /// </summary>
    public static async Task<(IReadOnlyList<StoreSummary> Stores, int? Chosen, bool NotAllowed)> ChooseAsync(
        IStoreDirectory directory, Func<int, bool> maySee, int? asked, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(maySee);
        var stores = (await directory.ListStoresAsync(ct)).Where(s => maySee(s.Id)).ToList();
        if (asked is { } id)
        {
            return stores.Any(s => s.Id == id) ? (stores, id, false) : (stores, null, true);
        }

        return (stores, stores.Count > 0 ? stores[0].Id : null, false);
    }
}
