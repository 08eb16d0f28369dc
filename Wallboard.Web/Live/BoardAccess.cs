using System.Globalization;
using System.Security.Claims;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Live;

/// <summary>Who may see which board, and in which form (§9).</summary>
public static class BoardAccess
{
    /// <summary>
    /// A display token sees its own store's department, masked; a manager or admin sees the boards
    /// of their stores with full numbers; anyone else (a salesperson, no token) sees none: null.
    /// </summary>
    public static BoardAudience? AudienceFor(ClaimsPrincipal user, BoardKey key)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (user.IsInRole(DisplayLink.RoleName))
        {
            var store = user.FindFirst(BearerTokenAuthentication.StoreClaim)?.Value;
            var department = user.FindFirst(BearerTokenAuthentication.DepartmentClaim)?.Value;
            return int.TryParse(store, CultureInfo.InvariantCulture, out var id) && id == key.StoreId
                && Enum.TryParse<Department>(department, out var d) && d == key.Department
                ? BoardAudience.PublicScreen
                : null;
        }

        return (user.IsInRole(nameof(WallboardRole.Manager)) || user.IsInRole(nameof(WallboardRole.Admin))) && user.MaySee(key.StoreId)
            ? BoardAudience.Staff
            : null;
    }

    /// <summary>Reads a department's name ("Sales", any case); Sales when none is given.</summary>
    public static bool TryParseDepartment(string? text, out Department department)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            department = Department.Sales;
            return true;
        }

        return Enum.TryParse(text, ignoreCase: true, out department) && Enum.IsDefined(department) && !text.Any(char.IsAsciiDigit);
    }
}
