using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

internal static class BoardWaits
{
    /// <summary>
    /// Waits on the running app's board notifier for a snapshot that satisfies <paramref name="wanted"/>
    /// (the board updates just after ingest answers, not before), or takes the current one if it does.
    /// </summary>
    public static async Task<BoardSnapshot> WaitForBoardAsync(
        this WallboardAppFactory app, BoardKey key, Func<BoardSnapshot, bool> wanted, BoardAudience audience = BoardAudience.Staff)
    {
        var found = new TaskCompletionSource<BoardSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<IBoardNotifier>().Subscribe(key, audience, snapshot =>
        {
            if (wanted(snapshot))
            {
                found.TrySetResult(snapshot);
            }

            return ValueTask.CompletedTask;
        });
        if (app.Services.GetRequiredService<LiveBoard>().Current(key, audience) is { } current && wanted(current))
        {
            return current;
        }

        return await found.Task.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
