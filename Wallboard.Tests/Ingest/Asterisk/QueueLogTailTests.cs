using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Data;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Ingest.Asterisk;

public class QueueLogTailTests
{
    private sealed class TailingApp : WallboardAppFactory
    {
        public string LogPath => Path.Combine(DataDirectory, "queue_log");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Asterisk:Tail:0:IntegrationId"] = "1",
            ["Wallboard:Asterisk:Tail:0:Path"] = LogPath,
            ["Wallboard:Asterisk:Tail:0:PollMilliseconds"] = "100",
        };
    }

    [Fact]
    public async Task Lines_appended_to_a_followed_queue_log_become_calls_and_a_half_written_line_waits_for_its_end()
    {
        await using var app = new TailingApp();
        await app.InitializeAsync();
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = app.Services.GetRequiredService<ICallChangeNotifier>().Subscribe(changes =>
        {
            if (changes.Any(c => c.Outcome is not null))
            {
                ended.TrySetResult();
            }

            return ValueTask.CompletedTask;
        });

        var epoch = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds();
        string Line(long at, string rest) => at.ToString(CultureInfo.InvariantCulture) + rest;
        await File.AppendAllTextAsync(app.LogPath, Line(epoch, "|tail-1.1|lakeside-sales|NONE|ENTERQUEUE||3125550142|1\n"));
        // The end line is written in two parts, as a PBX flushing mid-line would.
        await File.AppendAllTextAsync(app.LogPath, Line(epoch + 12, "|tail-1.1|lakeside-sales|SIP/101|CONNECT|12|1"));
        await File.AppendAllTextAsync(app.LogPath, "5|3\n" + Line(epoch + 100, "|tail-1.1|lakeside-sales|SIP/101|COMPLETECALLER|12|88|1\n"));

        await ended.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var call = await db.Calls.SingleAsync(c => c.ExternalId == "tail-1.1");
        Assert.Equal(CallOutcome.Connected, call.Outcome);
        Assert.Equal(12, call.WaitSeconds);
        Assert.Equal(88, call.TalkSeconds);
        Assert.NotNull(call.AnsweredBySalespersonId); // SIP/101 is Mike Reynolds in the demo
    }
}
