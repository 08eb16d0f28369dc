using Wallboard.Domain.Stores;

namespace Wallboard.Web.Callbacks;

/// <summary>
/// A call-back that changed (created, joined, claimed, attempted, overdue, escalated, closed…),
/// published after each commit by the call-back commands, the intake of missed calls and the sweep
/// (<see cref="ICallbackChangeNotifier"/>): the live board updates its overdue tile, the call-back
/// screens refresh.
/// </summary>
public sealed record CallbackChange(int StoreId, Department Department, long CallbackId);
