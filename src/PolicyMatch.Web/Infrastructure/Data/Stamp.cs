namespace PolicyMatch.Web.Infrastructure.Data;

/// <summary>
/// The one writer and reader of stored instants: sortable ISO-8601 UTC text with milliseconds, the form
/// every table uses, so that text comparison in SQL is time order. (The catalog once wrote whole seconds:
/// a rematch started in the same second as a publication then compared as before it.)
/// </summary>
public static class Stamp
{
    public static string Of(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

    public static string Now(TimeProvider clock) => Of(clock.GetUtcNow());

    /// <summary>A stored instant; null for null or text that is not one.</summary>
    public static DateTimeOffset? Parse(string? stamp) =>
        DateTimeOffset.TryParse(stamp, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
