namespace Wallboard.Domain.Metrics;

public static class Median
{
    /// <summary>The median of the values (the mean of the middle two for an even count), or null for none.</summary>
    public static double? Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
