using Wallboard.Web.Components.Shared;

namespace Wallboard.Tests.Components;

public sealed class FakeStoreDirectory : IStoreDirectory
{
    private readonly List<StoreSummary> _stores = [];

    /// <summary>When set, listing waits for it, so a test can look at the page while it loads.</summary>
    public Task? Answer { get; set; }

    public FakeStoreDirectory Add(StoreSummary store)
    {
        _stores.Add(store);
        return this;
    }

    public async Task<IReadOnlyList<StoreSummary>> ListStoresAsync(CancellationToken ct)
    {
        if (Answer is not null)
        {
            await Answer.WaitAsync(ct);
        }
        return _stores.ToList();
    }
}
