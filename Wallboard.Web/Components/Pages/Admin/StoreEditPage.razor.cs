using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using NodaTime;
using Wallboard.Domain.Stores;
using Wallboard.Web.Admin;

namespace Wallboard.Web.Components.Pages.Admin;

public sealed partial class StoreEditPage
{
    private const string AnswerRateField = "Settings." + nameof(StoreSettings.AnswerRateTarget);
    private const string CadenceField = "Settings." + nameof(StoreSettings.CallbackCadence);

    private static readonly DayOfWeek[] WeekFromMonday =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private readonly List<HoursRow> _hours = [];
    private readonly List<ClosedRow> _closed = [];
    private List<BreadcrumbItem> _crumbs = [];
    private Store? _form;
    private int _answerRatePercent;
    private bool _notFound;
    private bool _saving;
    private bool _slugTouched;
    private string? _saved;
    private int _tab;
    private string _title = "Store";

    [Parameter]
    public int? Id { get; set; }

    [SupplyParameterFromQuery(Name = "created")]
    public int? Created { get; set; }

    [Inject]
    private StoresAdminService StoresAdmin { get; set; } = null!;

    [Inject]
    private NavigationManager Navigation { get; set; } = null!;

    protected override async Task OnParametersSetAsync()
    {
        ClearErrors();
        _saved = null;
        if (Id is { } id)
        {
            _form = await StoresAdmin.GetAsync(id, CancellationToken.None);
            _notFound = _form is null;
            _slugTouched = true;
            if (Created == 1)
            {
                _saved = "Store created, with the lead source \"Unknown\". Add its lead sources, tracking numbers and salespeople in the tabs below.";
            }
        }
        else
        {
            _form = new Store { Name = string.Empty, Slug = string.Empty, TimeZoneId = "America/Chicago" };
        }

        _title = _form is null ? "Store" : Id is null ? "New store" : _form.Name;
        _crumbs = [new("Admin", "admin"), new("Stores", "admin/stores"), new(_title, null, disabled: true)];
        if (_form is not null)
        {
            _answerRatePercent = (int)Math.Round(_form.Settings.AnswerRateTarget * 100);
            _hours.Clear();
            _hours.AddRange(_form.BusinessHours.OrderBy(h => h.Department).ThenBy(h => ((int)h.Day + 6) % 7).ThenBy(h => h.Opens)
                .Select(h => new HoursRow { Department = h.Department, Day = h.Day, Opens = Time(h.Opens), Closes = Time(h.Closes) }));
            _closed.Clear();
            _closed.AddRange(_form.ClosedDates.OrderBy(d => d.Date)
                .Select(d => new ClosedRow { Date = d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Name = d.Name }));
        }
    }

    private async Task SaveAsync()
    {
        if (_form is null || !ReadRows())
        {
            return;
        }

        _saving = true;
        _saved = null;
        try
        {
            var actor = await ActorAsync();
            if (Id is { } id)
            {
                var result = await Saving(StoresAdmin.UpdateAsync(actor, id, _form, CancellationToken.None));
                if (Accept(result))
                {
                    _saved = "Saved. The boards and call attribution use the new settings from now on.";
                    _title = _form.Name;
                }
            }
            else
            {
                var result = await Saving(StoresAdmin.CreateAsync(actor, _form, CancellationToken.None));
                if (Accept(result))
                {
                    Navigation.NavigateTo($"admin/stores/{result.Value!.Id}?created=1");
                }
            }
        }
        finally
        {
            _saving = false;
        }
    }

    // The rows are text while edited; a time or date that does not read is refused here, next to the hours.
    private bool ReadRows()
    {
        _form!.Settings.AnswerRateTarget = _answerRatePercent / 100.0;
        var hours = new List<BusinessHours>();
        foreach (var row in _hours)
        {
            if (!TryTime(row.Opens, out var opens) || !TryTime(row.Closes, out var closes))
            {
                Errors = new Dictionary<string, string> { ["Hours"] = $"{row.Day}: type opening and closing times as hh:mm." };
                _tab = 1;
                return false;
            }

            hours.Add(new BusinessHours { Department = row.Department, Day = row.Day, Opens = opens, Closes = closes });
        }

        var dates = new List<ClosedDate>();
        foreach (var row in _closed)
        {
            if (!DateOnly.TryParseExact(row.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Errors = new Dictionary<string, string> { ["ClosedDates"] = "Every closed date needs a date." };
                _tab = 1;
                return false;
            }

            dates.Add(new ClosedDate { Date = date, Name = row.Name ?? string.Empty });
        }

        _form.BusinessHours = hours;
        _form.ClosedDates = dates;
        return true;
    }

    private void SuggestSlug()
    {
        if (!_slugTouched && _form is not null && string.IsNullOrEmpty(_form.Slug))
        {
            _form.Slug = StoreValidation.SlugFrom(_form.Name);
        }
    }

    private void AddPeriod()
    {
        var last = _hours.LastOrDefault();
        _hours.Add(new HoursRow
        {
            Department = last?.Department ?? Department.Sales,
            Day = last is null ? DayOfWeek.Monday : (DayOfWeek)(((int)last.Day + 1) % 7),
            Opens = last?.Opens ?? "09:00",
            Closes = last?.Closes ?? "18:00",
        });
    }

    private void AddWeekdays()
    {
        foreach (var day in WeekFromMonday.Take(6))
        {
            _hours.Add(new HoursRow { Department = Department.Sales, Day = day, Opens = "09:00", Closes = "20:00" });
        }
    }

    private int GetSetting(string field) => field switch
    {
        nameof(StoreSettings.ShortAbandonSeconds) => _form!.Settings.ShortAbandonSeconds,
        nameof(StoreSettings.ServiceLevelSeconds) => _form!.Settings.ServiceLevelSeconds,
        nameof(StoreSettings.HoldWarningSeconds) => _form!.Settings.HoldWarningSeconds,
        nameof(StoreSettings.HoldLimitSeconds) => _form!.Settings.HoldLimitSeconds,
        nameof(StoreSettings.StaleCallMinutes) => _form!.Settings.StaleCallMinutes,
        nameof(StoreSettings.CallbackSlaMinutes) => _form!.Settings.CallbackSlaMinutes,
        nameof(StoreSettings.ManagerFollowUpMinutes) => _form!.Settings.ManagerFollowUpMinutes,
        nameof(StoreSettings.ClaimWindowMinutes) => _form!.Settings.ClaimWindowMinutes,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private void SetSetting(string field, int value)
    {
        var s = _form!.Settings;
        switch (field)
        {
            case nameof(StoreSettings.ShortAbandonSeconds): s.ShortAbandonSeconds = value; break;
            case nameof(StoreSettings.ServiceLevelSeconds): s.ServiceLevelSeconds = value; break;
            case nameof(StoreSettings.HoldWarningSeconds): s.HoldWarningSeconds = value; break;
            case nameof(StoreSettings.HoldLimitSeconds): s.HoldLimitSeconds = value; break;
            case nameof(StoreSettings.StaleCallMinutes): s.StaleCallMinutes = value; break;
            case nameof(StoreSettings.CallbackSlaMinutes): s.CallbackSlaMinutes = value; break;
            case nameof(StoreSettings.ManagerFollowUpMinutes): s.ManagerFollowUpMinutes = value; break;
            case nameof(StoreSettings.ClaimWindowMinutes): s.ClaimWindowMinutes = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(field), field, null);
        }
    }

    private static Task<IEnumerable<string>> SearchZones(string? text, CancellationToken ct)
    {
        var zones = DateTimeZoneProviders.Tzdb.Ids.Where(z => z.Contains('/', StringComparison.Ordinal));
        return Task.FromResult(string.IsNullOrWhiteSpace(text)
            ? zones.Where(z => z.StartsWith("America/", StringComparison.Ordinal))
            : zones.Where(z => z.Contains(text.Trim().Replace(' ', '_'), StringComparison.OrdinalIgnoreCase)));
    }

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static bool TryTime(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    private sealed class HoursRow
    {
        public Department Department { get; set; }

        public DayOfWeek Day { get; set; }

        public string? Opens { get; set; }

        public string? Closes { get; set; }
    }

    private sealed class ClosedRow
    {
        public string? Date { get; set; }

        public string? Name { get; set; }
    }
}
