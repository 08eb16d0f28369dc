using System.Globalization;
using System.Text;

namespace Wallboard.Web.Cluster;

/// <summary>What kind of change a <see cref="ChangeMessage"/> names.</summary>
public enum ChangeKind
{
    /// <summary>Calls, by id (ingest, privacy erasure).</summary>
    Calls = 'c',

    /// <summary>Call-backs, by id (commands, intake, sweep).</summary>
    Callbacks = 'b',

    /// <summary>Stored metrics snapshots, as <c>store.window</c>.</summary>
    Metrics = 'm',

    /// <summary>A store's settings, sources or people, by store id (admin).</summary>
    Store = 's',

    /// <summary>Tracking numbers, hunt groups or agent identities (admin); no ids.</summary>
    Attribution = 'a',

    /// <summary>An integration or its secret (admin); no ids.</summary>
    Integrations = 'i',

    /// <summary>Revoked display links, by id (admin).</summary>
    DisplayLinkRevoked = 'r',
}

/// <summary>
/// One <c>NOTIFY</c> payload between app nodes: <c>node|kind|id,id,…</c>, ASCII, ids only (every node
/// reads what it needs from the database by id). PostgreSQL refuses payloads of 8,000 bytes or more,
/// so a long list is cut into several messages of at most <see cref="MaxPayloadBytes"/>.
/// </summary>
public sealed record ChangeMessage(string Node, ChangeKind Kind, IReadOnlyList<string> Items)
{
    /// <summary>PostgreSQL's limit is 8,000 bytes; leave room for the channel name and framing.</summary>
    public const int MaxPayloadBytes = 7_800;

    /// <summary>The payloads that carry <paramref name="items"/> (one with no items when there are none).</summary>
    public static IEnumerable<string> Encode(string node, ChangeKind kind, IEnumerable<string> items)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        ArgumentNullException.ThrowIfNull(items);
        var prefix = $"{node}|{(char)kind}|";
        var payload = new StringBuilder(prefix);
        foreach (var item in items)
        {
            if (item.Length == 0 || item.Length + prefix.Length > MaxPayloadBytes || item.Any(c => c is ',' or '|' || c > 127))
            {
                throw new ArgumentException($"'{item}' cannot be carried in a change message.", nameof(items));
            }

            var extra = (payload.Length > prefix.Length ? 1 : 0) + item.Length;
            if (payload.Length + extra > MaxPayloadBytes)
            {
                yield return payload.ToString();
                payload.Clear().Append(prefix);
            }

            if (payload.Length > prefix.Length)
            {
                payload.Append(',');
            }

            payload.Append(item);
        }

        yield return payload.ToString();
    }

    /// <summary>The message in a payload, or null when it is not one (a stray <c>NOTIFY</c> on the channel).</summary>
    public static ChangeMessage? TryDecode(string payload)
    {
        var parts = payload.Split('|');
        if (parts.Length != 3 || parts[0].Length == 0 || parts[1].Length != 1 || !Enum.IsDefined((ChangeKind)parts[1][0]))
        {
            return null;
        }

        var items = parts[2].Length == 0 ? [] : parts[2].Split(',');
        return items.Any(i => i.Length == 0) ? null : new ChangeMessage(parts[0], (ChangeKind)parts[1][0], items);
    }

    /// <summary>The items read as numbers; items that are not are left out.</summary>
    public IEnumerable<long> Ids() => Items
        .Select(i => long.TryParse(i, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null)
        .OfType<long>();
}
