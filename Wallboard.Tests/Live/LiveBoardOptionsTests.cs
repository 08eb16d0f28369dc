using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wallboard.Web.Live;

namespace Wallboard.Tests.Live;

/// <summary>Live board settings out of range stop the start with a message that names the setting.</summary>
public sealed class LiveBoardOptionsTests
{
    private static LiveBoardOptions Bind(Dictionary<string, string?> values)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(values);
        builder.AddWallboardLive();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<LiveBoardOptions>>().Value;
    }

    [Fact]
    public void The_defaults_and_settings_in_range_are_taken()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), Bind([]).TvWindow);
        var set = Bind(new() { ["Wallboard:Live:TvWindow"] = "00:00:01", ["Wallboard:Live:CoalescingWindow"] = "00:00:00", ["Wallboard:Live:SelfCheckInterval"] = "00:00:00" });
        Assert.Equal((TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.Zero), (set.TvWindow, set.CoalescingWindow, set.SelfCheckInterval));
    }

    [Theory]
    [InlineData("TvWindow", "-00:00:01", "TvWindow must be from 0 to 10 seconds")]
    [InlineData("CoalescingWindow", "00:01:00", "CoalescingWindow must be from 0 to 10 seconds")]
    [InlineData("RecentCalls", "-1", "RecentCalls must be from 0 to 1000")]
    [InlineData("SelfCheckInterval", "-00:05:00", "SelfCheckInterval must be 0 (off) or more")]
    public void A_setting_out_of_range_is_refused_by_name(string setting, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Bind(new() { [$"Wallboard:Live:{setting}"] = value }));
        Assert.Contains($"Wallboard:Live: {message}", error.Message, StringComparison.Ordinal);
    }
}
