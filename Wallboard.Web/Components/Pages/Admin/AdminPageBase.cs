using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Wallboard.Web.Admin;

namespace Wallboard.Web.Components.Pages.Admin;

/// <summary>
/// What every admin screen and panel shares: who is signed in (the audit trail's actor) and the
/// messages of the last refused save, keyed by field so each shows next to its input.
/// </summary>
public abstract class AdminPageBase : ComponentBase
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
