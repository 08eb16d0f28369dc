using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Wallboard.Web.Ingest.Replay;

namespace Wallboard.Tests.Ingest.Replay;

public class ReplayFileTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 14, 0, 0, TimeSpan.Zero);

    private static string Event(string id, string at, string type = "call.started") =>
        $$"""{"eventId":"{{id}}","callId":"c-{{id}}","type":"{{type}}","at":"{{at}}","from":"+13125550142","callerName":"José <Pérez>"}""";

    [Fact]
    public void Json_lines_are_read_with_their_times_blank_lines_left_out_and_bad_lines_kept_back()
    {
        string[] lines = [Event("1", "2019-03-01T10:00:00Z"), "", Event("2", "2019-03-01T12:00:00+02:00"), "{not json", "  "];

        var records = ReplayFile.Parse(lines, ReplayFormat.Jsonl).ToList();

        Assert.Equal([1, 3, 4], records.Select(r => r.LineNumber));
        Assert.Equal(new DateTimeOffset(2019, 3, 1, 10, 0, 0, TimeSpan.Zero), records[0].At);
        Assert.Equal(new DateTimeOffset(2019, 3, 1, 10, 0, 0, TimeSpan.Zero), records[1].At);
        Assert.Null(records[0].Problem);
        Assert.StartsWith("not JSON", records[2].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Shifting_a_json_line_rewrites_only_its_at()
    {
        var record = ReplayFile.Parse([Event("1", "2019-03-01T10:00:00.25Z")], ReplayFormat.Jsonl).Single();

        var shifted = ReplayFile.Shift(record, TimeSpan.FromDays(1000), ReplayFormat.Jsonl);

        var before = JsonNode.Parse(record.Text)!.AsObject();
        var after = JsonNode.Parse(shifted.Text)!.AsObject();
        Assert.Equal("2021-11-25T10:00:00.25Z", (string?)after["at"]);
        Assert.Equal(record.At!.Value.AddDays(1000), shifted.At);
        before.Remove("at");
        after.Remove("at");
        Assert.True(JsonNode.DeepEquals(before, after));
        Assert.Contains("José <Pérez>", shifted.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Shifting_a_queue_log_line_rewrites_only_its_epoch()
    {
        var records = ReplayFile.Parse(
            ["1543602677|1543602660.197|IT|NONE|ENTERQUEUE||17035550100|1", "NONE|x|y", "1543602687|1543602660.197|IT|Agent/1141|RINGNOANSWER|10000"],
            ReplayFormat.Asterisk).ToList();

        var shifted = records.Select(r => ReplayFile.Shift(r, TimeSpan.FromSeconds(100), ReplayFormat.Asterisk)).ToList();

        Assert.Equal("1543602777|1543602660.197|IT|NONE|ENTERQUEUE||17035550100|1", shifted[0].Text);
        Assert.Equal("NONE|x|y", shifted[1].Text);
        Assert.Null(shifted[1].At);
        Assert.Equal("1543602787|1543602660.197|IT|Agent/1141|RINGNOANSWER|10000", shifted[2].Text);
    }

    [Fact]
    public void Shift_to_now_makes_the_earliest_time_now_and_shift_end_to_now_the_latest()
    {
        var first = new DateTimeOffset(2018, 11, 29, 21, 34, 49, TimeSpan.Zero);
        var last = first.AddDays(5);

        Assert.Equal(Now, first + ReplayFile.ShiftFor(TimeShift.FirstToNow, first, last, Now));
        Assert.Equal(Now, last + ReplayFile.ShiftFor(TimeShift.LastToNow, first, last, Now));
        Assert.Equal(TimeSpan.Zero, ReplayFile.ShiftFor(TimeShift.None, first, last, Now));
        // In whole seconds, never past now: a queue_log's epochs stay whole.
        Assert.Equal(TimeSpan.FromSeconds(1), ReplayFile.ShiftFor(TimeShift.FirstToNow, Now.AddSeconds(-1.7), null, Now));
    }

    [Fact]
    public void The_recorded_queue_log_keeps_every_interval_when_shifted_to_now()
    {
        var records = ReplayFile.Read(SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log"), ReplayFormat.Asterisk).ToList();
        var (first, last) = ReplayFile.Span(records);

        Assert.Equal(743, records.Count);
        Assert.All(records, r => Assert.NotNull(r.At));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1543527289), first);

        var shift = ReplayFile.ShiftFor(TimeShift.FirstToNow, first, last, Now);
        var shifted = records.Select(r => ReplayFile.Shift(r, shift, ReplayFormat.Asterisk)).ToList();
        Assert.Equal(Now, shifted.Min(r => r.At));
        Assert.All(records.Zip(shifted), pair => Assert.Equal(pair.First.At + shift, pair.Second.At));
        Assert.All(records.Zip(shifted), pair => Assert.Equal(pair.First.Text[10..], pair.Second.Text[10..]));
    }

    [Fact]
    public void As_fast_as_possible_chunks_are_cut_by_count_and_all_due_at_once()
    {
        var records = Enumerable.Range(1, 250).Select(i => new ReplayRecord(i, $"{1_000 + i}|c|q|a|EVENT", DateTimeOffset.FromUnixTimeSeconds(1_000 + i)));

        var chunks = ReplayFile.Chunks(records, batchSize: 100, maxBytes: 1_000_000, speed: null, first: null).ToList();

        Assert.Equal([100, 100, 50], chunks.Select(c => c.Records.Count));
        Assert.All(chunks, c => Assert.Equal(TimeSpan.Zero, c.Due));
        Assert.Equal(Enumerable.Range(1, 250), chunks.SelectMany(c => c.Records).Select(r => r.LineNumber));
    }

    [Fact]
    public void Chunks_stay_under_the_byte_limit_and_a_huge_line_goes_alone()
    {
        int[] sizes = [10, 10, 10, 50, 10];
        var records = sizes.Select((size, i) => new ReplayRecord(i + 1, new string('x', size), null));

        var chunks = ReplayFile.Chunks(records, batchSize: 100, maxBytes: 25, speed: null, first: null).ToList();

        Assert.Equal([2, 1, 1, 1], chunks.Select(c => c.Records.Count));
    }

    [Fact]
    public void At_a_speed_each_instant_is_its_own_chunk_due_at_its_place_divided_by_the_speed()
    {
        var start = new DateTimeOffset(2019, 3, 1, 10, 0, 0, TimeSpan.Zero);
        ReplayRecord At(int line, double seconds) => new(line, "x", start.AddSeconds(seconds));
        ReplayRecord[] records = [At(1, 0), At(2, 0), At(3, 10), new(4, "no time", null), At(5, 60), At(6, 30)];

        var chunks = ReplayFile.Chunks(records, batchSize: 100, maxBytes: 1_000_000, speed: 10, first: start).ToList();

        Assert.Equal([[1, 2], [3, 4], [5, 6]], chunks.Select(c => c.Records.Select(r => r.LineNumber).ToArray()));
        // Line 6 is earlier than line 5 but comes after it: it is late, it goes at once.
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(6)], chunks.Select(c => c.Due));
    }

    [Fact]
    public void Bodies_are_a_json_array_of_the_events_or_the_queue_log_lines()
    {
        var events = ReplayFile.Parse([Event("1", "2019-03-01T10:00:00Z"), Event("2", "2019-03-01T10:00:01Z")], ReplayFormat.Jsonl).ToList();
        var lines = ReplayFile.Parse(["1|a|q|n|X", "2|b|q|n|Y"], ReplayFormat.Asterisk).ToList();

        using var json = JsonDocument.Parse(ReplayFile.Body(events, ReplayFormat.Jsonl));
        Assert.Equal(["1", "2"], json.RootElement.EnumerateArray().Select(e => e.GetProperty("eventId").GetString()));
        Assert.Equal("1|a|q|n|X\n2|b|q|n|Y\n", Encoding.UTF8.GetString(ReplayFile.Body(lines, ReplayFormat.Asterisk)));
    }

    [Fact]
    public void Answers_are_read_from_the_json_api_and_the_queue_log_api_and_from_an_all_refused_problem()
    {
        var json = ReplayAnswer.TryRead("""{"accepted":3,"duplicates":1,"rejected":[{"index":2,"eventId":"e","error":"'at' is too old"}]}""");
        var queueLog = ReplayAnswer.TryRead("""{"accepted":5,"duplicates":0,"ignored":4,"rejected":[{"line":3,"eventId":null,"error":"bad epoch"},{"line":null,"eventId":"e9","error":"too old"}]}""");
        var problem = ReplayAnswer.TryRead("""{"type":"x","title":"No event was accepted.","status":400,"accepted":0,"duplicates":0,"rejected":[{"index":0,"error":"old"}]}""");

        Assert.Equal((3, 1, 1, 0), (json!.Accepted, json.Duplicates, json.Rejected, json.Ignored));
        Assert.Equal(new ReplayRejection(2, "'at' is too old"), json.Rejections.Single());
        Assert.Equal((5, 4, 2), (queueLog!.Accepted, queueLog.Ignored, queueLog.Rejected));
        Assert.Equal([new ReplayRejection(2, "bad epoch"), new ReplayRejection(null, "too old")], queueLog.Rejections);
        Assert.Equal((0, 1), (problem!.Accepted, problem.Rejected));
        Assert.Null(ReplayAnswer.TryRead("<html>hello</html>"));
        Assert.Null(ReplayAnswer.TryRead("""{"status":"ok"}"""));
    }

    [Fact]
    public void A_rate_limited_chunk_waits_as_retry_after_says_within_bounds()
    {
        Assert.Equal(TimeSpan.FromSeconds(3), ReplayClient.RetryWait(new RetryConditionHeaderValue(TimeSpan.FromSeconds(3)), 1, Now));
        Assert.Equal(TimeSpan.FromSeconds(7), ReplayClient.RetryWait(new RetryConditionHeaderValue(Now.AddSeconds(7)), 1, Now));
        Assert.Equal(TimeSpan.Zero, ReplayClient.RetryWait(new RetryConditionHeaderValue(Now.AddSeconds(-7)), 1, Now));
        Assert.Equal(ReplayClient.MaxRetryWait, ReplayClient.RetryWait(new RetryConditionHeaderValue(TimeSpan.FromHours(1)), 1, Now));
        Assert.Equal([1, 2, 4, 8], Enumerable.Range(1, 4).Select(a => ReplayClient.RetryWait(null, a, Now).TotalSeconds));
    }
}
