using System.Security.Cryptography;
using System.Text;

namespace Wallboard.Web.Auth;

/// <summary>Roles of §9, for accounts and API tokens alike.</summary>
public enum WallboardRole
{
    Salesperson = 0,
    Manager = 1,
    Admin = 2,
}

/// <summary>
/// A bearer token for scripts (§11): carries a role and a store scope. Only a hash is kept; the
/// token itself is shown once, when it is made.
/// </summary>
public sealed class ApiToken : IRevocable
{
    public const string Prefix = "wbt_";

    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    public WallboardRole Role { get; set; }

    /// <summary>The one store the token may see; null for every store (admins).</summary>
    public int? StoreId { get; set; }

    /// <summary>The salesperson a salesperson's token acts as.</summary>
    public int? SalespersonId { get; set; }

    /// <summary>The token's last four characters, so a list can tell tokens apart without holding them.</summary>
    public string TokenHint { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>A new random token and the hash to store for it.</summary>
    public static (string Token, string Hash) NewToken()
    {
        var token = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, Hash(token));
    }

    /// <summary>What a list may show of a token: its last four characters.</summary>
    public static string HintOf(string token) => token.Length <= 4 ? token : token[^4..];

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
