using Wallboard.Domain.Stores;
using Wallboard.Web.Hosting;

namespace Wallboard.Web.Callbacks;

/// <summary>A call-back that changed (created, joined, claimed, attempted, overdue, escalated, closed…).</summary>
public sealed record CallbackChange(int StoreId, Department Department, long CallbackId);

/// <summary>
/// The in-process fan-out of call-back changes (STYLE.md rule 11), published after each commit by
/// the call-back commands, the intake of missed calls and the sweep. The live board subscribes to
/// update its overdue tile; the call-back screens to refresh. Subscribing returns an
/// <see cref="IDisposable"/> that unsubscribes.
/// </summary>
public interface ICallbackChangeNotifier
{
    void Publish(IReadOnlyList<CallbackChange> changes);

    IDisposable Subscribe(Func<IReadOnlyList<CallbackChange>, ValueTask> handler);
}

public sealed class CallbackChangeNotifier(ILogger<CallbackChangeNotifier> logger) : ICallbackChangeNotifier
{
    private readonly BatchFanout<CallbackChange> _fanout = new(logger, "call-back changes");

    public void Publish(IReadOnlyList<CallbackChange> changes) => _fanout.Publish(changes);

    public IDisposable Subscribe(Func<IReadOnlyList<CallbackChange>, ValueTask> handler) => _fanout.Subscribe(handler);
}
