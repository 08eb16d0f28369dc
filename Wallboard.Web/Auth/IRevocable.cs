namespace Wallboard.Web.Auth;

/// <summary>A way in that is revoked rather than deleted (display links, API tokens): it stops working at once and its history stays.</summary>
public interface IRevocable
{
    int Id { get; }

    DateTimeOffset? RevokedAt { get; set; }
}
