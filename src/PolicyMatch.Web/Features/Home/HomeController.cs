using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Home;

public sealed record HomeView(ProfileFormView Check, int MeasureCount, int PlanCount, IReadOnlyList<NoticeRow> Notices, string Today);

/// <summary>Builds the home page; the quick check re-renders it with the form's errors.</summary>
public sealed class HomePage(CatalogCache catalog, CatalogRepository repository, TimeProvider clock)
{
    public async Task<HomeView> BuildAsync(ProfileFormView check, CancellationToken ct)
    {
        var measures = await catalog.GetPublishedAsync(ct);
        var plans = await repository.GetPlansAsync(ct);
        var notices = await repository.GetNoticesAsync(ct);
        return new HomeView(check, measures.Count, plans.Count, notices.Take(5).ToList(),
            BeijingTime.Today(clock).ToString("yyyy-MM-dd"));
    }
}

public sealed class HomeController(HomePage page) : Controller
{
    [HttpGet("/")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View("HomePage", await page.BuildAsync(ProfileFormView.Empty(), ct));
}
