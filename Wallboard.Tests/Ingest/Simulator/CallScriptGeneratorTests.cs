using System.Text.Json;
using System.Text.RegularExpressions;
using Wallboard.Domain.Calls;
using Wallboard.Domain.Stores;
using Wallboard.Web.Ingest;
using Wallboard.Web.Ingest.Simulator;

namespace Wallboard.Tests.Ingest.Simulator;

public partial class CallScriptGeneratorTests
{
    private const int Calls = 5_000;

    // Generated once: 5,000 sales calls of a Lakeside-like store, about six weeks of traffic.
    private static readonly Lazy<List<CallScript>> SalesCalls =
        new(() => SimulatedStores.Generate(SimulatedStores.Lakeside(), Department.Sales, Calls));

    private static List<CallScript> OpenHoursSales => SalesCalls.Value.Where(s => !s.AfterHours).ToList();

    [Fact]
    public void Every_call_starts_first_ends_last_and_its_events_are_in_time_order()
    {
        foreach (var script in SalesCalls.Value)
        {
            var events = script.Events;
            Assert.Equal(CallEventType.Started, events[0].Type);
            Assert.Equal(CallEventType.Ended, events[^1].Type);
            Assert.Single(events, e => e.Type == CallEventType.Started);
            Assert.Single(events, e => e.Type == CallEventType.Ended);
            Assert.Equal(script.Start, events[0].At);
            Assert.All(events.Zip(events.Skip(1)), pair => Assert.True(pair.First.At <= pair.Second.At, script.CallId));
            Assert.All(events, e => Assert.Equal(script.CallId, e.CallId));
        }
    }

    [Fact]
    public void Answers_come_only_after_that_phone_rang_and_holds_only_after_an_answer()
    {
        foreach (var script in SalesCalls.Value)
        {
            var ringing = new HashSet<string>();
            var answered = false;
            var onHold = false;
            foreach (var e in script.Events)
            {
                switch (e.Type)
                {
                    case CallEventType.Ringing:
                        Assert.False(answered, script.CallId);
                        Assert.True(ringing.Add(e.Agent!), $"{script.CallId}: {e.Agent} rang twice at once");
                        break;
                    case CallEventType.RingNoAnswer:
                        Assert.True(ringing.Remove(e.Agent!), $"{script.CallId}: {e.Agent} rang out without ringing");
                        break;
                    case CallEventType.Answered:
                        Assert.Contains(e.Agent!, ringing);
                        Assert.False(answered, script.CallId);
                        answered = true;
                        break;
                    case CallEventType.HoldStarted:
                        Assert.True(answered, $"{script.CallId}: hold before an answer");
                        Assert.False(onHold, script.CallId);
                        onHold = true;
                        break;
                    case CallEventType.HoldEnded:
                        Assert.True(onHold, $"{script.CallId}: hold ended that never started");
                        onHold = false;
                        break;
                    case CallEventType.Voicemail:
                        Assert.False(answered, script.CallId);
                        break;
                    default:
                        break;
                }
            }
        }
    }

    [Fact]
    public void Every_event_is_valid_on_the_wire_and_event_ids_never_repeat()
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in SalesCalls.Value.SelectMany(s => s.Events))
        {
            Assert.True(ids.Add(e.EventId), e.EventId);
            using var json = JsonDocument.Parse(CallEventJson.Serialize(e));
            Assert.True(CallEventJson.TryRead(json.RootElement, out var read, out var error), error);
            Assert.Equal(e, read);
        }
    }

    [Fact]
    public void Events_project_to_the_outcome_the_script_intended()
    {
        var settings = new StoreSettings();
        foreach (var script in SalesCalls.Value)
        {
            var state = CallState.Project(script.Events);
            Assert.Equal(script.Outcome, state.Outcome(settings.ShortAbandon));
        }
    }

    [Fact]
    public void Outcome_mix_of_open_hours_sales_calls_is_what_dealerships_see()
    {
        var calls = OpenHoursSales;
        double Share(CallOutcome outcome) => (double)calls.Count(c => c.Outcome == outcome) / calls.Count;

        Assert.InRange(Share(CallOutcome.Connected), 0.60, 0.80);
        Assert.InRange(Share(CallOutcome.Voicemail), 0.03, 0.15);
        Assert.InRange(Share(CallOutcome.Abandoned), 0.03, 0.15);
        Assert.InRange(Share(CallOutcome.AbandonedOnHold), 0.02, 0.10);
        Assert.InRange(Share(CallOutcome.NoAnswer), 0.005, 0.05);
        Assert.InRange(Share(CallOutcome.ShortAbandon), 0.02, 0.07);
    }

    [Fact]
    public void Callers_hang_up_on_hold_only_after_holding_and_misdials_within_five_seconds()
    {
        var onHold = SalesCalls.Value.Where(s => s.Outcome == CallOutcome.AbandonedOnHold).ToList();
        Assert.NotEmpty(onHold);
        Assert.All(onHold, s => Assert.Equal(CallEventType.HoldStarted, s.Events[^2].Type));

        var shortOnes = SalesCalls.Value.Where(s => s.Outcome == CallOutcome.ShortAbandon).ToList();
        Assert.NotEmpty(shortOnes);
        Assert.All(shortOnes, s => Assert.True(s.End - s.Start < TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void Most_answered_calls_are_answered_within_thirty_seconds_after_hops_of_fifteen_to_twenty()
    {
        var answered = OpenHoursSales.Where(s => s.AnsweredBy is not null).ToList();
        var waits = answered.Select(s => CallState.Project(s.Events).Wait!.Value).ToList();
        var within30 = (double)waits.Count(w => w <= TimeSpan.FromSeconds(30)) / waits.Count;
        Assert.InRange(within30, 0.75, 0.97);

        var hops = SalesCalls.Value.SelectMany(s => CallState.Project(s.Events).Rings)
            .Where(r => r.Result == RingResult.NoAnswer)
            .ToList();
        Assert.NotEmpty(hops);
        Assert.All(hops, r => Assert.InRange(r.Duration!.Value.TotalSeconds, 15, 20));
    }

    [Fact]
    public void Hunt_group_spreads_calls_over_every_salesperson()
    {
        var byAgent = OpenHoursSales.Where(s => s.AnsweredBy is not null).GroupBy(s => s.AnsweredBy!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(["101", "102", "103", "104", "105"], byAgent.Keys.Order());
        Assert.True(byAgent.Values.Min() > byAgent.Values.Sum() / 10, "every salesperson takes a fair share");
    }

    [Fact]
    public void Sources_weigh_main_line_and_website_most_and_radio_least()
    {
        var bySource = SalesCalls.Value.GroupBy(s => s.Source).ToDictionary(g => g.Key, g => g.Count());
        var ranked = bySource.OrderByDescending(p => p.Value).Select(p => p.Key).ToList();
        Assert.Equal(["Main line", "Website"], ranked.Take(2).Order());
        Assert.Equal("Radio", ranked[^1]);
        Assert.All(SalesCalls.Value, s => Assert.Equal(s.Dialed, s.Events[0].To));
    }

    [Fact]
    public void Callers_are_fictional_numbers_some_repeat_and_a_few_are_withheld()
    {
        var callers = SalesCalls.Value.Select(s => s.Caller).ToList();
        var withheld = (double)callers.Count(c => c is null) / callers.Count;
        Assert.InRange(withheld, 0.02, 0.07);
        Assert.All(SalesCalls.Value.Where(s => s.Caller is null), s => Assert.Equal("anonymous", s.Events[0].From));

        var numbers = callers.OfType<string>().ToList();
        Assert.All(numbers, n => Assert.Matches(FictionalNumber(), n));
        Assert.DoesNotContain(numbers, n => n.StartsWith("+1630555010", StringComparison.Ordinal));
        Assert.True(numbers.Distinct().Count() < numbers.Count * 0.8, "some callers call again");
        Assert.Contains(numbers, n => n.StartsWith("+1630", StringComparison.Ordinal));
    }

    [Fact]
    public void Service_calls_dial_the_service_line_and_ring_the_service_desk()
    {
        var service = SimulatedStores.Generate(SimulatedStores.Lakeside(), Department.Service, 500);

        Assert.All(service, s => Assert.Equal("+16305550109", s.Dialed));
        var agents = service.SelectMany(s => s.Events).Where(e => e.Agent is not null).Select(e => e.Agent!).ToHashSet();
        Assert.Equal(["lakeside-toyota-service-1", "lakeside-toyota-service-2"], agents.Order());
        Assert.All(service.Where(s => !s.AfterHours), s => Assert.Equal("lakeside-toyota-service", s.Events[1].Group));
        Assert.All(service, s => Assert.Equal(s.Outcome, CallState.Project(s.Events).Outcome(TimeSpan.FromSeconds(5))));
    }

    [Fact]
    public void A_store_without_salespeople_sends_every_open_hours_call_to_voicemail_or_the_caller_gives_up()
    {
        var scripts = SimulatedStores.Generate(SimulatedStores.Lakeside(salespeople: 0), Department.Sales, 300);

        Assert.DoesNotContain(scripts, s => s.Events.Any(e => e.Type == CallEventType.Ringing));
        Assert.DoesNotContain(scripts, s => s.Outcome == CallOutcome.Connected);
        Assert.Contains(scripts, s => s.Outcome == CallOutcome.Voicemail);
    }

    [Fact]
    public void The_same_seed_writes_the_same_calls()
    {
        var first = SimulatedStores.Generate(SimulatedStores.Lakeside(), Department.Sales, 200, seed: 7);
        var second = SimulatedStores.Generate(SimulatedStores.Lakeside(), Department.Sales, 200, seed: 7);

        Assert.Equal(first.SelectMany(s => s.Events), second.SelectMany(s => s.Events));
    }

    [GeneratedRegex(@"^\+1\d{3}55501\d{2}$")]
    private static partial Regex FictionalNumber();
}
