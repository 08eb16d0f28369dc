namespace Wallboard.Web;

/// <summary>
/// Whether the app is ready to serve: <c>GET /health</c> answers 503 until <see cref="MarkReady"/>
/// is called. Start-up work (migrations, seeding, rebuilding the live board) finishes before the
/// call, so a script that waits for a healthy app finds it usable.
/// </summary>
public sealed class StartupReadiness
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsReady => _ready.Task.IsCompleted;

    /// <summary>Completes when <see cref="MarkReady"/> is called, for code that waits rather than polls.</summary>
    public Task WhenReady => _ready.Task;

    public void MarkReady() => _ready.TrySetResult();
}
