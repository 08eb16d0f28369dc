using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// What both call-back pages do around their own list: find who is signed in and which of their
/// stores to show (<c>?store=</c>; 403 for a store that is not theirs), read the store, reload
/// whenever a call-back of that store changes (a burst reloads once more at the end, not once per
/// change), run one command at a time, and let go of everything when the page goes.
/// </summary>
public abstract class CallbackStorePage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private StoreCalendar? _calendar;
    private Task? _reloading;
    private bool _reloadAgain;

    [Inject]
    protected CallbackUsers Users { get; set; } = null!;

    [Inject]
    protected CallbackQueries Queries { get; set; } = null!;

    [Inject]
    protected CallbackCommands Commands { get; set; } = null!;

    [Inject]
    protected ICallbackChangeNotifier Changes { get; set; } = null!;

    [Inject]
    protected TimeProvider Time { get; set; } = null!;

    [Inject]
    protected IStoreDirectory StoreDirectory { get; set; } = null!;

    [CascadingParameter]
    protected Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [CascadingParameter]
    protected HttpContext? HttpContext { get; set; }

    /// <summary>Which of the account's stores, when it has several.</summary>
    [SupplyParameterFromQuery(Name = "store")]
    public int? Store { get; set; }

    /// <summary>The signed-in account, when it may use this page.</summary>
    protected CallbackUser? CurrentUser { get; private set; }

    protected CallbackStoreInfo? CurrentStore { get; private set; }

    /// <summary>The account's stores, for the switcher.</summary>
    protected IReadOnlyList<StoreSummary> StoreChoices { get; private set; } = [];

    /// <summary>The store asked for is not one of the account's.</summary>
    protected bool NotAllowed { get; private set; }

    protected bool Loading { get; private set; } = true;

    /// <summary>The circuit is connected: buttons work from here on.</summary>
    protected bool Interactive { get; private set; }

    /// <summary>A command is running; another is not started until it is done.</summary>
    protected bool Busy { get; private set; }

    /// <summary>Cancelled when the page goes.</summary>
    protected CancellationToken Aborted => _cts.Token;

    protected CallbackClock Clock => new(_calendar!, CurrentStore!.CountryCode, Time.GetUtcNow());

    /// <summary>Whether this account may use the page at all (the manager's page: managers only).</summary>
    protected virtual bool MayUse(CallbackUser user) => true;

    /// <summary>Reads what the page lists for the store; runs on the circuit's dispatcher.</summary>
    protected abstract Task LoadAsync(int storeId, CancellationToken ct);

    /// <summary>Once the circuit is connected and the page is subscribed (a page's own timers start here).</summary>
    protected virtual void OnInteractive()
    {
    }

    protected override async Task OnInitializedAsync()
    {
        var user = await Users.FromPrincipalAsync((await AuthenticationState).User, Aborted);
        if (user is not null && MayUse(user))
        {
            CurrentUser = user;
            (StoreChoices, var chosen, var notAllowed) = await StoreChoice.ChooseAsync(StoreDirectory, user.MaySee, Store, Aborted);
            NotAllowed = notAllowed;
            if (notAllowed && HttpContext is { Response.HasStarted: false } http)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            if (chosen is { } storeId)
            {
                CurrentStore = await Queries.StoreAsync(storeId, Aborted);
                _calendar = CurrentStore is null ? null : new StoreCalendar(CurrentStore.TimeZoneId);
                await ReloadAsync();
            }
        }

        Loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        Interactive = true;
        if (CurrentStore is not null)
        {
            var storeId = CurrentStore.Id;
            _subscription = Changes.Subscribe(async changes =>
            {
                if (changes.Any(c => c.StoreId == storeId))
                {
                    await InvokeAsync(ReloadAndRenderAsync);
                }
            });
            OnInteractive();
        }

        StateHasChanged();
    }

    protected async Task ReloadAsync()
    {
        if (CurrentStore is null)
        {
            return;
        }

        // Everything here runs on the circuit's dispatcher, one piece at a time, so plain fields are enough.
        if (_reloading is { } running)
        {
            _reloadAgain = true;
            await running;
            return;
        }

        _reloading = ReloadUntilQuietAsync(CurrentStore.Id);
        try
        {
            await _reloading;
        }
        finally
        {
            _reloading = null;
        }
    }

    /// <summary>Runs a command unless one is running, hands its result to <paramref name="done"/>, and reloads.</summary>
    protected async Task RunAsync(Func<CancellationToken, Task<CallbackCommandResult>> command, Action<CallbackCommandResult> done)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(done);
        if (Busy)
        {
            return;
        }

        Busy = true;
        try
        {
            done(await command(Aborted));
            await ReloadAsync();
        }
        finally
        {
            Busy = false;
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _subscription?.Dispose();
            _cts.Cancel();
            _cts.Dispose();
        }
    }

    private async Task ReloadUntilQuietAsync(int storeId)
    {
        do
        {
            _reloadAgain = false;
            await LoadAsync(storeId, Aborted);
        }
        while (_reloadAgain);
    }

    private async Task ReloadAndRenderAsync()
    {
        try
        {
            await ReloadAsync();
            StateHasChanged();
        }
        catch (OperationCanceledException) when (_cts.IsCancellationRequested)
        {
            // The page is gone.
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }
}
