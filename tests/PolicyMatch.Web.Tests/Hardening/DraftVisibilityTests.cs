using System.Net;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>A draft saved after a published version is not public by its number (issue 14, item 2).</summary>
public class DraftVisibilityTests(Portal portal) : IClassFixture<Portal>
{
    private async Task<(string Id, int Published, int Draft)> SaveDraftAsync()
    {
        var catalog = portal.Service<CatalogRepository>();
        var published = (await catalog.GetPublishedAndRetiredAsync())[0];
        var document = published.ToDocument() with { Summary = published.Summary + "(未发布的草稿)" };
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        await using var tx = await db.BeginTransactionAsync();
        await catalog.UpsertMeasureAsync(db, tx, document, published.PlanId, "admin@example.com", publish: false);
        await tx.CommitAsync();
        var state = (await catalog.GetMeasureStateAsync(published.MeasureId))!;
        return (published.MeasureId, (int)state.PublishedVersion!, (int)state.CurrentVersion);
    }

    [Fact]
    public async Task Anonymous_visitors_get_404_for_a_draft_version_and_the_published_one_still_shows()
    {
        var (id, published, draft) = await SaveDraftAsync();
        Assert.True(draft > published);
        using var client = portal.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/measures/{id}?version={draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/measures/{id}?version={draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/measures/{id}?version={published}")).StatusCode);
        var page = await client.GetStringAsync($"/measures/{id}");
        Assert.DoesNotContain("未发布的草稿", page);
        Assert.DoesNotContain("未发布的草稿", await client.GetStringAsync($"/api/measures/{id}"));
    }

    [Fact]
    public async Task Signed_in_company_users_cannot_see_drafts_but_administrators_can()
    {
        var (id, _, draft) = await SaveDraftAsync();
        using var user = await portal.SignInAsync(Roles.Company);
        await user.PageAsync($"/measures/{id}?version={draft}", HttpStatusCode.NotFound);
        using var admin = await portal.SignInAsync(Roles.Admin);
        var page = await admin.PageAsync($"/measures/{id}?version={draft}");
        Assert.Contains("未发布的草稿", page.Body!.TextContent);
    }
}
