using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// The manager's view of a store's call-backs (§6, §9): filter by status, salesperson and source,
/// escalated ones highlighted, and for the one selected its missed calls, attempts and audit
/// trail, with reassign and close. The signed-in manager's stores; one with several (or an admin)
/// picks the store with <c>?store=</c>.
/// </summary>
public sealed partial class ManageCallbacksPage : IDisposable
{
    private static readonly (string Value, string Text)[] StatusChoices =
    [
        ("active", "Active"), ("overdue", "Overdue"), ("escalated", "Escalated"),
        ("Open", "Open"), ("Claimed", "Claimed"), ("Scheduled", "Waiting for next try"),
        ("Completed", "Completed"), ("Unreached", "Unreached"), ("Closed", "Closed by a manager"), ("all", "All"),
    ];

    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private IReadOnlyList<CallbackView> _callbacks = [];
    private (int Active, int Overdue, int Escalated) _totals;
    private CallbackDetail? _detail;
    private CallbackUser? _user;
    private IReadOnlyList<StoreSummary> _stores = [];
    private bool _notAllowed;
    private CallbackStoreInfo? _store;
    private StoreCalendar? _calendar;
    private string _statusFilter = "active";
    private int? _salesperson;
    private int? _source;
    private bool _loading = true;
    private bool _interactive;
    private bool _busy;
    private string? _statusText;
    private Severity _statusSeverity = Severity.Info;

    [Inject]
    private CallbackUsers Users { get; set; } = null!;

    [Inject]
    private CallbackQueries Queries { get; set; } = null!;

    [Inject]
    private CallbackCommands Commands { get; set; } = null!;

    [Inject]
    private ICallbackChangeNotifier Changes { get; set; } = null!;

    [Inject]
    private TimeProvider Time { get; set; } = null!;

    [Inject]
    private IStoreDirectory StoreDirectory { get; set; } = null!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = null!;

    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    /// <summary>Which of the account's stores, when it has several.</summary>
    [SupplyParameterFromQuery(Name = "store")]
    public int? Store { get; set; }

    private CallbackClock Clock => new(_calendar!, _store!.CountryCode, Time.GetUtcNow());

    protected override async Task OnInitializedAsync()
    {
        var user = await Users.FromPrincipalAsync((await AuthenticationState).User, _cts.Token);
        if (user is { IsManager: true })
        {
            _user = user;
            (_stores, var chosen, _notAllowed) = await StoreChoice.ChooseAsync(StoreDirectory, user.MaySee, Store, _cts.Token);
            if (_notAllowed && HttpContext is { Response.HasStarted: false } http)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            if (chosen is { } id)
            {
                _store = await Queries.StoreAsync(id, _cts.Token);
                _calendar = _store is null ? null : new StoreCalendar(_store.TimeZoneId);
                await ReloadAsync();
            }
        }

        _loading = false;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _interactive = true;
        if (_store is not null)
        {
            var storeId = _store.Id;
            _subscription = Changes.Subscribe(async changes =>
            {
                if (changes.Any(c => c.StoreId == storeId))
                {
                    await InvokeAsync(ReloadAndRenderAsync);
                }
            });
        }

        StateHasChanged();
    }

    private CallbackFilter Filter()
    {
        var filter = new CallbackFilter(_store!.Id) { Salesperson = _salesperson, SourceId = _source };
        return _statusFilter switch
        {
            "active" => filter,
            "overdue" => filter with { OverdueOnly = true },
            "escalated" => filter with { EscalatedOnly = true },
            "all" => filter with { Statuses = Enum.GetValues<CallbackStatus>() },
            _ => filter with { Statuses = [Enum.Parse<CallbackStatus>(_statusFilter)] },
        };
    }

    private async Task ReloadAsync()
    {
        if (_store is null)
        {
            return;
        }

        _callbacks = await Queries.ListAsync(Filter(), _cts.Token);
        var active = _statusFilter == "active" && _salesperson is null && _source is null
            ? _callbacks
            : await Queries.ListAsync(new CallbackFilter(_store.Id), _cts.Token);
        _totals = (active.Count, active.Count(c => c.Overdue), active.Count(c => c.Escalated));
        if (_detail is not null)
        {
            _detail = await Queries.DetailAsync(_detail.Callback.Id, _cts.Token);
        }
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

    private async Task SetStatusAsync(string value)
    {
        _statusFilter = value;
        await ReloadAsync();
    }

    private async Task SetSalespersonAsync(int? value)
    {
        _salesperson = value;
        await ReloadAsync();
    }

    private async Task SetSourceAsync(int? value)
    {
        _source = value;
        await ReloadAsync();
    }

    private async Task SelectAsync(long id) => _detail = await Queries.DetailAsync(id, _cts.Token);

    private string RowClass(CallbackView item, int index) => string.Join(' ',
        item.Escalated && item.IsActive ? "wb-mg-escalated" : string.Empty,
        item.Overdue ? "wb-mg-overdue" : string.Empty,
        _detail?.Callback.Id == item.Id ? "wb-mg-selected" : string.Empty).Trim();

    private Task ReassignAsync(long id, int salespersonId, string? reason) =>
        RunAsync(() => Commands.ReassignAsync(id, _user!, salespersonId, reason, _cts.Token), done => $"Assigned to {done.Callback?.ClaimedBy}.");

    private Task CloseAsync(long id, string? reason) =>
        RunAsync(() => Commands.CloseAsync(id, _user!, reason, _cts.Token), _ => "Closed.");

    private async Task RunAsync(Func<Task<CallbackCommandResult>> command, Func<CallbackCommandResult, string> done)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await command();
            (_statusText, _statusSeverity) = result.IsDone ? (done(result), Severity.Success) : (result.Result.Reason, Severity.Warning);
            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
    }
}
