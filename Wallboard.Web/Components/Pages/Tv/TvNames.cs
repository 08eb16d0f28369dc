namespace Wallboard.Web.Components.Pages.Tv;

/// <summary>
/// How the TV names people: first name and last initial ("Ryan K."), which fits the leaderboard
/// at any size and is read from across the showroom. Two people who would look the same keep
/// their whole names; a one-word name stays as it is.
/// </summary>
public static class TvNames
{
    public static IReadOnlyList<string> Of(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var shortNames = names.Select(FirstNameAndInitial).ToList();
        var clashes = shortNames.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        return shortNames.Select((n, i) => clashes.Contains(n) ? names[i].Trim() : n).ToList();
    }

    public static string FirstNameAndInitial(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words.Length < 2 ? name.Trim() : $"{words[0]} {char.ToUpperInvariant(words[^1][0])}.";
    }
}
