using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Alerts;
using Wallboard.Web.Data;

namespace Wallboard.Web.Alerts;

/// <summary>
/// <c>send-digest --store &lt;id&gt; [--date &lt;yyyy-mm-dd&gt;]</c>: the daily digest on demand, sent now to
/// the store's managers (those who take it by e-mail), recorded on the delivery log. Takes the app's
/// configuration (<c>--ConnectionStrings:Wallboard=…</c>, <c>--Wallboard:Email:Smtp:Host=…</c>).
/// </summary>
public static class SendDigestCommand
{
    public const string Verb = "send-digest";

    public const int Sent = 0;
    public const int Failed = 1;
    public const int BadArguments = 2;
    public const int EmailNotConfigured = 3;
    public const int NoSuchStore = 5;
    public const int NoRecipients = 6;
    public const int SendFailed = 7;

    public const string Usage = """
        Usage: send-digest --store <id> [--date <yyyy-mm-dd>]

        Sends the store's daily digest for the date (the store's today when not given) to its managers
        by e-mail now, through Wallboard:Email:Smtp. Exit codes: 0 sent, 1 database error, 2 bad
        arguments, 3 e-mail not configured, 5 no such store, 6 nobody to send it to, 7 sending failed.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        int? storeId = null;
        DateOnly? date = null;
        var configuration = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inline) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            if (name is "-h" or "--help")
            {
                await output.WriteLineAsync(Usage);
                return Sent;
            }

            var value = inline ?? (i + 1 < args.Length ? args[++i] : null);
            switch (name)
            {
                case "--store" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    storeId = id;
                    break;
                case "--date" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                    date = day;
                    break;
                case "--store" or "--date":
                    return await BadAsync(errors, $"{name} needs {(name == "--store" ? "a store id (a number)" : "a date as yyyy-mm-dd")}, not '{value}'.");
                default:
                    if (!name.StartsWith("--", StringComparison.Ordinal) || !name.Contains(':', StringComparison.Ordinal) || value is null)
                    {
                        return await BadAsync(errors, $"Unknown option '{name}'.");
                    }

                    configuration.Add($"{name}={value}");
                    break;
            }
        }

        if (storeId is null)
        {
            return await BadAsync(errors, "Give --store <id>.");
        }

        var builder = Host.CreateApplicationBuilder([.. configuration]);
        builder.Logging.ClearProviders();
        builder.AddWallboardData();
        builder.Services.AddWallboardAlertServices(builder.Configuration);
        using var host = builder.Build();
        var services = host.Services;
        try
        {
            await services.MigrateWallboardDatabaseAsync(ct);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException or IOException)
        {
            await errors.WriteLineAsync($"{Verb}: could not open the database: {ex.Message}");
            return Failed;
        }

        var sender = services.GetServices<IAlertSender>().Single(s => s.Channel == AlertChannel.Email);
        if (!sender.IsConfigured)
        {
            await errors.WriteLineAsync($"{Verb}: e-mail is not configured: set Wallboard:Email:Smtp:Host and Wallboard:Email:From.");
            return EmailNotConfigured;
        }

        var time = services.GetRequiredService<TimeProvider>();
        await using var db = await services.GetRequiredService<IDbContextFactory<WallboardDbContext>>().CreateDbContextAsync(ct);
        if (!await db.Stores.AnyAsync(s => s.Id == storeId, ct))
        {
            await errors.WriteLineAsync($"{Verb}: there is no store {storeId}.");
            return NoSuchStore;
        }

        var digest = services.GetRequiredService<DailyDigest>();
        var store = await AlertDispatcher.LoadStoreAsync(db, storeId.Value, ct);
        var content = await digest.ReadAsync(db, store.Id, date ?? store.Calendar.LocalDate(time.GetUtcNow()), ct);
        var alert = digest.ToAlert(content);
        alert.DedupKey = null; // on demand: the scheduled digest of the day still goes at closing
        var recipients = (await services.GetRequiredService<AlertRecipients>().ForAsync(db, alert, store, ct))
            .Where(r => r.Channel == AlertChannel.Email).ToList();
        if (recipients.Count == 0)
        {
            await errors.WriteLineAsync($"{Verb}: store {storeId} has no manager who takes the digest by e-mail.");
            return NoRecipients;
        }

        alert.FannedOutAt = time.GetUtcNow();
        db.Alerts.Add(alert);
        await db.SaveChangesAsync(ct);
        var failures = 0;
        foreach (var to in recipients)
        {
            var delivery = new AlertDelivery
            {
                AlertId = alert.Id, UserId = to.UserId, RecipientName = to.Name, Channel = AlertChannel.Email, Address = to.Address, Shared = to.Shared,
                CreatedAt = time.GetUtcNow(), NextAttemptAt = time.GetUtcNow(), Tries = 1,
            };
            db.AlertDeliveries.Add(delivery);
            await db.SaveChangesAsync(ct);
            try
            {
                delivery.ProviderId = await sender.SendAsync(
                    new AlertMessage(delivery.Id, to.Address, to.Name, alert.Subject, to.Shared ? alert.TextMasked! : alert.Text, to.Shared ? alert.HtmlMasked : alert.Html), ct);
                delivery.Status = AlertDeliveryStatus.Sent;
                delivery.SentAt = time.GetUtcNow();
                await output.WriteLineAsync($"Sent the digest of {content.Date:yyyy-MM-dd} for {store.Name} to {to.Name} <{to.Address}>.");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures++;
                delivery.Status = AlertDeliveryStatus.Failed;
                delivery.LastError = ex.Message;
                await errors.WriteLineAsync($"{Verb}: could not send to {to.Address}: {ex.Message}");
            }

            await db.SaveChangesAsync(CancellationToken.None);
        }

        return failures == 0 ? Sent : SendFailed;
    }

    private static async Task<int> BadAsync(TextWriter errors, string message)
    {
        await errors.WriteLineAsync($"{Verb}: {message}");
        await errors.WriteLineAsync();
        await errors.WriteLineAsync(Usage);
        return BadArguments;
    }
}
