using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.WebEncoders;

namespace PolicyMatch.Web.Infrastructure.Web;

public static class WebSetup
{
    /// <summary>
    /// MVC as the portal uses it: antiforgery on every form, views in feature folders
    /// (<see cref="FeatureViewLocations"/>), snake_case JSON with Chinese unescaped, Chinese first with
    /// English by <c>?lang=en</c>.
    /// </summary>
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        // MVC takes the pages of its view writer (1,024 chars each) and its response writer's buffers from
        // the ArrayPool<char> in the container, by default ArrayPool<char>.Shared. A list rendered by a
        // component is written synchronously, all of it into such pages before they are flushed: tens of
        // pages per list, and the shared pool keeps few arrays of one size per core, so under load most
        // pages were new arrays — a fifth of the matches page's allocations (301 KB a request; 246 KB with
        // this pool, measured with dotnet-counters). Registered before MVC, which only adds its default
        // when none is there. At most 256 arrays per size up to 16K chars are kept.
        services.AddSingleton(ArrayPool<char>.Create(maxArrayLength: 16 * 1024, maxArraysPerBucket: 256));
        services.AddControllersWithViews(options => options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddRazorOptions(options =>
            {
                // Feature folders: a screen's controller, views and models live together.
                options.ViewLocationFormats.Clear();
                options.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
                options.ViewLocationExpanders.Add(new FeatureViewLocations());
            })
            .AddJsonOptions(options =>
            {
                options.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
                options.JsonSerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
            });
        // Razor would escape every Chinese character to &#x…; — allow all of Unicode through unescaped.
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = new[] { new CultureInfo("zh-CN"), new CultureInfo("en") };
            options.DefaultRequestCulture = new RequestCulture("zh-CN");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider { QueryStringKey = "lang", UIQueryStringKey = "lang" },
                new CookieRequestCultureProvider(),
            ];
        });
        return services;
    }
}
