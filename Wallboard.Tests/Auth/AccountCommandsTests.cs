using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Tests.Hosting;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Tests.Auth;

/// <summary><c>create-admin</c> and <c>create-api-token</c> (§11) on real SQLite files.</summary>
public sealed class AccountCommandsTests(WallboardAppFactory demo) : IClassFixture<WallboardAppFactory>, IDisposable
{
    private readonly string _fresh = Directory.CreateTempSubdirectory("wallboard-verbs-").FullName;

    private static string[] On(string folder, params string[] args) =>
        [.. args, $"--ConnectionStrings:Wallboard=Data Source={Path.Combine(folder, "wallboard.db")}", $"--Wallboard:DataDirectory={folder}"];

    private static async Task<(int Exit, string Out, string Err)> RunAsync(Func<TextWriter, TextWriter, Task<int>> verb)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await verb(output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    private static Task<(int Exit, string Out, string Err)> CreateAdminAsync(string[] args) =>
        RunAsync((o, e) => AccountCommands.CreateAdminAsync(args, o, e, CancellationToken.None));

    private static Task<(int Exit, string Out, string Err)> CreateTokenAsync(string[] args) =>
        RunAsync((o, e) => AccountCommands.CreateApiTokenAsync(args, o, e, TimeProvider.System, CancellationToken.None));

    [Fact]
    public async Task Create_admin_on_a_fresh_install_makes_the_first_admin_who_signs_in_to_an_empty_app()
    {
        var made = await CreateAdminAsync(On(_fresh, "--email", "owner@dealer.example", "--password", "a long enough passphrase"));

        Assert.Equal(AccountExitCodes.Success, made.Exit);
        Assert.Contains("owner@dealer.example", made.Out, StringComparison.Ordinal);
        await using (var app = new EmptyApp(_fresh))
        {
            await app.InitializeAsync();
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
            Assert.False(await db.Stores.AnyAsync());
            var admin = await db.Users.SingleAsync();
            Assert.Equal(WallboardRole.Admin, admin.Role);
            Assert.DoesNotContain("a long enough passphrase", admin.PasswordHash, StringComparison.Ordinal);
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "user.created");
            Assert.Equal("create-admin", audit.Actor);
            Assert.DoesNotContain("hash", audit.After!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("stamp", audit.After!, StringComparison.OrdinalIgnoreCase);

            var http = await TestAccounts.SignedInAsync(app, "owner@dealer.example", "a long enough passphrase");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("admin/users")).StatusCode);
            Assert.False(File.Exists(Path.Combine(_fresh, DemoSeeder.CredentialsFileName)));
        }
    }

    [Fact]
    public async Task Create_admin_refuses_a_weak_password_a_taken_e_mail_and_bad_arguments_with_their_exit_codes()
    {
        var weak = await CreateAdminAsync(On(_fresh, "--email", "owner@dealer.example", "--password", "Sh0rt!"));
        Assert.Equal(AccountExitCodes.WeakPassword, weak.Exit);
        Assert.Contains("at least 12 characters", weak.Err, StringComparison.Ordinal);

        Assert.Equal(AccountExitCodes.Success, (await CreateAdminAsync(On(_fresh, "--email", "owner@dealer.example", "--password", "a long enough passphrase"))).Exit);
        var taken = await CreateAdminAsync(On(_fresh, "--email", "OWNER@dealer.example", "--password", "another long passphrase"));
        Assert.Equal(AccountExitCodes.EmailTaken, taken.Exit);
        Assert.Contains("already exists", taken.Err, StringComparison.Ordinal);

        var missing = await CreateAdminAsync(On(_fresh, "--email", "x@dealer.example"));
        Assert.Equal(AccountExitCodes.BadArguments, missing.Exit);
        Assert.Contains("Give --email and --password.", missing.Err, StringComparison.Ordinal);
        var unknown = await CreateAdminAsync(["--emial", "x@dealer.example"]);
        Assert.Equal(AccountExitCodes.BadArguments, unknown.Exit);
        Assert.Contains("Unknown option '--emial'", unknown.Err, StringComparison.Ordinal);
        var notAnEmail = await CreateAdminAsync(On(_fresh, "--email", "not-an-email", "--password", "a long enough passphrase"));
        Assert.Equal(AccountExitCodes.BadArguments, notAnEmail.Exit);
    }

    [Fact]
    public async Task Create_api_token_prints_a_token_once_that_the_api_takes_and_keeps_only_its_hash()
    {
        var credentials = JsonSerializer.Deserialize<DemoCredentials>(await File.ReadAllTextAsync(Path.Combine(demo.DataDirectory, DemoSeeder.CredentialsFileName)), JsonSerializerOptions.Web)!;
        var store = credentials.Stores[1].Id;

        var made = await CreateTokenAsync(On(demo.DataDirectory, "--role", "Manager", "--store", $"{store}", "--name", "Nightly export"));

        Assert.Equal(AccountExitCodes.Success, made.Exit);
        var token = made.Out.Trim();
        Assert.StartsWith(ApiToken.Prefix, token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, made.Err, StringComparison.Ordinal);
        var http = demo.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var stores = JsonDocument.Parse(await http.GetStringAsync("api/v1/stores")).RootElement;
        Assert.Equal([store], stores.EnumerateArray().Select(s => s.GetProperty("id").GetInt32()));
        await using var db = await demo.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync();
        var row = await db.ApiTokens.SingleAsync(t => t.Name == "Nightly export");
        Assert.Equal(ApiToken.Hash(token), row.TokenHash);
        Assert.Equal(WallboardRole.Manager, row.Role);
        Assert.DoesNotContain(token, (await db.AuditEntries.SingleAsync(a => a.Action == "api-token.created" && a.StoreId == store)).After!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_api_token_refuses_missing_scopes_and_unknown_stores_or_salespeople()
    {
        var credentials = JsonSerializer.Deserialize<DemoCredentials>(await File.ReadAllTextAsync(Path.Combine(demo.DataDirectory, DemoSeeder.CredentialsFileName)), JsonSerializerOptions.Web)!;
        var lakeside = credentials.Stores[0].Id;
        var bayviewPerson = credentials.ApiTokens.First(t => t.Role == "Salesperson" && t.StoreId != lakeside).SalespersonId!.Value;

        Assert.Equal(AccountExitCodes.BadArguments, (await CreateTokenAsync(On(demo.DataDirectory, "--role", "Manager"))).Exit);
        Assert.Equal(AccountExitCodes.BadArguments, (await CreateTokenAsync(On(demo.DataDirectory, "--role", "Salesperson", "--store", $"{lakeside}"))).Exit);
        Assert.Equal(AccountExitCodes.BadArguments, (await CreateTokenAsync(On(demo.DataDirectory, "--role", "Display", "--store", $"{lakeside}"))).Exit);
        Assert.Equal(AccountExitCodes.NotFound, (await CreateTokenAsync(On(demo.DataDirectory, "--role", "Manager", "--store", "999"))).Exit);
        var otherStore = await CreateTokenAsync(On(demo.DataDirectory, "--role", "Salesperson", "--store", $"{lakeside}", "--salesperson", $"{bayviewPerson}"));
        Assert.Equal(AccountExitCodes.NotFound, otherStore.Exit);
        Assert.Empty(otherStore.Out);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_fresh, recursive: true);
    }

    /// <summary>The app as an install without the demo starts it: <c>--Wallboard:Demo:Seed=false</c>.</summary>
    private sealed class EmptyApp(string folder) : WallboardAppFactory(folder)
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Wallboard:Demo:Seed"] = "false" };
    }
}
