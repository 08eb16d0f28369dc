using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Tests.Components;

/// <summary>
/// The one bUnit context component tests inherit: MudBlazor's services, loose JS interop (MudBlazor
/// calls into JS that bUnit has no need to emulate) and the fakes for the app's own services.
/// </summary>
public abstract class WallboardTestContext : BunitContext, IAsyncLifetime
{
    protected WallboardTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IStoreDirectory>(Stores);
        Services.AddSingleton<Wallboard.Web.Staffing.INextHourStaffing>(NextHour);
        Auth = AddAuthorization();
    }

    protected FakeStoreDirectory Stores { get; } = new();

    /// <summary>The TV's next-hour line: none unless a test sets one.</summary>
    protected FakeNextHourStaffing NextHour { get; } = new();

    /// <summary>Who is signed in; nobody until a test says.</summary>
    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Signs in as the given principal (an account's or an API token's claims: they are the same).</summary>
    protected void SignInAs(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var name = principal.FindFirst(ClaimTypes.Name)?.Value ?? "someone";
        Auth.SetAuthorized(name);
        Auth.SetRoles(principal.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());
        Auth.SetClaims(principal.Claims.Where(c => c.Type is not (ClaimTypes.Name or ClaimTypes.Role)).ToArray());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that are only IAsyncDisposable: dispose asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
