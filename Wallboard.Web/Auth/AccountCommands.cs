using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>The exit codes of <c>create-admin</c> and <c>create-api-token</c>, for scripts.</summary>
public static class AccountExitCodes
{
    public const int Success = 0;

    /// <summary>The database could not be opened or migrated.</summary>
    public const int Failed = 1;

    public const int BadArguments = 2;

    /// <summary>The password is too weak (shorter than 12 characters, or too few different characters).</summary>
    public const int WeakPassword = 3;

    /// <summary>An account with that e-mail exists already.</summary>
    public const int EmailTaken = 4;

    /// <summary>No such store or salesperson, or the salesperson is not the store's.</summary>
    public const int NotFound = 5;
}

/// <summary>
/// The account verbs of §11, run on the app's own database (the same configuration as the app:
/// <c>--ConnectionStrings:Wallboard=…</c>, <c>--Wallboard:DataDirectory=…</c>). Both apply the
/// migrations first, so they work on a fresh install before the app has ever started.
/// </summary>
public static class AccountCommands
{
    public const string CreateAdminUsage = """
        Usage: create-admin --email <e-mail> --password <password> [--name <display name>]

        Creates an admin account (every store, every screen). Works on a fresh install: the database
        is created and migrated first. Passwords need at least 12 characters; a passphrase is best.
        Exit codes: 0 created, 1 database error, 2 bad arguments, 3 weak password, 4 e-mail taken.
        """;

    public const string CreateApiTokenUsage = """
        Usage: create-api-token --role Admin|Manager|Salesperson [--store <id>] [--salesperson <id>] [--name <name>]

        Creates an API token for scripts (Authorization: Bearer <token>) and prints it once on stdout;
        only its hash is kept. A manager's token needs --store; a salesperson's needs --store and
        --salesperson (one of the store's salespeople); an admin's sees every store.
        Exit codes: 0 created, 1 database error, 2 bad arguments, 5 no such store or salesperson.
        """;

    public static async Task<int> CreateAdminAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (!TryParse(args, ["--email", "--password", "--name"], out var values, out var configuration, out var error, out var help))
        {
            return await UsageAsync(errors, "create-admin", error, CreateAdminUsage);
        }

        if (help)
        {
            await output.WriteLineAsync(CreateAdminUsage);
            return AccountExitCodes.Success;
        }

        if (!values.TryGetValue("--email", out var email) || !values.TryGetValue("--password", out var password))
        {
            return await UsageAsync(errors, "create-admin", "Give --email and --password.", CreateAdminUsage);
        }

        return await WithServicesAsync(configuration, errors, "create-admin", async services =>
        {
            var accounts = services.GetRequiredService<AccountService>();
            var result = await accounts.CreateAsync(
                new AccountInput(email, values.GetValueOrDefault("--name"), WallboardRole.Admin, [], null), password, "create-admin", ct);
            if (!result.Succeeded)
            {
                await errors.WriteLineAsync($"create-admin: {string.Join(" ", result.Errors)}");
                return result.Problem switch
                {
                    AccountProblem.WeakPassword => AccountExitCodes.WeakPassword,
                    AccountProblem.EmailTaken => AccountExitCodes.EmailTaken,
                    _ => AccountExitCodes.BadArguments,
                };
            }

            await output.WriteLineAsync($"Created the admin account {result.Account!.Email}. Sign in at /account/sign-in.");
            return AccountExitCodes.Success;
        }, ct);
    }

    public static async Task<int> CreateApiTokenAsync(string[] args, TextWriter output, TextWriter errors, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(time);
        if (!TryParse(args, ["--role", "--store", "--salesperson", "--name"], out var values, out var configuration, out var error, out var help))
        {
            return await UsageAsync(errors, "create-api-token", error, CreateApiTokenUsage);
        }

        if (help)
        {
            await output.WriteLineAsync(CreateApiTokenUsage);
            return AccountExitCodes.Success;
        }

        if (!values.TryGetValue("--role", out var roleText) || !Enum.TryParse<WallboardRole>(roleText, ignoreCase: true, out var role)
            || !Enum.IsDefined(role) || roleText.Any(char.IsAsciiDigit))
        {
            return await UsageAsync(errors, "create-api-token", "--role must be Admin, Manager or Salesperson.", CreateApiTokenUsage);
        }

        int? store = null, salesperson = null;
        if (values.TryGetValue("--store", out var storeText))
        {
            if (!int.TryParse(storeText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) || s <= 0)
            {
                return await UsageAsync(errors, "create-api-token", $"--store must be a store's id, not '{storeText}'.", CreateApiTokenUsage);
            }

            store = s;
        }

        if (values.TryGetValue("--salesperson", out var personText))
        {
            if (!int.TryParse(personText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p <= 0)
            {
                return await UsageAsync(errors, "create-api-token", $"--salesperson must be a salesperson's id, not '{personText}'.", CreateApiTokenUsage);
            }

            salesperson = p;
        }

        var missing = role switch
        {
            WallboardRole.Manager when store is null => "A manager's token needs --store.",
            WallboardRole.Salesperson when store is null || salesperson is null => "A salesperson's token needs --store and --salesperson.",
            WallboardRole.Admin when store is not null || salesperson is not null => "An admin's token sees every store: leave out --store and --salesperson.",
            _ => null,
        };
        if (missing is not null)
        {
            return await UsageAsync(errors, "create-api-token", missing, CreateApiTokenUsage);
        }

        return await WithServicesAsync(configuration, errors, "create-api-token", async services =>
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync(ct);
            if (store is { } storeId && !await db.Stores.AnyAsync(s => s.Id == storeId, ct))
            {
                await errors.WriteLineAsync($"create-api-token: there is no store {storeId}.");
                return AccountExitCodes.NotFound;
            }

            if (salesperson is { } personId && !await db.Salespeople.AnyAsync(p => p.Id == personId && p.StoreId == store, ct))
            {
                await errors.WriteLineAsync($"create-api-token: store {store} has no salesperson {personId}.");
                return AccountExitCodes.NotFound;
            }

            var (token, hash) = ApiToken.NewToken();
            var name = values.GetValueOrDefault("--name") is { Length: > 0 } given ? given : $"{role} token";
            var row = new ApiToken { Name = name, TokenHash = hash, Role = role, StoreId = store, SalespersonId = salesperson, CreatedAt = time.GetUtcNow() };
            db.ApiTokens.Add(row);
            await services.GetRequiredService<AuditLog>().SaveAsync(db, "create-api-token", () => new AuditFact("api-token.created", "ApiToken",
                row.Id.ToString(CultureInfo.InvariantCulture), store, null, new { row.Id, row.Name, Role = role.ToString(), row.StoreId, row.SalespersonId }), ct);
            await errors.WriteLineAsync($"Created API token {row.Id} ({name}, {role}). It is shown once, below; keep it secret.");
            await output.WriteLineAsync(token);
            return AccountExitCodes.Success;
        }, ct);
    }

    private static async Task<int> WithServicesAsync(string[] configuration, TextWriter errors, string verb, Func<IServiceProvider, Task<int>> run, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(configuration);
        builder.Logging.ClearProviders();
        builder.AddWallboardData();
        builder.Services.AddWallboardAccounts();
        using var host = builder.Build();
        try
        {
            await host.Services.MigrateWallboardDatabaseAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            await errors.WriteLineAsync($"{verb}: could not open the database: {ex.Message}");
            return AccountExitCodes.Failed;
        }

        return await run(host.Services);
    }

    private static async Task<int> UsageAsync(TextWriter errors, string verb, string? error, string usage)
    {
        await errors.WriteLineAsync($"{verb}: {error}");
        await errors.WriteLineAsync();
        await errors.WriteLineAsync(usage);
        return AccountExitCodes.BadArguments;
    }

    // The verb's own options, and configuration the app understands (--Section:Key=value or
    // --Section:Key value) passed on to the host, so the verb finds the same database as the app.
    private static bool TryParse(string[] args, string[] known, out Dictionary<string, string> values, out string[] configuration, out string? error, out bool help)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        var config = new List<string>();
        configuration = [];
        error = null;
        help = false;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "-?")
            {
                help = true;
                return true;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unexpected '{arg}'.";
                return false;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals > 0 ? arg[..equals] : arg;
            string? value = equals > 0 ? arg[(equals + 1)..] : null;
            if (value is null)
            {
                if (i + 1 >= args.Length)
                {
                    error = $"{name} needs a value.";
                    return false;
                }

                value = args[++i];
            }

            if (known.Contains(name))
            {
                if (!values.TryAdd(name, value))
                {
                    error = $"{name} is given twice.";
                    return false;
                }
            }
            else if (name.Contains(':', StringComparison.Ordinal))
            {
                config.Add($"{name}={value}");
            }
            else
            {
                error = $"Unknown option '{name}'.";
                return false;
            }
        }

        configuration = [.. config];
        return true;
    }
}
