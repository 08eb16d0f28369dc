using System.Globalization;
using Wallboard.Web.Ingest.Twilio;

namespace Wallboard.Tests.Ingest.Twilio;

/// <summary>Twilio voice status callbacks as Twilio posts them, signed with an integration's auth token.</summary>
internal static class TwilioCallbacks
{
    /// <summary>A completed inbound call to Bayview's main line.</summary>
    public static Dictionary<string, string> Completed(string sid) => new()
    {
        ["CallSid"] = sid,
        ["AccountSid"] = "AC00000000000000000000000000000000",
        ["CallStatus"] = "completed",
        ["Direction"] = "inbound",
        ["From"] = "+18135550177",
        ["To"] = "+18135550110",
        ["CallDuration"] = "95",
        ["Timestamp"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("r", CultureInfo.InvariantCulture),
        ["SequenceNumber"] = "0",
    };

    /// <summary>Posts to the integration's voice-status address; signed with <paramref name="token"/> unless it is null.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, Uri app, int integrationId, string? token, Dictionary<string, string> form)
    {
        var url = new Uri(app, $"api/v1/integrations/{integrationId}/twilio/voice-status").ToString();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (token is not null)
        {
            request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(token, url, form));
        }

        return http.SendAsync(request);
    }
}
