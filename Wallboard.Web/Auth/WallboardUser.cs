using Microsoft.AspNetCore.Identity;

namespace Wallboard.Web.Auth;

/// <summary>
/// A person's account (§9): signs in with an e-mail and a password, has one role, works in one or
/// more stores (an admin in every store) and, as a salesperson, is one of the store's salespeople.
/// Identity keeps the password hash, the security stamp and the lockout state.
/// </summary>
public sealed class WallboardUser : IdentityUser<int>
{
    /// <summary>The name shown on screens and in the audit trail, e.g. "Linda Park".</summary>
    public string DisplayName { get; set; } = string.Empty;

    public WallboardRole Role { get; set; }

    /// <summary>The salesperson this account is (their phone-system identities are the salesperson's).</summary>
    public int? SalespersonId { get; set; }

    /// <summary>A disabled account cannot sign in and loses access at its next request.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The stores the account works in; empty for an admin, who sees every store.</summary>
    public List<AccountStore> Stores { get; set; } = [];
}

/// <summary>One store an account works in.</summary>
public sealed class AccountStore
{
    public int UserId { get; set; }

    public int StoreId { get; set; }
}
