using System.Security.Cryptography;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Auth;

/// <summary>
/// A showroom TV's way in (§9): a link holding a long random token, scoped to one store and one
/// department, read-only, masked numbers only, revocable. Only the token's hash is kept; the link
/// itself is shown once, when it is made (Admin → Display links makes and revokes them; the demo
/// seeds one per store).
/// </summary>
public sealed class DisplayLink : IRevocable
{
    /// <summary>Display tokens start with this, so they are told from API tokens at a glance.</summary>
    public const string Prefix = "wbd_";

    /// <summary>The role a display token signs in with.</summary>
    public const string RoleName = "Display";

    public int Id { get; set; }

    public int StoreId { get; set; }

    public Department Department { get; set; } = Department.Sales;

    /// <summary>Where the screen hangs, e.g. "Sales office TV".</summary>
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The token's last four characters, so a list can tell tokens apart without holding them.</summary>
    public string TokenHint { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A new random token and the hash to store for it.</summary>
    public static (string Token, string Hash) NewToken()
    {
        var token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, ApiToken.Hash(token));
    }
}
