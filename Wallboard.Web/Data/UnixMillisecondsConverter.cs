using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Wallboard.Web.Data;

/// <summary>
/// Stores instants as UTC milliseconds since 1970. SQLite has no date type, and text dates with
/// offsets cannot be compared in SQL; an integer column sorts, compares and indexes the same on
/// SQLite and PostgreSQL, and is 8 bytes a row on tables of tens of millions of events.
/// </summary>
public sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.ToUnixTimeMilliseconds(),
    v => DateTimeOffset.FromUnixTimeMilliseconds(v));
