using Wallboard.Domain.Stores;

namespace Wallboard.Web.Staffing;

/// <summary>
/// The TV's "next hour" line (docs/staffing.md), as the TV asks for it: <see cref="StaffingAdvisor"/>
/// in the app; component tests give their own.
/// </summary>
public interface INextHourStaffing
{
    /// <summary>The coming clock hour's expected calls and needed people, and who answered in the last hour; null for no such store.</summary>
    Task<NextHourStaffing?> NextHourAsync(int storeId, Department department, CancellationToken ct);
}
