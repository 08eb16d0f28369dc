using System.Text.RegularExpressions;

namespace Wallboard.Web.Ingest.Asterisk;

/// <summary>
/// One person shows up in a queue log under several spellings of the same phone: the real log has
/// <c>ADDMEMBER</c> for <c>Local/1127@callback-agent</c> and then every call event for <c>Agent/1127</c>, and a
/// blind transfer to the bare extension <c>1142</c>. Normalizing to the extension makes these one identity,
/// which is how a salesperson's phone-system identity is entered in the product (an extension, a member name).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>Tech/resource</c> (SIP, PJSIP, IAX2, Agent, Local, DAHDI…): the resource, cut at <c>@</c> (a
/// Local channel's dialplan context) and at <c>/</c> (Local's <c>/n</c> option), so <c>Local/101@from-queue/n</c>,
/// <c>SIP/101</c> and <c>PJSIP/101</c> are all <c>101</c>.</item>
/// <item>A channel name's unique suffix is dropped (<c>SIP/101-0000001a</c> → <c>101</c>) in case a
/// dialplan logs the channel instead of the interface.</item>
/// <item>Anything else (<c>membername</c> set to a person's name, "Jane Doe") is kept as written, trimmed.</item>
/// <item><c>NONE</c> and empty mean no member.</item>
/// </list>
/// </remarks>
internal static partial class QueueMemberNames
{
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*/(?<resource>[^@/]+)", RegexOptions.CultureInvariant)]
    private static partial Regex TechnologyPrefixed();

    [GeneratedRegex(@"-[0-9a-fA-F]{8}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelSuffix();

    /// <summary>The member as an identity, or null for <c>NONE</c>/empty.</summary>
    public static string? Normalize(string? member)
    {
        var trimmed = member?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var match = TechnologyPrefixed().Match(trimmed);
        if (!match.Success)
        {
            return trimmed;
        }

        var resource = ChannelSuffix().Replace(match.Groups["resource"].Value, string.Empty).Trim();
        return resource.Length == 0 ? trimmed : resource;
    }
}
