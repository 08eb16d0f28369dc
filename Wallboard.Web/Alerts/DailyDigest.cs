using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Wallboard.Domain.Alerts;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Metrics;
using Wallboard.Domain.Stores;
using Wallboard.Web.Calls;
using Wallboard.Web.Components.Pages.Manager;
using Wallboard.Web.Data;
using Wallboard.Web.Metrics;

namespace Wallboard.Web.Alerts;

/// <summary>The day in numbers for one store: the metrics code's own report of that day, and the misses not yet reached.</summary>
public sealed record DigestContent(Store Store, DateOnly Date, MetricsReport Report, IReadOnlyList<CallRow> OpenMisses)
{
    public CallMetrics Figures => Report.Store;

    /// <summary>Missed calls of the day not recovered yet: the board's "still open".</summary>
    public int StillOpen => Figures.Missed - Figures.RecoveredMissed;
}

/// <summary>
/// The daily digest (§7 figures of the store's local day, taken from <see cref="MetricsQueries"/>, not
/// computed a second way): an HTML e-mail that reads well at a mail client's 600 px, and the same in
/// plain text. Built at the store's closing time by the watch job and on demand by <c>send-digest</c>.
/// </summary>
public sealed class DailyDigest(AlertComposer composer, TimeProvider time)
{
    /// <summary>Most open misses listed (the rest are counted, with a link to the full list).</summary>
    public const int MaxListed = 25;

    public async Task<DigestContent> ReadAsync(WallboardDbContext db, int storeId, DateOnly date, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var store = await AlertDispatcher.LoadStoreAsync(db, storeId, ct);
        var facts = (await MetricsQueries.LoadStoresAsync(db, storeId, ct)).Single();
        var now = time.GetUtcNow();
        var period = MetricsPeriod.Days(facts.Calendar, date, 1);
        var window = facts.Calendar.LocalDate(now) == date ? MetricsWindow.Today : MetricsWindow.Yesterday;
        var report = await MetricsQueries.ReadAsync(db, facts, window, period, now, ct);
        var (rows, _) = await CallList.PageAsync(
            db,
            new CallFilter(storeId) { From = period.Start, To = period.End, Outcomes = CallFilter.MissedOutcomes, Sort = CallSort.OldestFirst },
            page: 1,
            pageSize: 1_000,
            ct);
        var open = rows.Where(r => r.CallbackStatus is { } s && s.IsActive()).ToList();
        return new DigestContent(store, date, report, open);
    }

    /// <summary>The outbox row of a digest: e-mail only, one per store and day (its dedup key).</summary>
    public Alert ToAlert(DigestContent digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var text = Text(digest);
        return new Alert
        {
            Kind = AlertKind.DailyDigest,
            StoreId = digest.Store.Id,
            DedupKey = DedupKey(digest.Store.Id, digest.Date),
            CreatedAt = time.GetUtcNow(),
            Subject = Subject(digest),
            Text = text,
            Html = Html(digest, masked: false),
            TextMasked = Text(digest, masked: true),
            HtmlMasked = Html(digest, masked: true),
            Sms = Subject(digest),
            SmsMasked = Subject(digest),
        };
    }

    public static string DedupKey(int storeId, DateOnly date) =>
        $"daily-digest:{storeId.ToString(CultureInfo.InvariantCulture)}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string Subject(DigestContent digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var f = digest.Figures;
        return $"{digest.Store.Name}, {DateText(digest.Date)}: {f.Offered.ToString(CultureInfo.InvariantCulture)} calls, "
            + $"{MetricsFormat.Percent(f.AnswerRate)} answered, {digest.StillOpen.ToString(CultureInfo.InvariantCulture)} missed still open";
    }

    /// <summary>The figures as label and value, in the order both bodies show them.</summary>
    public static IReadOnlyList<(string Label, string Value, string? Note)> Figures(DigestContent digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var f = digest.Figures;
        var target = digest.Store.Settings.AnswerRateTarget;
        var met = f.AnswerRate is { } rate ? (rate >= target ? "on target" : "below target") : null;
        return
        [
            ("Calls", Count(f.Offered), f.ShortAbandons > 0 ? $"{Count(f.ShortAbandons)} hung up within seconds" : null),
            ("Answer rate", MetricsFormat.Percent(f.AnswerRate), $"target {MetricsFormat.Percent(target)}{(met is null ? string.Empty : ", " + met)}"),
            ("Missed", Count(f.Missed), null),
            ("Recovered", Count(f.RecoveredMissed), "caller reached or got through later"),
            ("Call-backs within SLA", $"{Count(f.Callbacks.CompletedWithinSla)} of {Count(f.Callbacks.Created)}", $"first response within {digest.Store.Settings.CallbackSlaMinutes.ToString(CultureInfo.InvariantCulture)} business min"),
            ("Still open", Count(digest.StillOpen), f.Callbacks.OverdueNow > 0 ? $"{Count(f.Callbacks.OverdueNow)} overdue now" : null),
        ];
    }

    public string Text(DigestContent digest, bool masked = false)
    {
        ArgumentNullException.ThrowIfNull(digest);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"{digest.Store.Name} · the day in numbers · {DateText(digest.Date)}\n\n");
        foreach (var (label, value, note) in Figures(digest))
        {
            s.Append(CultureInfo.InvariantCulture, $"{label,-24}{value}{(note is null ? string.Empty : "  (" + note + ")")}\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"\nMissed calls not reached yet ({digest.OpenMisses.Count.ToString(CultureInfo.InvariantCulture)})\n");
        if (digest.OpenMisses.Count == 0)
        {
            s.Append("None: every missed caller was reached.\n");
        }

        foreach (var call in digest.OpenMisses.Take(MaxListed))
        {
            s.Append(CultureInfo.InvariantCulture, $"- {AlertComposer.LocalTime(digest.Store, call.StartedAt)}  {Caller(digest, call, masked)}  {call.Source}  {CallbackLink(digest, call)}\n");
        }

        if (digest.OpenMisses.Count > MaxListed)
        {
            s.Append(CultureInfo.InvariantCulture, $"… and {(digest.OpenMisses.Count - MaxListed).ToString(CultureInfo.InvariantCulture)} more: {MissedListLink(digest)}\n");
        }

        s.Append("\nSalespeople (rung / answered / call-backs done)\n");
        if (!People(digest).Any())
        {
            s.Append("No call rang a salesperson this day.\n");
        }

        foreach (var p in People(digest))
        {
            s.Append(CultureInfo.InvariantCulture, $"- {p.Name}: {Count(p.Rung)} / {Count(p.Answered)} / {Count(p.CallbacksCompleted)}\n");
        }

        s.Append("\nLead sources (calls / missed)\n");
        foreach (var source in Sources(digest))
        {
            s.Append(CultureInfo.InvariantCulture, $"- {source.Name}: {Count(source.Figures.Offered)} / {Count(source.Figures.Missed)}\n");
        }

        s.Append(CultureInfo.InvariantCulture, $"\nReports: {composer.Link($"manager/reports")}\n");
        return s.ToString();
    }

    public string Html(DigestContent digest, bool masked = false)
    {
        ArgumentNullException.ThrowIfNull(digest);
        static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);
        const string Font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
        var s = new StringBuilder();
        s.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
        s.Append(CultureInfo.InvariantCulture, $"<title>{E(Subject(digest))}</title></head>");
        s.Append(CultureInfo.InvariantCulture, $"<body style=\"margin:0;padding:0;background:#eef1f5;{Font}color:#1c2430;\">");
        s.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#eef1f5;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">");
        s.Append("<table role=\"presentation\" width=\"600\" cellpadding=\"0\" cellspacing=\"0\" style=\"width:100%;max-width:600px;background:#ffffff;border-radius:8px;border-collapse:separate;\">");

        // Header.
        s.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"background:#14202e;color:#ffffff;padding:20px 24px;border-radius:8px 8px 0 0;\">");
        s.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:13px;color:#9fb3c8;letter-spacing:.04em;text-transform:uppercase;\">The day in numbers · {E(DateText(digest.Date))}</div>");
        s.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:22px;font-weight:700;margin-top:4px;\">{E(digest.Store.Name)}</div></td></tr>");

        // Figures: two per row, big numbers.
        s.Append("<tr><td style=\"padding:16px 16px 4px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\">");
        var figures = Figures(digest);
        for (var i = 0; i < figures.Count; i += 2)
        {
            s.Append("<tr>");
            foreach (var (label, value, note) in figures.Skip(i).Take(2))
            {
                var warn = (label == "Still open" && digest.StillOpen > 0) || (label == "Answer rate" && digest.Figures.AnswerRate < digest.Store.Settings.AnswerRateTarget);
                s.Append("<td width=\"50%\" valign=\"top\" style=\"padding:6px;\"><div style=\"border:1px solid #dde3ea;border-radius:6px;padding:12px 14px;\">");
                s.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:13px;color:#5b6b7d;\">{E(label)}</div>");
                s.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:28px;font-weight:700;color:{(warn ? "#c0392b" : "#1c2430")};line-height:1.2;\">{E(value)}</div>");
                s.Append(CultureInfo.InvariantCulture, $"<div style=\"font-size:12px;color:#5b6b7d;min-height:15px;\">{E(note)}</div>");
                s.Append("</div></td>");
            }

            s.Append("</tr>");
        }

        s.Append("</table></td></tr>");

        // Open misses.
        s.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:12px 24px 4px;\"><h2 style=\"font-size:16px;margin:0 0 8px;\">Missed calls not reached yet ({digest.OpenMisses.Count.ToString(CultureInfo.InvariantCulture)})</h2>");
        if (digest.OpenMisses.Count == 0)
        {
            s.Append("<p style=\"margin:0;font-size:14px;color:#1e7b46;\">None: every missed caller was reached.</p>");
        }
        else
        {
            s.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"font-size:14px;border-collapse:collapse;\">");
            foreach (var call in digest.OpenMisses.Take(MaxListed))
            {
                s.Append("<tr style=\"border-top:1px solid #eef1f5;\">");
                s.Append(CultureInfo.InvariantCulture, $"<td style=\"padding:6px 8px 6px 0;color:#5b6b7d;white-space:nowrap;\">{E(AlertComposer.LocalTime(digest.Store, call.StartedAt))}</td>");
                s.Append(CultureInfo.InvariantCulture, $"<td style=\"padding:6px 8px;font-weight:600;\">{E(Caller(digest, call, masked))}</td>");
                s.Append(CultureInfo.InvariantCulture, $"<td style=\"padding:6px 8px;color:#5b6b7d;\">{E(call.Source)}</td>");
                s.Append(CultureInfo.InvariantCulture, $"<td align=\"right\" style=\"padding:6px 0;white-space:nowrap;\"><a href=\"{E(CallbackLink(digest, call))}\" style=\"color:#1a5fb4;\">Call-back</a></td>");
                s.Append("</tr>");
            }

            s.Append("</table>");
            if (digest.OpenMisses.Count > MaxListed)
            {
                s.Append(CultureInfo.InvariantCulture, $"<p style=\"font-size:13px;\"><a href=\"{E(MissedListLink(digest))}\" style=\"color:#1a5fb4;\">and {(digest.OpenMisses.Count - MaxListed).ToString(CultureInfo.InvariantCulture)} more</a></p>");
            }
        }

        s.Append("</td></tr>");

        // Salespeople and sources, side by side columns collapse to rows on a phone: one table each.
        s.Append("<tr><td style=\"padding:16px 24px 4px;\"><h2 style=\"font-size:16px;margin:0 0 8px;\">Salespeople</h2>");
        s.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"font-size:14px;border-collapse:collapse;\">");
        s.Append("<tr style=\"color:#5b6b7d;font-size:12px;\"><td style=\"padding:4px 0;\">Name</td><td align=\"right\">Rung</td><td align=\"right\">Answered</td><td align=\"right\">Call-backs done</td></tr>");
        if (!People(digest).Any())
        {
            s.Append("<tr><td colspan=\"4\" style=\"padding:6px 0;color:#5b6b7d;\">No call rang a salesperson this day.</td></tr>");
        }

        foreach (var p in People(digest))
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr style=\"border-top:1px solid #eef1f5;\"><td style=\"padding:6px 0;\">{E(p.Name)}</td><td align=\"right\">{Count(p.Rung)}</td><td align=\"right\">{Count(p.Answered)}</td><td align=\"right\">{Count(p.CallbacksCompleted)}</td></tr>");
        }

        s.Append("</table></td></tr>");
        s.Append("<tr><td style=\"padding:16px 24px 4px;\"><h2 style=\"font-size:16px;margin:0 0 8px;\">Lead sources</h2>");
        s.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"font-size:14px;border-collapse:collapse;\">");
        s.Append("<tr style=\"color:#5b6b7d;font-size:12px;\"><td style=\"padding:4px 0;\">Source</td><td align=\"right\">Calls</td><td align=\"right\">Missed</td><td align=\"right\">Answer rate</td></tr>");
        foreach (var source in Sources(digest))
        {
            s.Append(CultureInfo.InvariantCulture, $"<tr style=\"border-top:1px solid #eef1f5;\"><td style=\"padding:6px 0;\">{E(source.Name)}</td><td align=\"right\">{Count(source.Figures.Offered)}</td><td align=\"right\">{Count(source.Figures.Missed)}</td><td align=\"right\">{E(MetricsFormat.Percent(source.Figures.AnswerRate))}</td></tr>");
        }

        s.Append("</table></td></tr>");
        s.Append(CultureInfo.InvariantCulture, $"<tr><td style=\"padding:20px 24px 24px;font-size:13px;color:#5b6b7d;\"><a href=\"{E(composer.Link("manager/reports"))}\" style=\"color:#1a5fb4;\">Open the reports</a> · sent by Wallboard at the store's closing time.</td></tr>");
        s.Append("</table></td></tr></table></body></html>");
        return s.ToString();
    }

    private static IEnumerable<SalespersonMetrics> People(DigestContent digest) =>
        digest.Report.Salespeople.Where(p => p.Rung > 0 || p.Answered > 0 || p.CallbacksCompleted > 0).OrderByDescending(p => p.Answered).ThenBy(p => p.Name);

    private static IEnumerable<SourceMetrics> Sources(DigestContent digest) =>
        digest.Report.Sources.Where(s => s.Figures.Offered > 0).OrderByDescending(s => s.Figures.Offered).ThenBy(s => s.Name);

    private static string Caller(DigestContent digest, CallRow call, bool masked) =>
        call.CallerWithheld ? "Private" : AlertComposer.Caller(call.Caller, digest.Store.CountryCode, masked);

    private string CallbackLink(DigestContent digest, CallRow call) =>
        composer.Link($"callbacks/manage?store={digest.Store.Id.ToString(CultureInfo.InvariantCulture)}&callback={call.CallbackId?.ToString(CultureInfo.InvariantCulture)}");

    private string MissedListLink(DigestContent digest) =>
        composer.Link($"manager/calls?store={digest.Store.Id.ToString(CultureInfo.InvariantCulture)}");

    private static string DateText(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
