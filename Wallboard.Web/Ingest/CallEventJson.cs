using System.Globalization;
using System.Text.Json;
using Wallboard.Domain.Calls;

namespace Wallboard.Web.Ingest;

/// <summary>
/// The JSON form of a §4 call event (camelCase, <c>type</c> as <c>call.started</c>…, times in
/// ISO-8601 with an offset). Reading is strict and explains itself: a wrong type, a missing id,
/// an unknown field or type, or a time without an offset is refused with a reason a person can act
/// on, so that a bad event in a batch costs only that event.
/// </summary>
public static class CallEventJson
{
    public const int MaxIdLength = 200;
    public const int MaxTextLength = 200;
    public const int MaxUrlLength = 2048;

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "eventId", "callId", "type", "at", "from", "to", "callerName", "group", "agent", "ringSeconds",
        "fromAgent", "toAgent", "toGroup", "mailbox", "messageLeft", "endedBy", "recordingUrl",
    };

    public static string Serialize(CallEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            Write(writer, e);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, CallEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteString("eventId", e.EventId);
        writer.WriteString("callId", e.CallId);
        writer.WriteString("type", e.Type.ToWireName());
        writer.WriteString("at", e.At.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        WriteIfSet(writer, "from", e.From);
        WriteIfSet(writer, "to", e.To);
        WriteIfSet(writer, "callerName", e.CallerName);
        WriteIfSet(writer, "group", e.Group);
        WriteIfSet(writer, "agent", e.Agent);
        if (e.RingSeconds is { } ring)
        {
            writer.WriteNumber("ringSeconds", ring);
        }

        WriteIfSet(writer, "fromAgent", e.FromAgent);
        WriteIfSet(writer, "toAgent", e.ToAgent);
        WriteIfSet(writer, "toGroup", e.ToGroup);
        WriteIfSet(writer, "mailbox", e.Mailbox);
        if (e.MessageLeft is { } left)
        {
            writer.WriteBoolean("messageLeft", left);
        }

        if (e.EndedBy is { } by)
        {
            writer.WriteString("endedBy", by.ToString().ToLowerInvariant());
        }

        WriteIfSet(writer, "recordingUrl", e.RecordingUrl);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The contract of every event an adapter makes (queue log, Twilio, simulator, replay): what it
    /// stores must read back through <see cref="TryRead"/>, the reader the JSON API uses and the
    /// projection reads stored events with. Null when the event passes, else the reader's reason.
    /// Adapters check their events with it before they submit, so an event the reader would refuse
    /// is turned away at the door with a reason instead of failing its call's projection later.
    /// </summary>
    public static string? Check(CallEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        using var json = JsonDocument.Parse(Serialize(e));
        return TryRead(json.RootElement, out _, out var error) ? null : error;
    }

    /// <summary>Reads one event; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryRead(JsonElement json, out CallEvent? callEvent, out string? error)
    {
        callEvent = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = $"An event must be a JSON object, not {Describe(json.ValueKind)}.";
            return false;
        }

        foreach (var property in json.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                error = $"Unknown field '{Truncate(property.Name)}'.";
                return false;
            }
        }

        var reader = new FieldReader(json);
        var eventId = reader.RequiredString("eventId", MaxIdLength);
        var callId = reader.RequiredString("callId", MaxIdLength);
        var typeName = reader.RequiredString("type", 40);
        var at = reader.RequiredInstant("at");
        if (reader.Error is not null)
        {
            error = reader.Error;
            return false;
        }

        if (!CallEventTypes.TryParse(typeName, out var type))
        {
            error = $"Unknown event type '{Truncate(typeName!)}'; expected one of {string.Join(", ", CallEventTypes.Names)}.";
            return false;
        }

        var e = new CallEvent
        {
            EventId = eventId!,
            CallId = callId!,
            Type = type,
            At = at!.Value,
            From = reader.OptionalString("from", 64),
            To = reader.OptionalString("to", 64),
            CallerName = reader.OptionalString("callerName", MaxTextLength),
            Group = reader.OptionalString("group", MaxTextLength),
            Agent = reader.OptionalString("agent", MaxTextLength),
            RingSeconds = reader.OptionalNumber("ringSeconds", 0, 86_400),
            FromAgent = reader.OptionalString("fromAgent", MaxTextLength),
            ToAgent = reader.OptionalString("toAgent", MaxTextLength),
            ToGroup = reader.OptionalString("toGroup", MaxTextLength),
            Mailbox = reader.OptionalString("mailbox", MaxTextLength),
            MessageLeft = reader.OptionalBool("messageLeft"),
            EndedBy = reader.OptionalEndedBy("endedBy"),
            RecordingUrl = reader.OptionalString("recordingUrl", MaxUrlLength),
        };

        error = reader.Error ?? MissingFieldFor(e);
        if (error is not null)
        {
            return false;
        }

        callEvent = e;
        return true;
    }

    // The fields without which an event of a type means nothing.
    private static string? MissingFieldFor(CallEvent e) => e.Type switch
    {
        CallEventType.Queued when e.Group is null => "call.queued needs 'group'.",
        CallEventType.Ringing or CallEventType.RingNoAnswer or CallEventType.Answered when e.Agent is null =>
            $"{e.Type.ToWireName()} needs 'agent'.",
        _ => null,
    };

    private static void WriteIfSet(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>Reads fields and keeps the first error, so an event is judged by one clear reason.</summary>
    private sealed class FieldReader(JsonElement json)
    {
        public string? Error { get; private set; }

        public string? RequiredString(string name, int maxLength)
        {
            var value = OptionalString(name, maxLength);
            if (Error is null && string.IsNullOrWhiteSpace(value))
            {
                Error = $"'{name}' is required.";
            }

            return value;
        }

        public string? OptionalString(string name, int maxLength)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Fail($"'{name}' must be a string, not {Describe(value.ValueKind)}.");
                return null;
            }

            var text = value.GetString()!;
            if (text.Length > maxLength)
            {
                Fail($"'{name}' is longer than {maxLength} characters.");
                return null;
            }

            return text;
        }

        public DateTimeOffset? RequiredInstant(string name)
        {
            var text = RequiredString(name, 64);
            if (text is null)
            {
                return null;
            }

            // An offset is required: a time without one means a different instant on every server.
            if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                || !(text.EndsWith('Z') || text.EndsWith('z') || text.LastIndexOfAny(['+', '-']) > 10))
            {
                Fail($"'{name}' must be an ISO-8601 time with an offset, like 2026-11-27T14:05:09Z.");
                return null;
            }

            return at.ToUniversalTime();
        }

        public double? OptionalNumber(string name, double min, double max)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number < min || number > max)
            {
                Fail($"'{name}' must be a number from {min} to {max}.");
                return null;
            }

            return number;
        }

        public bool? OptionalBool(string name)
        {
            if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Fail($"'{name}' must be true or false.");
                return null;
            }

            return value.GetBoolean();
        }

        public CallEndedBy? OptionalEndedBy(string name)
        {
            var text = OptionalString(name, 16);
            switch (text)
            {
                case null:
                    return null;
                case "caller":
                    return CallEndedBy.Caller;
                case "agent":
                    return CallEndedBy.Agent;
                case "system":
                    return CallEndedBy.System;
                default:
                    Fail($"'{name}' must be caller, agent or system.");
                    return null;
            }
        }

        private void Fail(string message) => Error ??= message;
    }
}
