using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Admin;
using Wallboard.Web.Data;

namespace Wallboard.Web.Auth;

/// <summary>What an account should be: its e-mail, name, role, stores and salesperson.</summary>
public sealed record AccountInput(string Email, string? DisplayName, WallboardRole Role, IReadOnlyList<int> StoreIds, int? SalespersonId);

/// <summary>An account as the users screen and the audit trail show it: never a hash or a stamp.</summary>
public sealed record AccountView(
    int Id,
    string Email,
    string DisplayName,
    WallboardRole Role,
    IReadOnlyList<int> StoreIds,
    int? SalespersonId,
    bool Disabled,
    DateTimeOffset? LockedOutUntil,
    int FailedSignIns);

/// <summary>Why a change was refused.</summary>
public enum AccountProblem
{
    None = 0,
    Invalid = 1,
    WeakPassword = 2,
    EmailTaken = 3,
    NotFound = 4,
}

/// <summary>The outcome of a change: done (with the account and, when one was made, the new password) or refused with reasons.</summary>
public sealed record AccountResult(AccountView? Account, IReadOnlyList<string> Errors, string? NewPassword = null, AccountProblem Problem = AccountProblem.None)
{
    public bool Succeeded => Errors.Count == 0;

    public static AccountResult Refused(AccountProblem problem, params string[] errors) => new(null, errors, null, problem);

    public static AccountResult Refused(params string[] errors) => Refused(AccountProblem.Invalid, errors);

    internal static AccountResult From(IdentityResult result) => Refused(
        result.Errors.Any(e => e.Code.StartsWith("Password", StringComparison.Ordinal)) ? AccountProblem.WeakPassword
        : result.Errors.Any(e => e.Code.StartsWith("Duplicate", StringComparison.Ordinal)) ? AccountProblem.EmailTaken
        : AccountProblem.Invalid,
        result.Errors.Select(e => e.Description).ToArray());
}

/// <summary>
/// Makes and changes accounts: the command line's <c>create-admin</c>, the users screen. Each change
/// runs in its own scope (a fresh database context) and writes its audit line in the same
/// transaction as the change (before → after, without hashes or stamps).
/// </summary>
public sealed class AccountService(IServiceScopeFactory scopeFactory, AuditLog audit, TimeProvider time)
{
    public const int MinimumPasswordLength = 12;

    /// <summary>A random password of 4 groups of 5 letters and digits (about 100 bits), easy to type from a screen.</summary>
    public static string NewPassword()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        var groups = Enumerable.Range(0, 4).Select(_ => new string(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray()));
        return string.Join('-', groups);
    }

    public async Task<IReadOnlyList<AccountView>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WallboardDbContext>();
        var accounts = await db.Users.AsNoTracking().Include(u => u.Stores).OrderBy(u => u.Email).ToListAsync(ct);
        return accounts.Select(View).ToList();
    }

    /// <summary>Creates an account; with no <paramref name="password"/> one is generated and returned once.</summary>
    public async Task<AccountResult> CreateAsync(AccountInput input, string? password, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WallboardDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WallboardUser>>();
        var email = input.Email?.Trim() ?? string.Empty;
        if (email.Length == 0)
        {
            return AccountResult.Refused("Give an e-mail address.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return AccountResult.Refused(AccountProblem.EmailTaken, $"An account with the e-mail {email} already exists.");
        }

        var (stores, problem) = await CheckScopeAsync(db, input, ct);
        if (problem is not null)
        {
            return AccountResult.Refused(problem.StartsWith("There is no", StringComparison.Ordinal) ? AccountProblem.NotFound : AccountProblem.Invalid, problem);
        }

        var generated = password is null;
        password ??= NewPassword();
        var user = new WallboardUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? email : input.DisplayName.Trim(),
            Role = input.Role,
            SalespersonId = input.SalespersonId,
            CreatedAt = time.GetUtcNow(),
            LockoutEnabled = true,
        };

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return AccountResult.From(created);
        }

        user.Stores = stores.Select(s => new AccountStore { UserId = user.Id, StoreId = s }).ToList();
        var view = View(user);
        audit.Record(db, actor, new AuditFact("user.created", "User", Id(user), stores.Count == 1 ? stores[0] : null, null, view));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AccountResult(view, [], generated ? password : null);
    }

    /// <summary>Changes an account's name, role, stores and salesperson.</summary>
    public async Task<AccountResult> UpdateAsync(int userId, AccountInput input, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await ChangeAsync(userId, actor, "user.updated", async (db, users, user) =>
        {
            var (stores, problem) = await CheckScopeAsync(db, input, ct);
            if (problem is not null)
            {
                return problem;
            }

            user.DisplayName = string.IsNullOrWhiteSpace(input.DisplayName) ? user.Email ?? user.DisplayName : input.DisplayName.Trim();
            user.Role = input.Role;
            user.SalespersonId = input.SalespersonId;
            user.Stores.RemoveAll(s => !stores.Contains(s.StoreId));
            user.Stores.AddRange(stores.Where(s => user.Stores.All(k => k.StoreId != s)).Select(s => new AccountStore { UserId = user.Id, StoreId = s }));
            // A new stamp makes open sessions pick up the new role and stores at their next request.
            var updated = await users.UpdateSecurityStampAsync(user);
            return updated.Succeeded ? null : string.Join(" ", updated.Errors.Select(e => e.Description));
        }, ct);
    }

    /// <summary>Disables or enables an account; a disabled one loses access at its next request.</summary>
    public Task<AccountResult> SetDisabledAsync(int userId, bool disabled, string actor, CancellationToken ct) =>
        ChangeAsync(userId, actor, disabled ? "user.disabled" : "user.enabled", async (_, users, user) =>
        {
            user.IsDisabled = disabled;
            var updated = await users.UpdateSecurityStampAsync(user);
            return updated.Succeeded ? null : string.Join(" ", updated.Errors.Select(e => e.Description));
        }, ct);

    /// <summary>Lifts a lockout and forgets the failed attempts.</summary>
    public Task<AccountResult> UnlockAsync(int userId, string actor, CancellationToken ct) =>
        ChangeAsync(userId, actor, "user.unlocked", async (_, users, user) =>
        {
            var unlocked = await users.SetLockoutEndDateAsync(user, null);
            if (unlocked.Succeeded)
            {
                unlocked = await users.ResetAccessFailedCountAsync(user);
            }

            return unlocked.Succeeded ? null : string.Join(" ", unlocked.Errors.Select(e => e.Description));
        }, ct);

    /// <summary>Sets a new password (generated when none is given, and returned once); open sessions end.</summary>
    public async Task<AccountResult> ResetPasswordAsync(int userId, string? password, string actor, CancellationToken ct)
    {
        var generated = password is null;
        password ??= NewPassword();
        var result = await ChangeAsync(userId, actor, "user.password-reset", async (_, users, user) =>
        {
            foreach (var validator in users.PasswordValidators)
            {
                var valid = await validator.ValidateAsync(users, user, password);
                if (!valid.Succeeded)
                {
                    return string.Join(" ", valid.Errors.Select(e => e.Description));
                }
            }

            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            var updated = await users.UpdateSecurityStampAsync(user);
            return updated.Succeeded ? null : string.Join(" ", updated.Errors.Select(e => e.Description));
        }, ct);
        return result.Succeeded && generated ? result with { NewPassword = password } : result;
    }

    private async Task<AccountResult> ChangeAsync(
        int userId, string actor, string action, Func<WallboardDbContext, UserManager<WallboardUser>, WallboardUser, Task<string?>> change, CancellationToken ct)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WallboardDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<WallboardUser>>();
        var user = await db.Users.Include(u => u.Stores).SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return AccountResult.Refused(AccountProblem.NotFound, "That account no longer exists.");
        }

        var before = View(user);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await change(db, users, user) is { } problem)
        {
            return AccountResult.Refused(problem);
        }

        var after = View(user);
        audit.Record(db, actor, new AuditFact(action, "User", Id(user), after.StoreIds.Count == 1 ? after.StoreIds[0] : null, before, after));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new AccountResult(after, []);
    }

    // An admin works in every store; a manager in the stores given; a salesperson in their salesperson's store.
    private static async Task<(List<int> Stores, string? Problem)> CheckScopeAsync(WallboardDbContext db, AccountInput input, CancellationToken ct)
    {
        if (!Enum.IsDefined(input.Role))
        {
            return ([], "Choose a role: Admin, Manager or Salesperson.");
        }

        var person = input.SalespersonId is { } id
            ? await db.Salespeople.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Id, p.StoreId }).SingleOrDefaultAsync(ct)
            : null;
        if (input.SalespersonId is not null && person is null)
        {
            return ([], $"There is no salesperson {input.SalespersonId}.");
        }

        var wanted = input.StoreIds.Distinct().Order().ToList();
        var known = await db.Stores.AsNoTracking().Where(s => wanted.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        if (wanted.Except(known).FirstOrDefault() is var missing and > 0)
        {
            return ([], $"There is no store {missing}.");
        }

        switch (input.Role)
        {
            case WallboardRole.Admin:
                return ([], null);
            case WallboardRole.Salesperson when person is null:
                return ([], "A salesperson's account is one of the store's salespeople: choose which.");
            case WallboardRole.Salesperson:
                return ([person.StoreId], null);
            default:
                if (wanted.Count == 0)
                {
                    return ([], "A manager works in at least one store: choose which.");
                }

                return person is not null && !wanted.Contains(person.StoreId)
                    ? ([], "The salesperson belongs to a store this account does not work in.")
                    : (wanted, null);
        }
    }

    private static string Id(WallboardUser user) => user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static AccountView View(WallboardUser user) => new(
        user.Id,
        user.Email ?? string.Empty,
        user.DisplayName,
        user.Role,
        user.Stores.Select(s => s.StoreId).Order().ToList(),
        user.SalespersonId,
        user.IsDisabled,
        user.LockoutEnd,
        user.AccessFailedCount);
}
