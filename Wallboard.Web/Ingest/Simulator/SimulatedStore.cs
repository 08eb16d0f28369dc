using Wallboard.Domain.Stores;

namespace Wallboard.Web.Ingest.Simulator;

/// <summary>One number that rings the store, with the lead source and department it stands for.</summary>
public sealed record SimulatedLine(string Number, string Source, Department Department);

/// <summary>
/// What the simulator needs to know about a store: its calendar, the numbers callers dial, and
/// the phones of each department's hunt group as the phone system names them.
/// </summary>
public sealed record SimulatedStore(
    int Id,
    string Name,
    string Slug,
    StoreCalendar Calendar,
    TimeSpan ShortAbandon,
    IReadOnlyList<SimulatedLine> Lines,
    IReadOnlyList<string> SalesAgents,
    IReadOnlyList<string> ServiceAgents)
{
    /// <summary>The store's own area code (from its numbers), so most callers are local.</summary>
    public string AreaCode =>
        Lines.Select(l => l.Number)
            .FirstOrDefault(n => n.StartsWith("+1", StringComparison.Ordinal) && n.Length == 12)?[2..5]
        ?? "555";

    public IReadOnlyList<SimulatedLine> LinesOf(Department department) =>
        Lines.Where(l => l.Department == department).ToList();

    public IReadOnlyList<string> AgentsOf(Department department) =>
        department == Department.Sales ? SalesAgents : ServiceAgents;

    /// <summary>The PBX queue a department's calls wait in, e.g. <c>lakeside-toyota-sales</c>.</summary>
    public string GroupOf(Department department) =>
        $"{Slug}-{department.ToString().ToLowerInvariant()}";

    /// <summary>The voicemail box of a department.</summary>
    public string MailboxOf(Department department) => GroupOf(department);
}
