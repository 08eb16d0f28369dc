using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wallboard.Domain.Stores;
using Wallboard.Tests.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Hosting;

/// <summary>
/// The links a newcomer follows (the credentials file and the start-up log) carry the address the
/// app really listens on, or <c>Wallboard:PublicBaseUrl</c> when set, and list the TV of the store
/// that is open (or opens soonest) first.
/// </summary>
public sealed class StartupLinksTests(StartupLinksTests.LoggedApp app, StartupLinksTests.PublicApp publicApp)
    : IClassFixture<StartupLinksTests.LoggedApp>, IClassFixture<StartupLinksTests.PublicApp>
{
    public class LoggedApp : WallboardAppFactory
    {
        public LogRecorder Recorder { get; } = new();

        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(Recorder));
            return base.CreateHost(builder);
        }
    }

    public sealed class PublicApp : LoggedApp
    {
        public const string Address = "https://wallboard.dealer.example";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Wallboard:PublicBaseUrl"] = Address };
    }

    private static DemoCredentials Credentials(WallboardAppFactory factory) =>
        JsonSerializer.Deserialize<DemoCredentials>(File.ReadAllText(Path.Combine(factory.DataDirectory, DemoSeeder.CredentialsFileName)), JsonSerializerOptions.Web)!;

    [Fact]
    public void The_credentials_file_and_the_log_carry_the_address_the_app_listens_on()
    {
        var credentials = Credentials(app);
        var address = app.BaseAddress.ToString(); // http://127.0.0.1:<port>/, not the default localhost:5080

        Assert.Equal(address + "account/sign-in", credentials.SignIn);
        Assert.All(credentials.DisplayLinks!, l => Assert.StartsWith(address + "tv/", l.Url, StringComparison.Ordinal));
        var logged = app.Recorder.Since(0);
        Assert.Contains(logged, l => l.Contains("Sign in at " + address + "account/sign-in", StringComparison.Ordinal));
        Assert.Equal(credentials.DisplayLinks!.Count, logged.Count(l => l.Contains("TV board of", StringComparison.Ordinal) && l.Contains(address + "tv/", StringComparison.Ordinal)));
        Assert.DoesNotContain(logged, l => l.Contains("localhost:5080", StringComparison.Ordinal));
    }

    [Fact]
    public void With_a_public_base_url_the_links_use_it()
    {
        var credentials = Credentials(publicApp);

        Assert.Equal(PublicApp.Address + "/account/sign-in", credentials.SignIn);
        Assert.All(credentials.DisplayLinks!, l => Assert.StartsWith(PublicApp.Address + "/tv/", l.Url, StringComparison.Ordinal));
        Assert.Contains(publicApp.Recorder.Since(0), l => l.Contains("TV board of", StringComparison.Ordinal) && l.Contains(PublicApp.Address + "/tv/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_tv_of_the_store_open_now_or_opening_soonest_comes_first()
    {
        var links = Credentials(app).DisplayLinks!;
        var now = DateTimeOffset.UtcNow;
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var stores = await db.Stores.AsNoTracking().Include(s => s.BusinessHours).Include(s => s.ClosedDates).ToListAsync();
        var opens = links.Select(l => stores.Single(s => s.Id == l.StoreId).Calendar.NextOpening(now, Department.Sales) ?? DateTimeOffset.MaxValue).ToList();

        // Today's demo: whichever store is open (or opens first) is the first link, whatever the weekday.
        Assert.Equal(opens.Order().ToList(), opens);
        Assert.Equal(2, links.Count);
        var first = app.Recorder.Since(0).First(l => l.Contains("TV board of", StringComparison.Ordinal));
        Assert.Contains(links[0].Store, first, StringComparison.Ordinal);
    }
}
