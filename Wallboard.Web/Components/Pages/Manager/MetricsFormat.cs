using System.Globalization;

namespace Wallboard.Web.Components.Pages.Manager;

/// <summary>How the manager's screens write figures: "—" for nothing to show.</summary>
public static class MetricsFormat
{
    public static string Percent(double? fraction) =>
        fraction is { } f ? string.Create(CultureInfo.InvariantCulture, $"{f * 100:0.#} %") : "—";

    public static string Seconds(double? seconds) =>
        seconds is { } s ? Wallboard.Domain.Calls.CallTimeline.Duration(TimeSpan.FromSeconds(s)) : "—";

    public static string Minutes(double? minutes) =>
        minutes is { } m ? string.Create(CultureInfo.InvariantCulture, $"{m:0.#} min") : "—";

    public static string Count(double value) =>
        value.ToString(value % 1 == 0 ? "N0" : "N1", CultureInfo.InvariantCulture);
}
