using Microsoft.AspNetCore.Components;
using MudBlazor;
using Wallboard.Domain.Callbacks;
using Wallboard.Web.Callbacks;

namespace Wallboard.Web.Components.Pages.Callbacks;

/// <summary>
/// The manager's view of a store's call-backs (§6, §9): filter by status, salesperson and source,
/// escalated ones highlighted, and for the one selected its missed calls, attempts and audit
/// trail, with reassign and close. The signed-in manager's stores; one with several (or an admin)
/// picks the store with <c>?store=</c>. <c>?callback=</c> opens that call-back at once, whatever
/// the filter shows: the link alerts and the daily digest send.
/// </summary>
public sealed partial class ManageCallbacksPage
{
    private static readonly (string Value, string Text)[] StatusChoices =
    [
        ("active", "Active"), ("overdue", "Overdue"), ("escalated", "Escalated"),
        ("Open", "Open"), ("Claimed", "Claimed"), ("Scheduled", "Waiting for next try"),
        ("Completed", "Completed"), ("Unreached", "Unreached"), ("Closed", "Closed by a manager"), ("all", "All"),
    ];

    private IReadOnlyList<CallbackView> _callbacks = [];
    private (int Active, int Overdue, int Escalated) _totals;
    private CallbackDetail? _detail;
    private string _statusFilter = "active";
    private int? _salesperson;
    private int? _source;
    private string? _statusText;
    private Severity _statusSeverity = Severity.Info;

    private bool _linkedOpened;

    /// <summary>The call-back to open, from an alert's or the digest's link.</summary>
    [SupplyParameterFromQuery(Name = "callback")]
    public long? Callback { get; set; }

    protected override bool MayUse(CallbackUser user) => user.IsManager;

    private CallbackFilter Filter(int storeId)
    {
        var filter = new CallbackFilter(storeId) { Salesperson = _salesperson, SourceId = _source };
        return _statusFilter switch
        {
            "active" => filter,
            "overdue" => filter with { OverdueOnly = true },
            "escalated" => filter with { EscalatedOnly = true },
            "all" => filter with { Statuses = Enum.GetValues<CallbackStatus>() },
            _ => filter with { Statuses = [Enum.Parse<CallbackStatus>(_statusFilter)] },
        };
    }

    protected override async Task LoadAsync(int storeId, CancellationToken ct)
    {
        _callbacks = await Queries.ListAsync(Filter(storeId), ct);
        var active = _statusFilter == "active" && _salesperson is null && _source is null
            ? _callbacks
            : await Queries.ListAsync(new CallbackFilter(storeId), ct);
        _totals = (active.Count, active.Count(c => c.Overdue), active.Count(c => c.Escalated));
        if (_detail is not null)
        {
            _detail = await Queries.DetailAsync(_detail.Callback.Id, ct);
        }
        else if (!_linkedOpened && Callback is { } linked)
        {
            // Once: closing the panel afterwards is the manager's choice. A call-back of another
            // store (a link edited by hand) opens nothing.
            _linkedOpened = true;
            var detail = await Queries.DetailAsync(linked, ct);
            _detail = detail?.Callback.StoreId == storeId ? detail : null;
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

    private async Task SelectAsync(long id) => _detail = await Queries.DetailAsync(id, Aborted);

    private string RowClass(CallbackView item, int index) => string.Join(' ',
        item.Escalated && item.IsActive ? "wb-mg-escalated" : string.Empty,
        item.Overdue ? "wb-mg-overdue" : string.Empty,
        _detail?.Callback.Id == item.Id ? "wb-mg-selected" : string.Empty).Trim();

    private Task ReassignAsync(long id, int salespersonId, string? reason) =>
        RunAsync(ct => Commands.ReassignAsync(id, CurrentUser!, salespersonId, reason, ct), result => Answer(result, $"Assigned to {result.Callback?.ClaimedBy}."));

    private Task CloseAsync(long id, string? reason) =>
        RunAsync(ct => Commands.CloseAsync(id, CurrentUser!, reason, ct), result => Answer(result, "Closed."));

    private void Answer(CallbackCommandResult result, string done) =>
        (_statusText, _statusSeverity) = result.IsDone ? (done, Severity.Success) : (result.Result.Reason, Severity.Warning);
}
