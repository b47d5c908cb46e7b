using System.Text;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>
/// An iCalendar (RFC 5545) file of the dates a company should not miss: for each measure it is eligible
/// for now, the day applications close (or, where the source states no window, the last day of the
/// measure's period), and the closing day of each notice about those measures. All-day events; UIDs are
/// stable, so re-importing the file updates the events instead of doubling them.
/// </summary>
public static class DeadlineCalendar
{
    public static byte[] Build(MatchReport report, IReadOnlyList<NoticeDocument> notices, DateTimeOffset now, string name, Func<string, string> url)
    {
        var eligible = report.Current(MatchGroup.Eligible).ToList();
        var ics = new StringBuilder();
        Line(ics, "BEGIN:VCALENDAR");
        Line(ics, "VERSION:2.0");
        Line(ics, "PRODID:-//PolicyMatch//Deadlines//ZH");
        Line(ics, "CALSCALE:GREGORIAN");
        Line(ics, "METHOD:PUBLISH");
        Line(ics, "X-WR-CALNAME:" + Escape(name));
        Line(ics, "X-WR-TIMEZONE:Asia/Shanghai");
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var item in eligible)
        {
            var m = item.Measure;
            var (date, what) = m.WindowCloses is { } closes
                ? (closes, T("申报截止", "Applications close"))
                : m.PeriodTo is { } to ? (to, T("政策执行期截止", "Measure ends")) : (default(DateOnly?), "");
            if (date is { } d)
            {
                Event(ics, $"measure-{m.MeasureId}-{d:yyyyMMdd}@policymatch", stamp, d, $"{what}:{m.Title}",
                    $"{m.Summary}\n{T("责任单位", "Departments")}:{string.Join("、", m.Departments)}", url("/measures/" + Uri.EscapeDataString(m.MeasureId)));
            }
        }
        var ids = eligible.Select(i => i.Measure.MeasureId).ToHashSet();
        foreach (var n in notices.Where(n => n.Window?.Closes is not null && n.Measures.Any(ids.Contains)))
        {
            var d = n.Window!.Closes!.Value;
            Event(ics, $"notice-{n.Id}-{d:yyyyMMdd}@policymatch", stamp, d, $"{T("通知申报截止", "Notice window closes")}:{n.Title}", n.Body, url("/notices/" + Uri.EscapeDataString(n.Id)));
        }
        Line(ics, "END:VCALENDAR");
        return Encoding.UTF8.GetBytes(ics.ToString());
    }

    private static void Event(StringBuilder ics, string uid, string stamp, DateOnly day, string summary, string description, string link)
    {
        Line(ics, "BEGIN:VEVENT");
        Line(ics, "UID:" + Escape(uid));
        Line(ics, "DTSTAMP:" + stamp);
        Line(ics, "DTSTART;VALUE=DATE:" + day.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
        Line(ics, "DTEND;VALUE=DATE:" + day.AddDays(1).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
        Line(ics, "SUMMARY:" + Escape(summary));
        Line(ics, "DESCRIPTION:" + Escape(description + "\n" + link));
        Line(ics, "URL:" + link);
        Line(ics, "TRANSP:TRANSPARENT");
        Line(ics, "END:VEVENT");
    }

    /// <summary>TEXT values escape backslash, semicolon, comma and newline (RFC 5545 3.3.11).</summary>
    internal static string Escape(string text) =>
        text.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\r\n", "\n").Replace("\n", "\\n");

    /// <summary>
    /// A content line, folded so no line is longer than 75 octets of UTF-8 (RFC 5545 3.1): a Chinese
    /// character is 3 octets, so folding by characters would break the limit. Never splits a character.
    /// </summary>
    internal static void Line(StringBuilder ics, string line)
    {
        var octets = 0;
        var limit = 75;
        for (var n = 0; n < line.Length; n++)
        {
            var c = line[n];
            var size = char.IsHighSurrogate(c) ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
            if (octets + size > limit)
            {
                ics.Append("\r\n ");
                octets = 1; // the leading space of a continuation line counts
            }
            ics.Append(c);
            if (char.IsHighSurrogate(c) && n + 1 < line.Length)
            {
                ics.Append(line[++n]);
            }
            octets += size;
        }
        ics.Append("\r\n");
    }
}
