using System.Globalization;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;

namespace Wallboard.Tests;

/// <summary>
/// The real month of a call centre in ../shared/data/anonymous-bank/august.csv: its queued rows,
/// and each as the §4 events a phone system would have sent, dialled to a store's tracking number.
/// </summary>
internal static class BankMonth
{
    /// <summary>One queued row of the file: when it reached the queue, how long it waited, what came of it.</summary>
    public sealed record BankCall(string Id, DateTime QueueStart, int QueueSeconds, bool Served, int ServiceSeconds, string Server, string Customer);

    public static List<BankCall> ReadQueuedRows()
    {
        var lines = File.ReadAllLines(SharedData.PathTo("anonymous-bank", "august.csv"));
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (date, qStart, qTime, outcome, serTime, server, customer) =
            (Column("date"), Column("q_start"), Column("q_time"), Column("outcome"), Column("ser_time"), Column("server"), Column("customer_id"));
        var calls = new List<BankCall>();
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            // Only calls that reached the queue; a PHANTOM is neither served nor a caller who hung up.
            if (f[qStart] == "0:00:00" || f[outcome] is not ("AGENT" or "HANG"))
            {
                continue;
            }

            var day = DateTime.ParseExact(f[date], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var start = day + TimeSpan.Parse(f[qStart], CultureInfo.InvariantCulture);
            calls.Add(new BankCall(
                $"bank-{i}", start, int.Parse(f[qTime], CultureInfo.InvariantCulture), f[outcome] == "AGENT",
                int.Parse(f[serTime], CultureInfo.InvariantCulture), f[server], f[customer]));
        }

        return calls;
    }

    /// <summary>
    /// §4 events of one row, its wall-clock times read in the store's zone: started when it reached
    /// the queue, answered after its queue time (served) or ended by the caller after it (hung up).
    /// </summary>
    public static IEnumerable<CallEvent> EventsOf(BankCall call, StoreCalendar calendar, string trackingNumber)
    {
        var local = NodaTime.LocalDateTime.FromDateTime(call.QueueStart);
        var start = calendar.Zone.AtLeniently(local).ToDateTimeOffset().ToUniversalTime();
        var from = call.Customer is "0" or "" ? null : $"+1312{2_000_000 + (long.Parse(call.Customer, CultureInfo.InvariantCulture) % 7_000_000):0000000}";
        yield return new CallEvent { EventId = $"{call.Id}-1", CallId = call.Id, Type = CallEventType.Started, At = start, From = from, To = trackingNumber };
        if (call.Served)
        {
            var answered = start.AddSeconds(call.QueueSeconds);
            yield return new CallEvent { EventId = $"{call.Id}-2", CallId = call.Id, Type = CallEventType.Answered, At = answered, Agent = call.Server };
            yield return new CallEvent
            {
                EventId = $"{call.Id}-3", CallId = call.Id, Type = CallEventType.Ended, At = answered.AddSeconds(call.ServiceSeconds), EndedBy = CallEndedBy.Agent,
            };
        }
        else
        {
            yield return new CallEvent
            {
                EventId = $"{call.Id}-2", CallId = call.Id, Type = CallEventType.Ended, At = start.AddSeconds(call.QueueSeconds), EndedBy = CallEndedBy.Caller,
            };
        }
    }
}
