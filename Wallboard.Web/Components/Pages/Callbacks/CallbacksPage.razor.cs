using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Wallboard.Domain.Callbacks;
using Wallboard.Domain.Stores;
using Wallboard.Web.Callbacks;
using Wallboard.Web.Components.Shared;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// The salesperson's call-back queue, made for a phone in one hand: the store's active
/// call-backs, most urgent first, one big tap to claim, a short form to log what happened. It
/// updates itself when any call-back of the store changes. The signed-in account says who is
/// working; an account with several stores picks one with <c>?store=</c>.
/// </summary>
public sealed partial class CallbacksPage : IDisposable
{
    private static readonly TimeSpan RelabelEvery = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _cts = new();
    private IDisposable? _subscription;
    private PeriodicTimer? _relabel;
    private IReadOnlyList<CallbackView> _callbacks = [];
    private CallbackUser? _user;
    private IReadOnlyList<StoreSummary> _stores = [];
    private bool _notAllowed;
    private CallbackStoreInfo? _store;
    private StoreCalendar? _calendar;
    private bool _loading = true;
    private bool _interactive;
    private bool _busy;
    private bool _mineOnly;
    private long? _formFor;
    private string? _formError;
    private string? _status;
    private Severity _statusSeverity = Severity.Info;
    private Task? _reloading;
    private bool _reloadAgain;

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

    private IReadOnlyList<CallbackView> All => _callbacks;

    private List<CallbackView> Mine => _callbacks.Where(c => c.ClaimedBySalespersonId is { } id && id == _user?.SalespersonId).ToList();

    private IReadOnlyList<CallbackView> Visible => _mineOnly ? Mine : All;

    private int Overdue => _callbacks.Count(c => c.Overdue);

    private int Actionable => _callbacks.Count(c => c.Status is CallbackStatus.Open or CallbackStatus.Claimed && !c.NoNumber);

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        _user = await Users.FromPrincipalAsync(principal, _cts.Token);
        if (_user is not null)
        {
            (_stores, var chosen, _notAllowed) = await StoreChoice.ChooseAsync(StoreDirectory, _user.MaySee, Store, _cts.Token);
            if (_notAllowed && HttpContext is { Response.HasStarted: false } http)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            }

            if (chosen is { } storeId)
            {
            _store = await Queries.StoreAsync(storeId, _cts.Token);
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
            _ = RelabelAsync();
        }

        StateHasChanged();
    }

    private async Task ReloadAsync()
    {
        if (_store is null)
        {
            return;
        }

        // A burst of changes reloads once more at the end, not once per change. Everything here
        // runs on the circuit's dispatcher, one piece at a time, so plain fields are enough.
        if (_reloading is { } running)
        {
            _reloadAgain = true;
            await running;
            return;
        }

        _reloading = ReloadUntilQuietAsync(_store.Id);
        try
        {
            await _reloading;
        }
        finally
        {
            _reloading = null;
        }
    }

    private async Task ReloadUntilQuietAsync(int storeId)
    {
        do
        {
            _reloadAgain = false;
            _callbacks = await Queries.ListAsync(new CallbackFilter(storeId), _cts.Token);
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

    // "12 min ago" and "due in 3 min" move on with the clock; nothing is read from the database.
    private async Task RelabelAsync()
    {
        _relabel = new PeriodicTimer(RelabelEvery, Time);
        try
        {
            while (await _relabel.WaitForNextTickAsync(_cts.Token))
            {
                await InvokeAsync(StateHasChanged);
            }
        }
        catch (OperationCanceledException)
        {
            // The page is gone.
        }
    }

    private async Task ClaimAsync(CallbackView item)
    {
        await RunAsync(() => Commands.ClaimAsync(item.Id, _user!, _cts.Token), _ => Say($"Claimed. Call {Clock.Phone(item.Caller)} now.", Severity.Success));
    }

    private async Task ReleaseAsync(CallbackView item)
    {
        await RunAsync(() => Commands.ReleaseAsync(item.Id, _user!, _cts.Token), _ => Say("Released back to the pool.", Severity.Info));
    }

    private void OpenForm(CallbackView item)
    {
        _formFor = item.Id;
        _formError = null;
    }

    private void CloseForm()
    {
        _formFor = null;
        _formError = null;
    }

    private async Task LogAttemptAsync(CallbackView item, AttemptInput input)
    {
        await RunAsync(() => Commands.LogAttemptAsync(item.Id, _user!, input, _cts.Token), done =>
        {
            CloseForm();
            var after = done.Callback;
            Say(after?.Status switch
            {
                CallbackStatus.Completed => $"Done: {input.Outcome.Describe()}.",
                CallbackStatus.Scheduled when after.NextAttemptAt is { } next => $"{input.Outcome.Describe()} logged. Next try {Clock.At(next)}.",
                CallbackStatus.Unreached => "Logged. That was the last try: closed as unreached.",
                _ => "Logged.",
            }, Severity.Success);
        }, formErrors: true);
    }

    private async Task RunAsync(Func<Task<CallbackCommandResult>> command, Action<CallbackCommandResult> done, bool formErrors = false)
    {
        if (_busy)
        {
            return;
        }

        _busy = true;
        try
        {
            var result = await command();
            if (result.IsDone)
            {
                done(result);
            }
            else if (formErrors && result.Result.Refusal == CallbackRefusal.Invalid)
            {
                _formError = result.Result.Reason;
            }
            else
            {
                CloseForm();
                Say(result.Result.HeldBy is { } holder ? $"{holder} got it first." : Refusal(result), Severity.Warning);
            }

            await ReloadAsync();
        }
        finally
        {
            _busy = false;
        }
    }

    private static string Refusal(CallbackCommandResult result) => result.Status switch
    {
        CallbackCommandStatus.NotFound => "That call-back no longer exists.",
        CallbackCommandStatus.OtherStore => "That call-back belongs to another store.",
        _ => result.Result.Reason,
    };

    private void Say(string text, Severity severity)
    {
        _status = text;
        _statusSeverity = severity;
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _cts.Cancel();
        _cts.Dispose();
        _relabel?.Dispose();
    }
}
