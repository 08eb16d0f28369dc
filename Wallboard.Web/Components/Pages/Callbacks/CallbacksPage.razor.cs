using MudBlazor;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Callbacks;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// The salesperson's call-back queue, made for a phone in one hand: the store's active
/// call-backs, most urgent first, one big tap to claim, a short form to log what happened. It
/// updates itself when any call-back of the store changes. The signed-in account says who is
/// working; an account with several stores picks one with <c>?store=</c>.
/// </summary>
public sealed partial class CallbacksPage
{
    private static readonly TimeSpan RelabelEvery = TimeSpan.FromSeconds(30);

    private PeriodicTimer? _relabel;
    private IReadOnlyList<CallbackView> _callbacks = [];
    private bool _mineOnly;
    private long? _formFor;
    private string? _formError;
    private string? _status;
    private Severity _statusSeverity = Severity.Info;

    private IReadOnlyList<CallbackView> All => _callbacks;

    private List<CallbackView> Mine => _callbacks.Where(c => c.ClaimedBySalespersonId is { } id && id == CurrentUser?.SalespersonId).ToList();

    private IReadOnlyList<CallbackView> Visible => _mineOnly ? Mine : All;

    private int Overdue => _callbacks.Count(c => c.Overdue);

    private int Actionable => _callbacks.Count(c => c.Status is CallbackStatus.Open or CallbackStatus.Claimed && !c.NoNumber);

    protected override async Task LoadAsync(int storeId, CancellationToken ct) =>
        _callbacks = await Queries.ListAsync(new CallbackFilter(storeId), ct);

    protected override void OnInteractive() => _ = RelabelAsync();

    // "12 min ago" and "due in 3 min" move on with the clock; nothing is read from the database.
    private async Task RelabelAsync()
    {
        _relabel = new PeriodicTimer(RelabelEvery, Time);
        try
        {
            while (await _relabel.WaitForNextTickAsync(Aborted))
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
        await RunAsync(ct => Commands.ClaimAsync(item.Id, CurrentUser!, ct), result => Answer(result, _ => Say($"Claimed. Call {Clock.Phone(item.Caller)} now.", Severity.Success)));
    }

    private async Task ReleaseAsync(CallbackView item)
    {
        await RunAsync(ct => Commands.ReleaseAsync(item.Id, CurrentUser!, ct), result => Answer(result, _ => Say("Released back to the pool.", Severity.Info)));
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
        await RunAsync(ct => Commands.LogAttemptAsync(item.Id, CurrentUser!, input, ct), result => Answer(result, done =>
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
        }, formErrors: true));
    }

    private void Answer(CallbackCommandResult result, Action<CallbackCommandResult> done, bool formErrors = false)
    {
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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _relabel?.Dispose();
        }

        base.Dispose(disposing);
    }
}
