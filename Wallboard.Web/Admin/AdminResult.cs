namespace Wallboard.Web.Admin;

/// <summary>
/// What an admin change came to: done, or refused with messages keyed by the field they are about
/// (the key <see cref="General"/> for a message about the whole form), so a screen shows each
/// next to its field.
/// </summary>
public class AdminResult
{
    public const string General = "";

    protected AdminResult(IReadOnlyDictionary<string, string> errors) => Errors = errors;

    public IReadOnlyDictionary<string, string> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    public static AdminResult Done { get; } = new(new Dictionary<string, string>());

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    public static AdminResult Invalid(IReadOnlyDictionary<string, string> errors) => new(errors);

    public static AdminResult Invalid(string field, string message) => new(new Dictionary<string, string> { [field] = message });

    public static AdminResult<T> Ok<T>(T value) => new(value, new Dictionary<string, string>());

    public static AdminResult<T> Invalid<T>(IReadOnlyDictionary<string, string> errors) => new(default, errors);

    public static AdminResult<T> Invalid<T>(string field, string message) => new(default, new Dictionary<string, string> { [field] = message });
}

/// <summary>An admin change that hands something back (the new record, or a secret shown once).</summary>
public sealed class AdminResult<T> : AdminResult
{
    internal AdminResult(T? value, IReadOnlyDictionary<string, string> errors)
        : base(errors) => Value = value;

    public T? Value { get; }
}
