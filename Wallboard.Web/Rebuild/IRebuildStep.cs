using System.Diagnostics;
using System.Globalization;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Rebuild;

/// <summary>
/// One step of <c>rebuild</c>: recomputes one kind of derived data from what it is derived from,
/// store by store, in transactions of its own, so it is safe to run again after a crash. The steps
/// run in the order of <see cref="RebuildCommand.Steps"/>: each reads what the one before rebuilt.
/// </summary>
public interface IRebuildStep
{
    /// <summary>What the step rebuilds, as the progress lines and the summary name it.</summary>
    string Name { get; }

    /// <summary>Rebuilds for <paramref name="scope"/>; returns the step's line of the summary.</summary>
    Task<string> RunAsync(RebuildScope scope, RebuildProgress progress, CancellationToken ct);
}

/// <summary>
/// What a rebuild covers: the stores (every store, or the one of <c>--store</c>), the instant the
/// rebuild counts as now (today's board, the metrics windows), and whether it is the whole
/// database (then also events that have no call row at all are projected).
/// </summary>
public sealed record RebuildScope(IReadOnlyList<Store> Stores, bool WholeDatabase, DateTimeOffset Now);

/// <summary>
/// Progress on the terminal: a line per store and step when it starts, one every couple of seconds
/// while it runs (done of total, rate), and one when it is done.
/// </summary>
public sealed class RebuildProgress(TextWriter output)
{
    /// <summary>How often a running count prints a line.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Prints one line of a step.</summary>
    public void Line(string step, string text) => output.WriteLine($"{step,-15}{text}");

    /// <summary>Starts counting <paramref name="total"/> items (calls, call-backs…) of one store in one step.</summary>
    public Counter Start(string step, string what, long total, string unit) => new(this, step, what, total, unit);

    /// <summary>A running count: <see cref="Advance"/> as items are done, <see cref="Done"/> at the end.</summary>
    public sealed class Counter
    {
        private readonly RebuildProgress _progress;
        private readonly string _step;
        private readonly string _what;
        private readonly string _unit;
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private TimeSpan _printedAt;

        internal Counter(RebuildProgress progress, string step, string what, long total, string unit)
        {
            (_progress, _step, _what, Total, _unit) = (progress, step, what, total, unit);
            _progress.Line(_step, $"{_what}: {Total.ToString("N0", CultureInfo.InvariantCulture)} {_unit}");
        }

        public long Total { get; }

        public long Done { get; private set; }

        public TimeSpan Elapsed => _watch.Elapsed;

        /// <summary>Items per second so far.</summary>
        public double Rate => Done / Math.Max(_watch.Elapsed.TotalSeconds, 0.001);

        public void Advance(long items)
        {
            Done += items;
            if (_watch.Elapsed - _printedAt >= Interval)
            {
                _printedAt = _watch.Elapsed;
                var share = Total > 0 ? $" ({Math.Min(100, 100.0 * Done / Total).ToString("F0", CultureInfo.InvariantCulture)} %)" : string.Empty;
                _progress.Line(_step, $"{_what}: {N(Done)} of {N(Total)}{share}, {N((long)Rate)} {_unit}/s");
            }
        }

        /// <summary>Prints the store's last line of the step, with <paramref name="outcome"/> (what was corrected).</summary>
        public void Finish(string outcome) =>
            _progress.Line(_step, $"{_what}: {N(Done)} {_unit} in {_watch.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s ({N((long)Rate)} {_unit}/s){(outcome.Length > 0 ? $", {outcome}" : string.Empty)}");

        private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
    }
}
