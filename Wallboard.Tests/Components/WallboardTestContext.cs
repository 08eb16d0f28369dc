using Bunit;
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
    }

    protected FakeStoreDirectory Stores { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that are only IAsyncDisposable: dispose asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
