using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Phones;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Data;

/// <summary>
/// Seeds the demo dealer group on an empty database (§11) so a newcomer sees a working app at
/// once, and writes what a person needs to get in to <c>data/demo-credentials.json</c>. Numbers are
/// from the 555-01xx range, which is reserved for fiction.
/// </summary>
public sealed partial class DemoSeeder(
    IDbContextFactory<WallboardDbContext> dbFactory,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<DemoSeeder> logger)
{
    public const string CredentialsFileName = "demo-credentials.json";

    /// <summary>Where <c>dotnet run</c> serves by default (§11); links in the credentials file use it.</summary>
    public const string DefaultAddress = "http://localhost:5080/";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static readonly string[] SourceNames =
        ["Main line", "Website", "Cars.com", "AutoTrader", "CarGurus", "Google Business Profile", "Radio", LeadSource.UnknownName];

    private sealed record StorePlan(
        string Name, string Slug, string City, string TimeZoneId, string AreaCode, int FirstNumber,
        bool OpenOnSunday, (string Name, SalespersonRole Role)[] People, int FirstExtension);

    private static readonly StorePlan[] Plans =
    [
        new("Lakeside Toyota", "lakeside-toyota", "Naperville, IL", "America/Chicago", "630", 100,
            // Illinois law closes car showrooms on Sundays.
            OpenOnSunday: false,
            [("Mike Reynolds", SalespersonRole.Salesperson), ("Dana Whitfield", SalespersonRole.Salesperson),
             ("Carlos Mendez", SalespersonRole.Salesperson), ("Priya Shah", SalespersonRole.Salesperson),
             ("Tom Becker", SalespersonRole.Salesperson), ("Linda Park", SalespersonRole.Manager)],
            FirstExtension: 101),
        new("Bayview Honda", "bayview-honda", "Tampa, FL", "America/New_York", "813", 110,
            OpenOnSunday: true,
            [("Jasmine Carter", SalespersonRole.Salesperson), ("Ryan O'Neill", SalespersonRole.Salesperson),
             ("Ahmed Hassan", SalespersonRole.Salesperson), ("Emily Novak", SalespersonRole.Salesperson),
             ("Marcus Lee", SalespersonRole.Salesperson), ("Greg Sullivan", SalespersonRole.Manager)],
            FirstExtension: 201),
    ];

    private static readonly (DateOnly Date, string Name)[] Holidays =
    [
        (new DateOnly(2026, 11, 26), "Thanksgiving"),
        (new DateOnly(2026, 12, 25), "Christmas Day"),
        (new DateOnly(2027, 1, 1), "New Year's Day"),
        (new DateOnly(2027, 11, 25), "Thanksgiving"),
        (new DateOnly(2027, 12, 25), "Christmas Day"),
    ];

    /// <summary>Seeds when the database has no store; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Stores.AnyAsync(ct))
        {
            return false;
        }

        // All or nothing: a half-seeded demo would never be seeded again.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var stores = Plans.Select(NewStore).ToList();
        db.Stores.AddRange(stores);
        await db.SaveChangesAsync(ct);

        var pbx = new Integration { Name = "Demo phone system (JSON and queue log)", Kind = IntegrationKind.JsonApi, DefaultStoreId = stores[0].Id };
        var twilio = new Integration { Name = "Demo Twilio", Kind = IntegrationKind.Twilio, DefaultStoreId = stores[1].Id };
        db.Integrations.AddRange(pbx, twilio);
        await db.SaveChangesAsync(ct);

        var pbxSecret = NewSecret();
        var twilioToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)); // Twilio auth tokens are 32 hex digits
        db.IntegrationCredentials.AddRange(
            new IntegrationCredential { IntegrationId = pbx.Id, Secret = pbxSecret, CreatedAt = now },
            new IntegrationCredential { IntegrationId = twilio.Id, Secret = twilioToken, CreatedAt = now });

        for (var i = 0; i < Plans.Length; i++)
        {
            await AddStoreDetailsAsync(db, Plans[i], stores[i], pbx, twilio, ct);
        }

        var tokens = await AddApiTokensAsync(db, stores, now, ct);
        var displayLinks = await AddDisplayLinksAsync(db, stores, now, ct);
        var accounts = await AddAccountsAsync(db, stores, now, ct);
        await transaction.CommitAsync(ct);

        var credentials = new DemoCredentials(
            GeneratedAt: now,
            SignIn: $"{DefaultAddress}account/sign-in",
            Stores: stores.Select(s => new DemoStore(s.Id, s.Name, s.Slug, s.TimeZoneId)).ToList(),
            Integration: new DemoIntegration(pbx.Id, pbxSecret),
            Twilio: new DemoTwilio(twilio.Id, twilioToken),
            ApiTokens: tokens,
            DisplayLinks: displayLinks,
            Accounts: accounts);
        var path = await WriteCredentialsAsync(credentials, ct);

        LogSeeded(logger, stores.Count, path);
        return true;
    }

    private static Store NewStore(StorePlan plan)
    {
        var store = new Store
        {
            Name = plan.Name,
            Slug = plan.Slug,
            City = plan.City,
            TimeZoneId = plan.TimeZoneId,
            CountryCode = "US",
        };

        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var (opens, closes) = day switch
            {
                DayOfWeek.Saturday => (9, 18),
                DayOfWeek.Sunday => (12, 17),
                _ => (9, 20),
            };
            if (day != DayOfWeek.Sunday || plan.OpenOnSunday)
            {
                store.BusinessHours.Add(Hours(Department.Sales, day, opens, closes));
            }

            if (day == DayOfWeek.Sunday)
            {
                continue;
            }

            var (serviceOpens, serviceCloses) = day == DayOfWeek.Saturday ? (8, 14) : (7, 18);
            store.BusinessHours.Add(Hours(Department.Service, day, serviceOpens, serviceCloses));
            store.BusinessHours.Add(Hours(Department.Parts, day, serviceOpens, serviceCloses));
        }

        store.ClosedDates.AddRange(Holidays.Select(h => new ClosedDate { Date = h.Date, Name = h.Name }));
        return store;
    }

    private static BusinessHours Hours(Department department, DayOfWeek day, int opens, int closes) =>
        new() { Department = department, Day = day, Opens = new TimeOnly(opens, 0), Closes = new TimeOnly(closes, 0) };

    private static async Task AddStoreDetailsAsync(
        WallboardDbContext db, StorePlan plan, Store store, Integration pbx, Integration twilio, CancellationToken ct)
    {
        var sources = SourceNames.ToDictionary(name => name, name => new LeadSource { StoreId = store.Id, Name = name });
        db.LeadSources.AddRange(sources.Values);
        await db.SaveChangesAsync(ct);

        // One number per medium, a pool of three for the website's dynamic numbers, and a
        // service line, so service calls stay off the sales board.
        var lines = new (string Source, Department Department, string Label)[]
        {
            ("Main line", Department.Sales, "Main line"),
            ("Website", Department.Sales, "Website pool 1"),
            ("Website", Department.Sales, "Website pool 2"),
            ("Website", Department.Sales, "Website pool 3"),
            ("Cars.com", Department.Sales, "Cars.com listing"),
            ("AutoTrader", Department.Sales, "AutoTrader listing"),
            ("CarGurus", Department.Sales, "CarGurus listing"),
            ("Google Business Profile", Department.Sales, "Google Business Profile"),
            ("Radio", Department.Sales, "Radio spot"),
            ("Main line", Department.Service, "Service desk"),
        };
        var numbers = lines.Select((line, i) => new TrackingNumber
        {
            E164 = $"+1{plan.AreaCode}555{plan.FirstNumber + i:0000}",
            StoreId = store.Id,
            LeadSourceId = sources[line.Source].Id,
            Department = line.Department,
            Label = line.Label,
        }).ToList();
        db.TrackingNumbers.AddRange(numbers);
        await db.SaveChangesAsync(ct);

        // The PBX's queues, for queue logs that name only the queue a caller entered.
        var queuePrefix = plan.Slug.Split('-')[0];
        db.HuntGroupMappings.AddRange(
            new HuntGroupMapping { IntegrationId = pbx.Id, Group = $"{queuePrefix}-sales", TrackingNumberId = numbers[0].Id },
            new HuntGroupMapping { IntegrationId = pbx.Id, Group = $"{queuePrefix}-service", TrackingNumberId = numbers[^1].Id });

        for (var i = 0; i < plan.People.Length; i++)
        {
            var (name, role) = plan.People[i];
            var extension = (plan.FirstExtension + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var person = new Salesperson { StoreId = store.Id, Name = name, Role = role };
            // The same desk phone as the PBX names it in events (extension) and in its queue log (member).
            person.Identities.Add(new AgentIdentity { IntegrationId = pbx.Id, Identity = extension });
            person.Identities.Add(new AgentIdentity { IntegrationId = pbx.Id, Identity = $"SIP/{extension}" });
            person.Identities.Add(new AgentIdentity { IntegrationId = pbx.Id, Identity = name });
            // Twilio forwards to the salesperson's cell.
            person.Identities.Add(new AgentIdentity { IntegrationId = twilio.Id, Identity = $"+1{plan.AreaCode}555{plan.FirstNumber + 50 + i:0000}" });
            db.Salespeople.Add(person);
        }

        await db.SaveChangesAsync(ct);
    }

    // A manager token per store and one per salesperson, so scripts can act as any of them (§11).
    private static async Task<List<DemoApiToken>> AddApiTokensAsync(WallboardDbContext db, List<Store> stores, DateTimeOffset now, CancellationToken ct)
    {
        var made = new List<(ApiToken Row, DemoApiToken Shown)>();
        foreach (var store in stores)
        {
            var (token, hash) = ApiToken.NewToken();
            var name = $"Demo manager, {store.Name}";
            made.Add((new ApiToken { Name = name, TokenHash = hash, TokenHint = ApiToken.HintOf(token), Role = WallboardRole.Manager, StoreId = store.Id, CreatedAt = now },
                new DemoApiToken(name, nameof(WallboardRole.Manager), store.Id, null, token)));
        }

        var people = await db.Salespeople.AsNoTracking().Where(p => p.Role == SalespersonRole.Salesperson).OrderBy(p => p.Id).ToListAsync(ct);
        foreach (var person in people)
        {
            var (token, hash) = ApiToken.NewToken();
            made.Add((new ApiToken { Name = person.Name, TokenHash = hash, TokenHint = ApiToken.HintOf(token), Role = WallboardRole.Salesperson, StoreId = person.StoreId, SalespersonId = person.Id, CreatedAt = now },
                new DemoApiToken(person.Name, nameof(WallboardRole.Salesperson), person.StoreId, person.Id, token)));
        }

        db.ApiTokens.AddRange(made.Select(m => m.Row));
        await db.SaveChangesAsync(ct);
        return made.Select(m => m.Shown).ToList();
    }

    // A TV link per store for its sales board (§9, §11). The address is the default one; the app
    // prints the links with the address it really listens on at start-up.
    private static async Task<List<DemoDisplayLink>> AddDisplayLinksAsync(WallboardDbContext db, List<Store> stores, DateTimeOffset now, CancellationToken ct)
    {
        var made = new List<DemoDisplayLink>();
        foreach (var store in stores)
        {
            var (token, hash) = DisplayLink.NewToken();
            db.DisplayLinks.Add(new DisplayLink { StoreId = store.Id, Department = Department.Sales, Name = "Sales office TV", TokenHash = hash, TokenHint = ApiToken.HintOf(token), CreatedAt = now });
            made.Add(new DemoDisplayLink(store.Id, store.Name, nameof(Department.Sales), $"{DefaultAddress}tv/{store.Slug}?token={token}", token));
        }

        await db.SaveChangesAsync(ct);
        return made;
    }

    // One account per role (§11): an admin, a manager per store (the store's manager), a salesperson
    // per store (its first salesperson), and a regional manager of both stores. Passwords are
    // generated; only their hashes are stored.
    private static async Task<List<DemoAccount>> AddAccountsAsync(WallboardDbContext db, List<Store> stores, DateTimeOffset now, CancellationToken ct)
    {
        var hasher = new PasswordHasher<WallboardUser>();
        var people = await db.Salespeople.AsNoTracking().OrderBy(p => p.Id).ToListAsync(ct);
        var made = new List<DemoAccount>();

        void Add(string email, string name, WallboardRole role, int[] storeIds, int? salespersonId)
        {
            var password = AccountService.NewPassword();
            var user = new WallboardUser
            {
                UserName = email,
                NormalizedUserName = email.ToUpperInvariant(),
                Email = email,
                NormalizedEmail = email.ToUpperInvariant(),
                EmailConfirmed = true,
                DisplayName = name,
                Role = role,
                SalespersonId = salespersonId,
                CreatedAt = now,
                LockoutEnabled = true,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                Stores = storeIds.Select(id => new AccountStore { StoreId = id }).ToList(),
            };
            user.PasswordHash = hasher.HashPassword(user, password);
            db.Users.Add(user);
            made.Add(new DemoAccount(email, password, role.ToString(), storeIds, name, salespersonId));
        }

        Add("admin@demo.example", "Demo admin", WallboardRole.Admin, [], null);
        Add("regional.manager@demo.example", "Regional manager", WallboardRole.Manager, stores.Select(s => s.Id).ToArray(), null);
        foreach (var store in stores)
        {
            var domain = $"{store.Slug}.example";
            var manager = people.First(p => p.StoreId == store.Id && p.Role == SalespersonRole.Manager);
            Add(EmailOf(manager.Name, domain), manager.Name, WallboardRole.Manager, [store.Id], manager.Id);
            var salesperson = people.First(p => p.StoreId == store.Id && p.Role == SalespersonRole.Salesperson);
            Add(EmailOf(salesperson.Name, domain), salesperson.Name, WallboardRole.Salesperson, [store.Id], salesperson.Id);
        }

        await db.SaveChangesAsync(ct);
        return made;
    }

    private static string EmailOf(string name, string domain) =>
        new string(name.ToLowerInvariant().Replace(' ', '.').Where(c => char.IsAsciiLetterOrDigit(c) || c == '.').ToArray()) + "@" + domain;

    /// <summary>Writes the credentials file again (the app does at start-up, with the address it listens on).</summary>
    public static void WriteCredentials(string path, DemoCredentials credentials) =>
        File.WriteAllText(path, JsonSerializer.Serialize(credentials, JsonOptions));

    private async Task<string> WriteCredentialsAsync(DemoCredentials credentials, CancellationToken ct)
    {
        var folder = configuration.DataDirectory();
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, CredentialsFileName);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(credentials, JsonOptions), ct);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo dealer group: {StoreCount} stores. Credentials for the demo are in {CredentialsPath}")]
    private static partial void LogSeeded(ILogger logger, int storeCount, string credentialsPath);

    private static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The shape of <c>data/demo-credentials.json</c> (§11); later parts of the app add their entries.</summary>
public sealed record DemoCredentials(
    DateTimeOffset GeneratedAt,
    string SignIn,
    IReadOnlyList<DemoStore> Stores,
    DemoIntegration Integration,
    DemoTwilio Twilio,
    IReadOnlyList<DemoApiToken> ApiTokens,
    IReadOnlyList<DemoDisplayLink>? DisplayLinks = null,
    IReadOnlyList<DemoAccount>? Accounts = null);

public sealed record DemoStore(int Id, string Name, string Slug, string TimeZoneId);

public sealed record DemoIntegration(int Id, string Secret);

public sealed record DemoTwilio(int Id, string AuthToken);

public sealed record DemoApiToken(string Name, string Role, int StoreId, int? SalespersonId, string Token);

/// <summary>A TV display link of the demo: the store's board, masked numbers, no sign-in.</summary>
public sealed record DemoDisplayLink(int StoreId, string Store, string Department, string Url, string Token);

/// <summary>A demo account: sign in at /account/sign-in with the e-mail and password.</summary>
public sealed record DemoAccount(string Email, string Password, string Role, IReadOnlyList<int> Stores, string Name, int? SalespersonId);
