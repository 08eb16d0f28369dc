using System.Globalization;

namespace Wallboard.Domain.Calls;

/// <summary>One step of a call's path as a manager reads it: when, and what happened.</summary>
public sealed record TimelineStep(DateTimeOffset At, TimeSpan SinceStart, string Text, TimelineTone Tone);

public enum TimelineTone
{
    Neutral = 0,
    Good = 1,
    Warning = 2,
    Bad = 3,
}

/// <summary>
/// A call's path in words: "started → rang Mike 15 s, no answer → rang Dana → answered after 42 s →
/// hold 1:10 → caller hung up". Pure: built from the stored call, its rings and holds.
/// </summary>
public static class CallTimeline
{
    public static IReadOnlyList<TimelineStep> Of(Call call, Func<CallRing, string> whoRang)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(whoRang);
        var steps = new List<TimelineStep>();
        void Add(DateTimeOffset at, string text, TimelineTone tone = TimelineTone.Neutral) => steps.Add(new TimelineStep(at, at - call.StartedAt, text, tone));

        Add(call.StartedAt, call.HuntGroup is { Length: > 0 } group ? $"Call started, queued for {group}" : "Call started");
        foreach (var ring in call.Rings.OrderBy(r => r.StartedAt).ThenBy(r => r.Ordinal))
        {
            var who = whoRang(ring);
            var length = ring.EndedAt is { } ended ? $" {Duration(ended - ring.StartedAt)}" : string.Empty;
            switch (ring.Result)
            {
                case RingResult.NoAnswer:
                    Add(ring.StartedAt, $"Rang {who}{length}, no answer", TimelineTone.Warning);
                    break;
                case RingResult.Answered:
                    Add(ring.StartedAt, $"Rang {who}");
                    break;
                case RingResult.Canceled:
                    Add(ring.StartedAt, $"Rang {who}{length}, stopped");
                    break;
                default:
                    Add(ring.StartedAt, $"Ringing {who}");
                    break;
            }
        }

        if (call.AnsweredAt is { } answered)
        {
            var by = call.Rings.FirstOrDefault(r => r.Result == RingResult.Answered) is { } ring ? whoRang(ring) : call.AnsweredByAgent;
            Add(answered, $"Answered{(by is null ? string.Empty : $" by {by}")} after {Duration(answered - call.StartedAt)}", TimelineTone.Good);
        }

        foreach (var hold in call.Holds.OrderBy(h => h.StartedAt))
        {
            Add(hold.StartedAt, hold.EndedAt is { } ended ? $"On hold {Duration(ended - hold.StartedAt)}" : "Put on hold", TimelineTone.Warning);
        }

        if (call.EndedAt is { } end)
        {
            var (text, tone) = call.Outcome switch
            {
                CallOutcome.Connected => ($"Ended after {Duration(TimeSpan.FromSeconds(call.TalkSeconds ?? 0))} of talk", TimelineTone.Good),
                CallOutcome.AbandonedOnHold => ("Caller hung up on hold", TimelineTone.Bad),
                CallOutcome.Voicemail => (call.VoicemailMessageLeft == true ? "Went to voicemail, message left" : "Went to voicemail, no message", TimelineTone.Bad),
                CallOutcome.Abandoned => ($"Caller hung up after waiting {Duration(end - call.StartedAt)}", TimelineTone.Bad),
                CallOutcome.NoAnswer => (call.ClosedAsStale ? "Closed: its end never arrived" : "Not answered; the phone system ended the call", TimelineTone.Bad),
                CallOutcome.ShortAbandon => ($"Caller hung up within {Duration(end - call.StartedAt)} (a misdial)", TimelineTone.Neutral),
                _ => ("Ended", TimelineTone.Neutral),
            };
            Add(end, text, tone);
        }

        return steps.OrderBy(s => s.At).ToList();
    }

    /// <summary>"15 s", "1:10", "1:02:03".</summary>
    public static string Duration(TimeSpan span)
    {
        var seconds = (int)Math.Round(Math.Max(span.TotalSeconds, 0), MidpointRounding.AwayFromZero);
        return seconds < 60
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds} s")
            : seconds < 3600
                ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}")
                : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
