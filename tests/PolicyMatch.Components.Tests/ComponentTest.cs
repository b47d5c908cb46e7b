using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Web.Components;

namespace PolicyMatch.Components.Tests;

/// <summary>
/// A bUnit context in one of the portal's two languages. Components read the request's UI culture
/// (L.T), as the views do, so a test chooses it here; the culture is put back afterwards.
/// </summary>
public abstract class ComponentTest : BunitContext
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    protected ComponentTest()
    {
        // The app's encoder (Program.cs): all of Unicode passes, so Chinese is written as characters.
        Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        Services.AddLogging();
        Services.AddPortalComponents();
        Language("zh-CN");
    }

    protected static void Language(string name)
    {
        CultureInfo.CurrentCulture = new CultureInfo(name);
        CultureInfo.CurrentUICulture = new CultureInfo(name);
    }

    protected override void Dispose(bool disposing)
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        base.Dispose(disposing);
    }
}
