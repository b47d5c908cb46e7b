using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>
/// Issue 11: a near miss shows what would change it — the failing criterion, the measure that helps meet
/// it, and the open call (notice) for that measure. A portal of its own: the notices are added before
/// the first page reads them.
/// </summary>
public sealed class HelperNoticeTests : IAsyncLifetime
{
    // 通州区, no 高新 certificate: a near miss on tz-tech-enterprise-ladder, helped by tz-hightech-cultivation-pool.
    private const string Tongzhou = "District=%E9%80%9A%E5%B7%9E%E5%8C%BA&Hightech=no&TechSme=no&SrdiLevel=none&Employees=12&AsOf=2026-06-01";
    private const string Helper = "tz-hightech-cultivation-pool";

    private readonly Portal _portal = new();

    public async Task InitializeAsync()
    {
        await using var db = await _portal.Service<IDbConnectionFactory>().OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        var catalog = _portal.Service<CatalogRepository>();
        NoticeDocument Notice(string id, string title, DateOnly? closes, params string[] measures) => new()
        {
            Id = id, Kind = "certification_call", Title = title, PublishedOn = new DateOnly(2026, 5, 1),
            Window = closes is null ? null : new ApplicationWindow(new DateOnly(2026, 5, 1), closes), Body = "测试通知(测试夹具)", Measures = measures,
        };
        await catalog.UpsertNoticeAsync(db, tx, Notice("test-open-call", "测试:培育库入库申报通知", new DateOnly(2026, 6, 30), Helper));
        await catalog.UpsertNoticeAsync(db, tx, Notice("test-closed-call", "测试:已截止的入库申报通知", new DateOnly(2026, 5, 20), Helper));
        await catalog.UpsertNoticeAsync(db, tx, Notice("test-other-call", "测试:与培育库无关的通知", new DateOnly(2026, 6, 30), "tz-tech-enterprise-ladder"));
        await tx.CommitAsync();
    }

    public Task DisposeAsync()
    {
        _portal.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_near_miss_links_the_open_call_of_its_helper_measure_not_a_closed_one()
    {
        var page = await _portal.PageAsync("/check?" + Tongzhou);
        var card = page.QuerySelector("section#near-miss article.match[data-measure='tz-tech-enterprise-ladder']")!;
        Assert.NotNull(card.QuerySelector($".helpers a[href='/measures/{Helper}']"));
        var open = card.QuerySelector(".helper-notices li[data-notice='test-open-call']");
        Assert.NotNull(open);
        Assert.Equal("/notices/test-open-call", open!.QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("2026-06-30", open.TextContent);
        Assert.Null(card.QuerySelector(".helper-notices li[data-notice='test-closed-call']"));
        // A notice of the near-miss measure itself is not a helper's call.
        Assert.Null(card.QuerySelector(".helper-notices li[data-notice='test-other-call']"));

        // The same result a day after the call closes: no call is offered.
        var later = await _portal.PageAsync("/check?" + Tongzhou.Replace("AsOf=2026-06-01", "AsOf=2026-07-01"));
        Assert.Empty(later.QuerySelectorAll("article.match[data-measure='tz-tech-enterprise-ladder'] .helper-notices li[data-notice^='test-']"));
    }
}
