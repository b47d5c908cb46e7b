using System.Globalization;
using PolicyMatch.Web.Infrastructure.Data;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Infrastructure.Time;

/// <summary>
/// Dates and times as the portal's users read them: Beijing time (UTC+8, no daylight saving).
/// Send times are entered and shown in it, "today" for eligibility is its date, every page shows times in it.
/// Shared by every feature, so it lives with the infrastructure, not in one feature.
/// </summary>
public static class BeijingTime
{
    public static readonly TimeZoneInfo Zone = Find();

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A machine without tz data: China has had no daylight saving since 1991.
            return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "Beijing", "CST");
        }
    }

    public static DateTimeOffset Of(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(Of(instant).DateTime);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>A wall-clock time in Beijing as an instant.</summary>
    public static DateTimeOffset FromLocal(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    /// <summary>Beijing wall-clock time to the minute, without the zone (a form field's value, an id).</summary>
    public static string Format(DateTimeOffset instant) => Of(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// The one way a page shows an instant: Beijing time with the zone named, "2026-12-05 07:30(北京时间)",
    /// "2026-12-05 07:30 (Beijing time)", whatever the server's own zone.
    /// </summary>
    public static string Show(DateTimeOffset instant) => Format(instant) + T("(北京时间)", " (Beijing time)");

    /// <summary>A stored instant (Stamp text, UTC) as <see cref="Show(DateTimeOffset)"/> shows it; empty for null, the text itself if it is not an instant.</summary>
    public static string Show(string? stamp) => Stamp.Parse(stamp) is { } t ? Show(t) : stamp ?? "";

    /// <summary>The Beijing date of a stored instant ("updated on 2026-12-05"); empty for null.</summary>
    public static string ShowDate(string? stamp) =>
        Stamp.Parse(stamp) is { } t ? DateOf(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : stamp ?? "";
}
