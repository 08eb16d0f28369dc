using Wallboard.Domain.Stores;
using Wallboard.Web.Staffing;

namespace Wallboard.Tests.Components;

/// <summary>The TV's next-hour line as a test sets it: none until told, or a failure.</summary>
public sealed class FakeNextHourStaffing : INextHourStaffing
{
    /// <summary>The line every board gets.</summary>
    public NextHourStaffing? Line { get; set; }

    /// <summary>When set, asking fails with it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>The boards that asked, in order.</summary>
    public List<(int StoreId, Department Department)> Asked { get; } = [];

    public Task<NextHourStaffing?> NextHourAsync(int storeId, Department department, CancellationToken ct)
    {
        Asked.Add((storeId, department));
        return Failure is { } failure ? Task.FromException<NextHourStaffing?>(failure) : Task.FromResult(Line);
    }
}
