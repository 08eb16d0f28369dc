namespace Wallboard.Web.Cluster;

/// <summary>
/// A batch of changes another app node committed, published here by <see cref="ClusterChanges"/>
/// into the same notifiers local changes go through. Subscribers treat it like any batch; the
/// cluster's own sender and the work the committing node already did for everyone (today's metrics)
/// recognise it with <see cref="IsFromAnotherNode{T}"/> and do not repeat it.
/// </summary>
public sealed class RemoteBatch<T>(IReadOnlyList<T> items) : IReadOnlyList<T>
{
    public T this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<T> GetEnumerator() => items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

public static class RemoteBatch
{
    /// <summary>True for a batch another node committed and this node only heard of.</summary>
    public static bool IsFromAnotherNode<T>(IReadOnlyList<T> batch) => batch is RemoteBatch<T>;
}
