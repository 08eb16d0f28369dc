using System.Security.Cryptography;
using System.Text;
using Wallboard.Domain.Phones;

namespace Wallboard.Web.Privacy;

/// <summary>
/// The install's secret for anonymizing callers: a number's pseudonym is a keyed hash
/// (HMAC-SHA256) of its E.164 form, so the same number always gets the same pseudonym (repeat and
/// unique callers still count right) while nobody without the key can test a guess against it.
/// The key is kept in a file of its own, made on first use; losing it only means numbers
/// anonymized later no longer match the ones anonymized before.
/// </summary>
public sealed class PrivacyKey
{
    public const string DefaultFileName = "privacy.key";

    private readonly byte[] _key;

    public PrivacyKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("The key must be at least 32 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>The number's pseudonym under this install's key.</summary>
    public string Pseudonym(string e164)
    {
        ArgumentException.ThrowIfNullOrEmpty(e164);
        return CallerPseudonym.FromBytes(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(e164)));
    }

    /// <summary>A pseudonym tied to nothing, for an erase: the erased calls still count as one caller, but no one can link them to the number again.</summary>
    public static string RandomPseudonym() => CallerPseudonym.FromBytes(RandomNumberGenerator.GetBytes(10));

    /// <summary>Reads the key file, or makes it (32 random bytes, readable by the app's user only) when there is none.</summary>
    public static PrivacyKey LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }

        var text = File.ReadAllText(path).Trim();
        try
        {
            return new PrivacyKey(Convert.FromBase64String(text));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"The anonymization key file '{path}' is damaged: it must hold at least 32 bytes in base64.", ex);
        }
    }
}
