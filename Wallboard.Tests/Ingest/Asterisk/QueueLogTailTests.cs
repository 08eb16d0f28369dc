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
    private class TailingApp : WallboardAppFactory
    {
        public string LogPath => Path.Combine(DataDirectory, "queue_log");

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Wallboard:Asterisk:Tail:0:IntegrationId"] = "1",
            ["Wallboard:Asterisk:Tail:0:Path"] = LogPath,
            ["Wallboard:Asterisk:Tail:0:PollMilliseconds"] = "100",
            ["Wallboard:Asterisk:Tail:0:MaxReadBytes"] = ReadBytes,
        };

        protected virtual string ReadBytes => "4194304";
    }

    // The smallest read a tail makes: a log of several kilobytes is sent in pieces.
    private sealed class SmallReadsApp : TailingApp
    {
        protected override string ReadBytes => "1024";
    }

    [Fact]
    public async Task A_log_longer_than_one_read_already_there_at_start_up_is_sent_whole_piece_by_piece()
    {
        const int Calls = 60;
        await using var app = new SmallReadsApp();
        var epoch = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeSeconds();
        var lines = new System.Text.StringBuilder();
        for (var i = 0; i < Calls; i++)
        {
            var at = epoch + (i * 10);
            lines.Append(CultureInfo.InvariantCulture, $"{at}|big-{i}.1|lakeside-sales|NONE|ENTERQUEUE||31255501{i:00}|1\n");
            lines.Append(CultureInfo.InvariantCulture, $"{at + 5}|big-{i}.1|lakeside-sales|NONE|ABANDON|1|1|5\n");
        }

        Directory.CreateDirectory(app.DataDirectory);
        await File.WriteAllTextAsync(app.LogPath, lines.ToString());
        Assert.True(new FileInfo(app.LogPath).Length > 4 * 1024, "the log must need several reads");

        await app.InitializeAsync();
        using var changed = new SemaphoreSlim(0);
        using var subscription = app.Services.GetRequiredService<ICallChangeNotifier>().Subscribe(_ =>
        {
            changed.Release();
            return ValueTask.CompletedTask;
        });

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        async Task<int> EndedCallsAsync()
        {
            await using var db = await factory.CreateDbContextAsync();
            return await db.Calls.CountAsync(c => c.ExternalId.StartsWith("big-") && c.Outcome == CallOutcome.Abandoned);
        }

        // Counted again after each committed batch; the tail may have sent some before the subscription.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (await EndedCallsAsync() < Calls)
        {
            Assert.True(await changed.WaitAsync(TimeSpan.FromTicks(Math.Max(0, (deadline - DateTime.UtcNow).Ticks))), "the tail stopped sending before the end of the log");
        }

        Assert.Equal(Calls, await EndedCallsAsync());
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
