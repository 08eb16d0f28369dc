using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Domain.Calls;
using Wallboard.Tests.Hosting;
using Wallboard.Tests.Ingest.Twilio;
using Wallboard.Web.Data;
using Wallboard.Web.Ingest;

namespace Wallboard.Tests.Ingest;

/// <summary>The queue-log and Twilio endpoints on a real port, with the real recorded log.</summary>
public class AdapterEndpointsTests(WallboardAppFactory app) : IClassFixture<WallboardAppFactory>
{
    private readonly SignedIngestClient _client = new(app);

    /// <summary>The real 2018 log with every epoch moved by whole seconds so it ends a minute ago.</summary>
    private static string RealLogShiftedToNow()
    {
        var lines = File.ReadAllLines(SharedData.PathTo("asterisk-queue-log", "pbxware-2018.queue_log"));
        var last = lines.Max(l => long.Parse(l.Split('|')[0], CultureInfo.InvariantCulture));
        var shift = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds() - last;
        return string.Join('\n', lines.Select(line =>
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(line[..bar], CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture) + line[bar..];
        }));
    }

    private async Task<HttpResponseMessage> PostQueueLogAsync(string text, string? secret = null)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/v1/integrations/{_client.IntegrationId}/asterisk/queue-log")
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("text/plain");
        request.Headers.Add(RequestSignature.SignatureHeader, RequestSignature.Sign(secret ?? _client.Credentials.Integration.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        return await _client.Http.SendAsync(request);
    }

    [Fact]
    public async Task Real_queue_log_lands_every_call_with_the_pbxs_own_waits_and_talk_times()
    {
        var log = RealLogShiftedToNow();
        var response = await PostQueueLogAsync(log);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(78, answer.GetProperty("ignored").GetInt32());
        Assert.Equal(0, answer.GetProperty("rejected").GetArrayLength());

        // The PBX's own figures: COMPLETE* rows carry htime (waited) and ttime (talked).
        var completed = File.ReadLines(SharedData.PathTo("asterisk-queue-log", "pbxware-2018-original-columns.csv"))
            .Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f[3] == "IT" && f[5] is "COMPLETECALLER" or "COMPLETEAGENT")
            .ToDictionary(f => f[2], f => (Wait: int.Parse(f[11], CultureInfo.InvariantCulture), Talk: int.Parse(f[12], CultureInfo.InvariantCulture)));

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var calls = await db.Calls.Where(c => c.IntegrationId == _client.IntegrationId && c.HuntGroup == "IT").ToListAsync();

        Assert.Equal(108, calls.Count);
        Assert.True(completed.Count > 80);
        var talkOffByOne = 0;
        foreach (var (callId, pbx) in completed)
        {
            var call = Assert.Single(calls, c => c.ExternalId == callId);
            Assert.Equal(CallOutcome.Connected, call.Outcome);
            // Epochs are whole seconds, and the PBX starts counting talk at the bridge, which can be
            // the second after it logged CONNECT: one second can move from its wait to its talk, and
            // its clock read at the end can add one more. Never more than that.
            Assert.InRange(call.WaitSeconds!.Value - pbx.Wait, -1, 0);
            Assert.InRange(call.TalkSeconds!.Value - pbx.Talk, 0, 1);
            Assert.InRange(call.WaitSeconds.Value + call.TalkSeconds.Value - pbx.Wait - pbx.Talk, 0, 1);
            talkOffByOne += call.WaitSeconds == pbx.Wait && call.TalkSeconds == pbx.Talk ? 0 : 1;
        }

        Assert.True(talkOffByOne <= 4, $"{talkOffByOne} calls differ from the PBX's figures by a second");
        Assert.Contains(calls, c => c.Outcome == CallOutcome.Abandoned);

        // Posting the same log again changes nothing.
        var again = await (await PostQueueLogAsync(log)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Garbage_queue_log_lines_are_refused_by_line_number_and_good_lines_kept()
    {
        var epoch = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds();
        var text = $"""
            {epoch}|garbage-1.1|lakeside-sales|NONE|ENTERQUEUE||3125550142|1
            this is not a queue log line
            notanumber|x|q|a|ABANDON|1|1|5
            {epoch + 20}|garbage-1.1|lakeside-sales|NONE|ABANDON|1|1|20
            """;

        var response = await PostQueueLogAsync(text);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.GetProperty("accepted").GetInt32() >= 2);
        Assert.Equal([2, 3], answer.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("line").GetInt32()));

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var call = await db.Calls.SingleAsync(c => c.ExternalId == "garbage-1.1");
        Assert.Equal(CallOutcome.Abandoned, call.Outcome);
        Assert.Equal(_client.Credentials.Stores[0].Id, call.StoreId); // the lakeside-sales queue maps to Lakeside's main line
        Assert.NotNull(call.TrackingNumberId);
    }

    [Fact]
    public async Task Queue_log_with_a_wrong_signature_is_401_and_stores_nothing()
    {
        var epoch = DateTimeOffset.UtcNow.AddMinutes(-2).ToUnixTimeSeconds();
        var response = await PostQueueLogAsync($"{epoch}|badsig-1.1|lakeside-sales|NONE|ENTERQUEUE||3125550142|1", secret: "wrong");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.False(await db.Calls.AnyAsync(c => c.ExternalId == "badsig-1.1"));
    }

    private Task<HttpResponseMessage> PostTwilioAsync(Dictionary<string, string> form, string? token = null, bool sign = true) =>
        TwilioCallbacks.PostAsync(_client.Http, app.BaseAddress, _client.Credentials.Twilio.Id, sign ? token ?? _client.Credentials.Twilio.AuthToken : null, form);

    private static Dictionary<string, string> Completed(string sid) => TwilioCallbacks.Completed(sid);

    [Fact]
    public async Task Twilio_callback_signed_with_the_auth_token_is_accepted_and_retries_are_duplicates()
    {
        var form = Completed("CA11111111111111111111111111111111");

        var first = await PostTwilioAsync(form);
        var retry = await PostTwilioAsync(form);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32() > 0);
        Assert.Equal(0, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var call = await db.Calls.SingleAsync(c => c.ExternalId == "CA11111111111111111111111111111111");
        Assert.Equal(_client.Credentials.Stores[1].Id, call.StoreId); // +18135550110 is Bayview's main line
        Assert.Equal("+18135550177", call.CallerE164);
    }

    /// <summary>
    /// Twilio's signature computed as Twilio documents it ("Secure webhooks"), independently of the
    /// app's own code: the URL, then each parameter's name and value sorted by name, HMAC-SHA1 with
    /// the auth token, base64.
    /// </summary>
    private static string TwilioDocumentedSignature(string authToken, string url, Dictionary<string, string> form)
    {
        var data = new StringBuilder(url);
        foreach (var name in form.Keys.Order(StringComparer.Ordinal))
        {
            data.Append(name).Append(form[name]);
        }

#pragma warning disable CA5350 // Twilio's signature is HMAC-SHA1 by Twilio's definition
        return Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
#pragma warning restore CA5350
    }

    [Fact]
    public async Task Twilio_callbacks_of_an_inbound_call_with_every_subscribed_status_answer_2xx_and_a_person_answers_only_on_a_leg()
    {
        // statusCallbackEvent="initiated ringing answered completed", as docs/integrations/twilio.md says to configure.
        const string sid = "CA14141414141414141414141414141414";
        const string leg = "CA14141414141414141414141414140000";
        var id = _client.Credentials.Twilio.Id;
        var url = new Uri(app.BaseAddress, $"api/v1/integrations/{id}/twilio/voice-status").ToString();
        var at = DateTimeOffset.UtcNow.AddSeconds(-40);
        Dictionary<string, string> Callback(string callSid, string status, int second, params (string Name, string Value)[] extra)
        {
            var form = Completed(callSid);
            form["CallStatus"] = status;
            form["Timestamp"] = at.AddSeconds(second).ToString("r", CultureInfo.InvariantCulture);
            form["SequenceNumber"] = second.ToString(CultureInfo.InvariantCulture);
            form.Remove("CallDuration");
            foreach (var (name, value) in extra)
            {
                form[name] = value;
            }

            return form;
        }

        async Task<HttpStatusCode> PostAsync(Dictionary<string, string> form)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", TwilioDocumentedSignature(_client.Credentials.Twilio.AuthToken, url, form));
            using var response = await _client.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(sid, "initiated", 0)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(sid, "ringing", 0)));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(sid, "in-progress", 1)));

        var factory = app.Services.GetRequiredService<IDbContextFactory<WallboardDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Twilio picked up to run its instructions: the caller is still waiting for a person.
            var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId == sid);
            Assert.Null(call.AnsweredAt);
            Assert.Null(call.EndedAt);
        }

        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(leg, "ringing", 2, ("Direction", "outbound-dial"), ("ParentCallSid", sid), ("To", "client:nobody-mapped"))));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(leg, "in-progress", 9, ("Direction", "outbound-dial"), ("ParentCallSid", sid), ("To", "client:nobody-mapped"))));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(Callback(sid, "completed", 30, ("CallDuration", "30"))));

        await using (var db = await factory.CreateDbContextAsync())
        {
            var call = await db.Calls.AsNoTracking().SingleAsync(c => c.ExternalId == sid);
            Assert.Equal(at.AddSeconds(9).ToUnixTimeSeconds(), call.AnsweredAt!.Value.ToUnixTimeSeconds());
            Assert.Equal("client:nobody-mapped", call.AnsweredByAgent);
            Assert.Null(call.AnsweredBySalespersonId); // answered, by a phone no salesperson is known by
            Assert.NotNull(call.EndedAt);
        }
    }

    [Fact]
    public async Task Twilio_callback_unsigned_or_signed_with_another_token_is_401()
    {
        var unsigned = await PostTwilioAsync(Completed("CA22222222222222222222222222222222"), sign: false);
        var wrong = await PostTwilioAsync(Completed("CA33333333333333333333333333333333"), token: "0123456789abcdef0123456789abcdef");

        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Twilio_callback_missing_its_call_sid_is_a_400_problem()
    {
        var form = Completed("CA44444444444444444444444444444444");
        form.Remove("CallSid");

        var response = await PostTwilioAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("CallSid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
