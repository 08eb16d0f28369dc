namespace Wallboard.Web.Auth;

/// <summary>
/// The shared secret an integration signs its posts with (HMAC for our API, the auth token for
/// Twilio). Kept as is, not hashed, because checking an HMAC needs the key itself.
/// </summary>
public sealed class IntegrationCredential
{
    public int Id { get; set; }

    public int IntegrationId { get; set; }

    public required string Secret { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }
}
