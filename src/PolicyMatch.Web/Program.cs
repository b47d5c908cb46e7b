using Microsoft.AspNetCore.Localization;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.ApiDocs;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Documents;
using PolicyMatch.Web.Features.Errors;
using PolicyMatch.Web.Features.Home;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Features.Search;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Jobs;
using PolicyMatch.Web.Infrastructure.Mail;
using PolicyMatch.Web.Infrastructure.Time;
using PolicyMatch.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    // The web root is the repository's top-level wwwroot/, copied next to the binaries on build and publish.
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

DapperSetup.Configure();

var services = builder.Services;
var configuration = builder.Configuration;

// The platform: the web stack and its shared components, the clock, the database, mail, background jobs, request limits.
services.AddPortalWeb();
services.AddPortalComponents();
services.AddClock();
services.AddDatabase(configuration);
services.AddSharedDataProtection();
services.AddMail(configuration);
services.AddJobs();
services.AddHardening(configuration);

// The features, each registering its own services and jobs (Features/<Name>/<Name>Feature.cs).
services.AddAccountFeature();
services.AddAdminFeature();
services.AddCompaniesFeature();
services.AddCatalogFeature(configuration);
services.AddSearchFeature();
services.AddProfilesFeature();
services.AddMatchingFeature();
services.AddHomeFeature();
services.AddIncubatorsFeature();
services.AddAuthoringFeature();
services.AddDocumentsFeature();
services.AddNoticesFeature(configuration);
services.AddRematchFeature();
services.AddApiDocsFeature();
services.AddErrorsFeature();

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

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
