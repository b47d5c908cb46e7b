using System.Globalization;
using System.Text.RegularExpressions;

namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// The one reader of dates people type, shared by the profile forms (<see cref="ProfileValidator"/>) and the
/// tenant CSV import (Excel rewrites a typed 2019-05-01 as 2019/5/1 when it saves CSV, and people type
/// 2019.5.1 or 2019年5月1日): year first, month and day with one or two digits, separated by - / . or 年月日.
/// It tells a date written in another way (<see cref="DateProblem.Format"/>) from one written correctly that
/// does not exist, such as 2021-13-01 or 2031-02-30 (<see cref="DateProblem.Impossible"/>).
/// </summary>
public static partial class Dates
{
    public enum DateProblem { None, Format, Impossible }

    public static (DateOnly? Date, DateProblem Problem) Parse(string? value)
    {
        var m = value is null ? Match.Empty : Pattern().Match(value.Trim());
        if (!m.Success)
        {
            return (null, DateProblem.Format);
        }
        int Part(int group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
        var (year, month, day) = (Part(1), Part(2), Part(3));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return (null, DateProblem.Impossible);
        }
        return (new DateOnly(year, month, day), DateProblem.None);
    }

    /// <summary>The message for a date that did not parse, in the user's language.</summary>
    public static string Message(DateProblem problem, string? typed) => problem == DateProblem.Impossible
        ? Infrastructure.Web.L.T($"不存在的日期:{typed?.Trim()}(请核对月份和日)", $"There is no such date as {typed?.Trim()}: check the month and day")
        : Infrastructure.Web.L.T("日期格式应为 YYYY-MM-DD(也可写 2026/1/15 或 2026年1月15日)", "Enter a date as YYYY-MM-DD (2026/1/15 also works)");

    [GeneratedRegex(@"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")]
    private static partial Regex Pattern();
}
