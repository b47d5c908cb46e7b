using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.WebEncoders;
using PolicyMatch.Rules;
using Microsoft.AspNetCore.Authentication.Cookies;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Documents;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Infrastructure.Mail;
using PolicyMatch.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The web root is the repository's top-level wwwroot/, copied next to the binaries on build and publish.
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

DapperSetup.Configure();

var services = builder.Services;
services.AddControllersWithViews(options =>
    {
        options.Filters.Add(new Microsoft.AspNetCore.Mvc.AutoValidateAntiforgeryTokenAttribute());
    })
    .AddRazorOptions(options =>
    {
        // Feature folders: a screen's controller, views and models live together.
        options.ViewLocationFormats.Clear();
        options.ViewLocationFormats.Add("/Features/{1}/{0}" + RazorViewEngine.ViewExtension);
        options.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
    })
    .AddJsonOptions(options =>
    {
        options.JsonSerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.JsonSerializerOptions.Encoder = JavaScriptEncoder.Create(UnicodeRanges.All);
    });
// Razor would escape every Chinese character to &#x…; — allow all of Unicode through unescaped.
services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
services.AddOpenApi();
services.AddProblemDetails();
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

services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.LoginPath = "/account/login";
        options.AccessDeniedPath = "/error/403";
        options.Cookie.Name = "PolicyMatch.Auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.SlidingExpiration = true;
        options.ExpireTimeSpan = TimeSpan.FromDays(7);
        // The API answers 401/403, never a redirect to a login page.
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
        options.Events.OnValidatePrincipal = SecurityStamps.ValidateAsync;
    });
services.AddAuthorization();
services.AddSharedDataProtection();

services.AddSingleton(TimeProvider.System);
services.AddSingleton<UserRepository>();
services.AddSingleton<AccountService>();
services.AddSingleton<CompanyRepository>();
services.AddSingleton<CompanyAccess>();
services.AddSingleton<VerificationRepository>();
services.AddSingleton<PersonalData>();
services.AddSingleton<PolicyMatch.Web.Features.Account.Registration>();
services.AddSingleton<IncubatorRepository>();
services.AddIncubatorFeature();
services.AddAuthoringFeature();
services.AddNoticesFeature(builder.Configuration);
services.AddDatabase(builder.Configuration);
services.AddSingleton<MigrationRunner>();
services.AddSingleton<StartupLock>();
services.Configure<SeedOptions>(builder.Configuration.GetSection("Seeds"));
services.AddSingleton<Seeder>();
services.AddSingleton<EligibilityEngine>();
services.AddSingleton<CatalogRepository>();
services.AddSingleton<SearchRepository>();
services.AddSingleton<CatalogCache>();
services.AddSingleton<CatalogImporter>();
services.AddSingleton<MatchService>();
services.AddSingleton<NoticeLinks>();
services.AddRematchFeature();
services.AddDocumentsFeature();
services.AddSingleton<PolicyMatch.Web.Features.Home.HomePage>();
services.AddSingleton(sp => Industries.Load(Path.Combine(
    sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<SeedOptions>>().Value.Directory, "reference", "gbt4754-2017-industries.tsv")));
services.AddSingleton<ProfileValidator>();
services.Configure<CatalogOptions>(builder.Configuration.GetSection("Catalog"));
services.AddMail(builder.Configuration);
services.AddJobs();
services.AddHardening(builder.Configuration);

var app = builder.Build();

if (args.FirstOrDefault() == AdminCommand.Name)
{
    // `dotnet run --project src/PolicyMatch.Web -- create-admin EMAIL "NAME"`: see AdminCommand.
    return await AdminCommand.RunAsync(app.Services, args.Skip(1).ToArray());
}

// Order matters: the schema first, then the catalog, and only then the job scheduler (a hosted
// service, started by app.Run) may touch the database.
using (var scope = app.Services.CreateScope())
await using (await scope.ServiceProvider.GetRequiredService<StartupLock>().AcquireAsync())
{
    await scope.ServiceProvider.GetRequiredService<MigrationRunner>().ApplyAsync();
    await scope.ServiceProvider.GetRequiredService<Seeder>().SeedAsync();
}

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error");
}
app.UseSecurityHeaders();
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseBadInputAs400();
app.UseFormInputChecks();
app.UseRequestLocalization();
app.Use(async (context, next) =>
{
    // ?lang=en (or zh-CN) switches the language for this request; the cookie keeps the choice.
    if (context.Request.Query["lang"].ToString() is "en" or "zh-CN" && context.Request.Query["lang"].ToString() is var lang)
    {
        context.Response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(lang)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
    }
    await next();
});
app.UseStaticFiles();
app.UseRouting();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.MapOpenApi();
app.MapControllers();
// Hangfire's dashboard: administrators only, answered like every other admin page for anyone else.
app.MapJobsDashboard("/admin/hangfire", Roles.Admin, backToSite: "/admin/jobs")
    .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.Admin });

app.Run();
return 0;

static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
{
    if (context.Request.Path.StartsWithSegments("/api"))
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
    context.Response.Redirect(context.RedirectUri);
    return Task.CompletedTask;
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
