using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Wallboard.Web.Admin;

namespace Wallboard.Web.Components.Pages.Admin;

/// <summary>
/// What every admin screen and panel shares: who is signed in (the audit trail's actor) and the
/// messages of the last refused save, keyed by field so each shows next to its input.
/// </summary>
public abstract partial class AdminPageBase : ComponentBase
{
    private static readonly IReadOnlyDictionary<string, string> NoErrors = new Dictionary<string, string>();

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    protected IReadOnlyDictionary<string, string> Errors { get; set; } = NoErrors;

    /// <summary>True once the circuit is live (never while prerendering): browser tests wait for it.</summary>
    protected bool Interactive { get; private set; }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            Interactive = true;
            StateHasChanged();
        }
    }

    /// <summary>What a save says when another save of the same value won the race.</summary>
    public const string ChangedBySomeoneElse =
        "This was changed by someone else at the same moment, so your change was not saved. Your form is kept: check it and save again.";

    [Inject]
    private ILogger<AdminPageBase> Logger { get; set; } = null!;

    [Inject]
    private MudBlazor.IDialogService Dialogs { get; set; } = null!;

    /// <summary>Asks before an act that cannot be undone (revoke, delete): true only when the admin says yes.</summary>
    protected async Task<bool> ConfirmAsync(string title, string message, string yes)
    {
        var answer = await Dialogs.ShowMessageBoxAsync(title, message, yesText: yes, cancelText: "Cancel");
        return answer == true;
    }

    /// <summary>
    /// A save, with the one failure no check before it can rule out: another admin saved the same
    /// unique value (a slug, a number, an identity) at the same instant, and the database refused
    /// the second. That becomes a message on the form, which is kept, instead of an exception that
    /// ends the circuit.
    /// </summary>
    protected async Task<AdminResult> Saving(Task<AdminResult> save)
    {
        ArgumentNullException.ThrowIfNull(save);
        try
        {
            return await save;
        }
        catch (DbUpdateException ex)
        {
            LogSaveRefused(Logger, GetType().Name, ex.InnerException?.Message ?? ex.Message);
            return AdminResult.Invalid(AdminResult.General, ChangedBySomeoneElse);
        }
    }

    /// <inheritdoc cref="Saving(Task{AdminResult})"/>
    protected async Task<AdminResult<T>> Saving<T>(Task<AdminResult<T>> save)
    {
        ArgumentNullException.ThrowIfNull(save);
        try
        {
            return await save;
        }
        catch (DbUpdateException ex)
        {
            LogSaveRefused(Logger, GetType().Name, ex.InnerException?.Message ?? ex.Message);
            return AdminResult.Invalid<T>(AdminResult.General, ChangedBySomeoneElse);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admin save on {Page} refused by the database (a concurrent change): {Reason}")]
    private static partial void LogSaveRefused(ILogger logger, string page, string reason);

    protected bool HasError(string field) => Errors.ContainsKey(field);

    protected string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>The message about the whole form, if any.</summary>
    protected string? GeneralError => Errors.GetValueOrDefault(AdminResult.General);

    protected void ClearErrors() => Errors = NoErrors;

    /// <summary>Keeps a result's messages for the form; true when the save went through.</summary>
    protected bool Accept(AdminResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Errors = result.Succeeded ? NoErrors : result.Errors;
        return result.Succeeded;
    }

    /// <summary>The signed-in account's name (its e-mail), which the audit trail records.</summary>
    protected async Task<string> ActorAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        return state?.User.Identity?.Name ?? "unknown";
    }
}
