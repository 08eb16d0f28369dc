using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Wallboard.Domain.Phones;
using Wallboard.Web.Privacy;

namespace Wallboard.Tests.Privacy;

/// <summary>The retention settings' start-up check, the install key and the pseudonyms it makes.</summary>
public sealed class PrivacySettingsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("wallboard-privacy-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static async Task StartAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWallboardPrivacy();
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();
    }

    [Theory]
    [InlineData("0", "RetentionMonths must be a whole number of months from 1 to 1200 (it is 0)")]
    [InlineData("-3", "RetentionMonths must be a whole number of months from 1 to 1200 (it is -3)")]
    public async Task A_retention_that_is_not_a_positive_number_of_months_stops_the_start_with_a_clear_message(string months, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Wallboard:Privacy:RetentionMonths"] = months, ["Wallboard:DataDirectory"] = _folder.FullName }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schedule_that_is_not_a_cron_expression_stops_the_start()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new() { ["Wallboard:Privacy:RetentionSchedule"] = "every night", ["Wallboard:DataDirectory"] = _folder.FullName }));

        Assert.Contains("RetentionSchedule 'every night' is not a Quartz cron expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_start_and_keep_thirteen_months()
    {
        await StartAsync(new() { ["Wallboard:DataDirectory"] = _folder.FullName });

        Assert.Equal(13, new PrivacyOptions().RetentionMonths);
        Assert.Empty(new PrivacyOptions().Problems());
    }

    [Fact]
    public void The_key_is_made_once_and_gives_the_same_pseudonym_for_the_same_number_across_restarts()
    {
        var path = Path.Combine(_folder.FullName, PrivacyKey.DefaultFileName);
        var first = PrivacyKey.LoadOrCreate(path);
        var again = PrivacyKey.LoadOrCreate(path);
        var other = PrivacyKey.LoadOrCreate(Path.Combine(_folder.FullName, "other.key"));

        var pseudonym = first.Pseudonym("+13125550142");

        Assert.True(CallerPseudonym.IsPseudonym(pseudonym));
        Assert.Equal(CallerPseudonym.Length, pseudonym.Length);
        Assert.Equal(pseudonym, again.Pseudonym("+13125550142"));
        Assert.NotEqual(pseudonym, first.Pseudonym("+13125550143"));
        Assert.NotEqual(pseudonym, other.Pseudonym("+13125550142"));
        Assert.DoesNotContain("5550142", pseudonym, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void A_damaged_key_file_is_refused_with_its_path()
    {
        var path = Path.Combine(_folder.FullName, "damaged.key");
        File.WriteAllText(path, "not base64 at all!");

        var error = Assert.Throws<InvalidOperationException>(() => PrivacyKey.LoadOrCreate(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pseudonym_reads_back_as_an_anonymized_caller_that_no_screen_shows_as_a_number()
    {
        var pseudonym = PrivacyKey.RandomPseudonym();

        var caller = CallerNumber.Parse(pseudonym, "US");

        Assert.Equal(pseudonym, caller.E164);
        Assert.True(caller.IsAnonymized);
        Assert.False(caller.IsWithheld);
        Assert.Equal(CallerPseudonym.Shown, caller.Masked);
        Assert.False(CallerNumber.Parse("+13125550142", "US").IsAnonymized);
        Assert.False(CallerPseudonym.IsPseudonym("~ABCDEFGHIJKLMNO"));
        Assert.False(CallerPseudonym.IsPseudonym("+13125550142"));
    }
}
