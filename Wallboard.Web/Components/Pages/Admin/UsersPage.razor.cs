using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Wallboard.Web.Auth;
using Wallboard.Web.Data;

namespace Wallboard.Web.Components.Pages.Admin;

/// <summary>
/// The admin's accounts screen: list, create (a password typed or generated and shown once), role,
/// stores, salesperson link, disable and enable, unlock, new password. Every change goes through
/// <see cref="AccountService"/>, which writes the audit trail (before → after, never a hash).
/// </summary>
public sealed partial class UsersPage
{
    private IReadOnlyList<AccountView> _accounts = [];
    private List<(int Id, string Name)> _stores = [];
    private List<(int Id, string Name, int StoreId)> _people = [];
    private AccountForm? _form;
    private List<string> _formErrors = [];
    private (string Email, string Password)? _shownPassword;
    private string? _status;
    private Severity _statusSeverity = Severity.Info;
    private string _me = string.Empty;
    private bool _busy;
    private bool _interactive;

    [Inject]
    private AccountService Accounts { get; set; } = null!;

    [Inject]
    private IDbContextFactory<WallboardDbContext> DbFactory { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    protected override async Task OnInitializedAsync()
    {
        _me = (await AuthenticationState).User.FindFirstValue(ClaimTypes.Name) ?? string.Empty;
        await using var db = await DbFactory.CreateDbContextAsync();
        _stores = (await db.Stores.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).ToListAsync()).Select(s => (s.Id, s.Name)).ToList();
        _people = (await db.Salespeople.AsNoTracking().Where(p => p.IsActive).OrderBy(p => p.Name).Select(p => new { p.Id, p.Name, p.StoreId }).ToListAsync())
            .Select(p => (p.Id, p.Name, p.StoreId)).ToList();
        await ReloadAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            _interactive = true;
            StateHasChanged();
        }
    }

    private async Task ReloadAsync() => _accounts = await Accounts.ListAsync(CancellationToken.None);

    private string PersonName(int id) => _people.FirstOrDefault(p => p.Id == id).Name ?? $"Salesperson {id}";

    private string StoreName(int id) => _stores.FirstOrDefault(s => s.Id == id).Name ?? $"Store {id}";

    private void StartCreate()
    {
        _form = new AccountForm { Role = WallboardRole.Salesperson };
        _formErrors = [];
    }

    private void StartEdit(AccountView account)
    {
        _form = new AccountForm
        {
            UserId = account.Id,
            Email = account.Email,
            DisplayName = account.DisplayName,
            Role = account.Role,
            SalespersonId = account.SalespersonId,
            StoreIds = [.. account.StoreIds],
        };
        _formErrors = [];
    }

    private static void Toggle(AccountForm form, int storeId, bool on)
    {
        if (on)
        {
            form.StoreIds.Add(storeId);
        }
        else
        {
            form.StoreIds.Remove(storeId);
        }
    }

    private async Task SaveAsync()
    {
        if (_form is not { } form || _busy)
        {
            return;
        }

        if (form.UserId is { } self && _accounts.FirstOrDefault(a => a.Id == self)?.Email == _me && form.Role != WallboardRole.Admin)
        {
            _formErrors = ["You cannot take the admin role from your own account: another admin can."];
            return;
        }

        _busy = true;
        try
        {
            var input = new AccountInput(form.Email, form.DisplayName, form.Role, [.. form.StoreIds], form.SalespersonId);
            var result = form.UserId is { } id
                ? await Accounts.UpdateAsync(id, input, _me, CancellationToken.None)
                : await Accounts.CreateAsync(input, string.IsNullOrEmpty(form.Password) ? null : form.Password, _me, CancellationToken.None);
            if (!result.Succeeded)
            {
                _formErrors = [.. result.Errors];
                return;
            }

            _form = null;
            _formErrors = [];
            Say(form.UserId is null ? $"Created {result.Account!.Email}." : $"Saved {result.Account!.Email}.", Severity.Success);
            if (result.NewPassword is { } password)
            {
                _shownPassword = (result.Account!.Email, password);
            }

            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private Task<AccountResult?> SetDisabledAsync(AccountView account, bool disabled) =>
        RunAsync(() => Accounts.SetDisabledAsync(account.Id, disabled, _me, CancellationToken.None),
            disabled ? $"Disabled {account.Email}: it is signed out at its next request." : $"Enabled {account.Email}.");

    private Task<AccountResult?> UnlockAsync(AccountView account) =>
        RunAsync(() => Accounts.UnlockAsync(account.Id, _me, CancellationToken.None), $"Unlocked {account.Email}.");

    private async Task ResetPasswordAsync(AccountView account)
    {
        var result = await RunAsync(() => Accounts.ResetPasswordAsync(account.Id, null, _me, CancellationToken.None),
            $"New password for {account.Email}; the old one no longer works.");
        if (result?.NewPassword is { } password)
        {
            _shownPassword = (account.Email, password);
        }
    }

    private async Task<AccountResult?> RunAsync(Func<Task<AccountResult>> change, string done)
    {
        if (_busy)
        {
            return null;
        }

        _busy = true;
        try
        {
            _shownPassword = null;
            var result = await change();
            Say(result.Succeeded ? done : string.Join(" ", result.Errors), result.Succeeded ? Severity.Success : Severity.Error);
            await ReloadAsync();
            return result;
        }
        finally
        {
            _busy = false;
        }
    }

    private void Say(string text, Severity severity)
    {
        _status = text;
        _statusSeverity = severity;
    }

    private sealed class AccountForm
    {
        public int? UserId { get; init; }

        public string Email { get; set; } = string.Empty;

        public string? DisplayName { get; set; }

        public WallboardRole Role { get; set; }

        public int? SalespersonId { get; set; }

        public string? Password { get; set; }

        public HashSet<int> StoreIds { get; init; } = [];
    }
}
