using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// Dates and times as the portal's users read them: Beijing time (UTC+8, no daylight saving).
/// Send times are entered and shown in it, "today" for eligibility is its date.
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

    public static string Format(DateTimeOffset instant) => Of(instant).ToString("yyyy-MM-dd HH:mm");

    /// <summary>A stored timestamp (Stamp format, UTC) shown in Beijing time; empty for null.</summary>
    public static string Format(string? stamp) => Stamp.Parse(stamp) is { } t ? Format(t) : "";
}
