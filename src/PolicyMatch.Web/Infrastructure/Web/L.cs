using System.Globalization;

namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>
/// The interface is Chinese first with English second. Each text is written in both languages at
/// the place it is used — <c>@T("企业名称", "Company name")</c> — and the request's UI culture (set by
/// the language switch: ?lang=en, kept in a cookie) picks one.
/// </summary>
public static class L
{
    public static bool English => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    public static string T(string zh, string en) => English ? en : zh;
}
