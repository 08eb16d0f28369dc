using System.Collections.Concurrent;

namespace Wallboard.Web.Auth;

/// <summary>
/// Tells the screens that a display link was revoked, so a TV that is connected with it is cut at
/// once (its page's circuit and any hub connection), not when it next reconnects. The admin
/// service says so after the revocation is committed; a watch begun after that still hears it.
/// </summary>
public sealed partial class DisplayLinkRevocations(ILogger<DisplayLinkRevocations> logger)
{
    private readonly ConcurrentDictionary<int, bool> _revoked = new();
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<LinkWatch, bool>> _watches = new();

    /// <summary>Calls <paramref name="onRevoked"/> once when the link is revoked (at once if it already was); dispose to stop.</summary>
    public IDisposable Watch(int linkId, Action onRevoked)
    {
        ArgumentNullException.ThrowIfNull(onRevoked);
        var watch = new LinkWatch(this, linkId, onRevoked);
        _watches.GetOrAdd(linkId, _ => new()).TryAdd(watch, true);
        if (_revoked.ContainsKey(linkId))
        {
            watch.Fire(logger);
        }

        return watch;
    }

    /// <summary>The link is revoked (committed): cut everything that watches it.</summary>
    public void Revoked(int linkId)
    {
        _revoked[linkId] = true;
        if (_watches.TryGetValue(linkId, out var watches))
        {
            foreach (var watch in watches.Keys)
            {
                watch.Fire(logger);
            }
        }
    }

    private void Remove(LinkWatch watch)
    {
        if (_watches.TryGetValue(watch.LinkId, out var watches))
        {
            watches.TryRemove(watch, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cutting a screen of revoked display link {LinkId} failed")]
    private static partial void LogCutFailed(ILogger logger, int linkId, Exception exception);

    private sealed class LinkWatch(DisplayLinkRevocations owner, int linkId, Action onRevoked) : IDisposable
    {
        private int _fired;

        public int LinkId => linkId;

        public void Fire(ILogger logger)
        {
            if (Interlocked.Exchange(ref _fired, 1) == 1)
            {
                return;
            }

            try
            {
                onRevoked();
            }
            catch (Exception ex)
            {
                LogCutFailed(logger, linkId, ex);
            }
        }

        public void Dispose() => owner.Remove(this);
    }
}
