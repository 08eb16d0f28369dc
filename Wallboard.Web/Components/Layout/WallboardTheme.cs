using MudBlazor;

namespace Wallboard.Web.Components.Layout;

/// <summary>
/// One dark theme for every screen: a calm slate background that sits quietly on an office TV,
/// and green, amber and red kept for what they mean on a board (fine, watch it, act now).
/// </summary>
public static class WallboardTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteDark = new PaletteDark
        {
            Primary = "#5aa9e6",
            Secondary = "#8fa3b8",
            Tertiary = "#7c8cf8",
            Info = "#5aa9e6",
            Success = "#43c57a",
            Warning = "#f5b53f",
            Error = "#f25f5c",
            Background = "#0f161d",
            BackgroundGray = "#131c25",
            Surface = "#18222c",
            AppbarBackground = "#131c25",
            AppbarText = "#e6edf3",
            DrawerBackground = "#131c25",
            DrawerText = "#c9d4df",
            DrawerIcon = "#8fa3b8",
            TextPrimary = "#e6edf3",
            TextSecondary = "#9aabbc",
            ActionDefault = "#9aabbc",
            Divider = "#263442",
            LinesDefault = "#263442",
            TableLines = "#263442",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                // No web fonts are fetched: the TV and the office PCs use what they have.
                FontFamily = ["Inter", "Segoe UI", "Roboto", "Helvetica Neue", "Liberation Sans", "Arial", "sans-serif"],
            },
        },
    };
}
