using System.Buffers;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>
/// MVC's view and response writers take their char buffers from the portal's own pool (WebSetup), not
/// from ArrayPool&lt;char&gt;.Shared, whose few arrays per size made most of a long page's buffers new
/// allocations. MVC registers the shared pool only when none is registered, so the order matters.
/// </summary>
public class ViewWriterPoolTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task Views_are_written_through_the_portals_char_pool_and_long_pages_still_render_whole()
    {
        Assert.NotSame(ArrayPool<char>.Shared, portal.Service<ArrayPool<char>>());

        // The quick check of a 海淀区 company lists every measure of the catalog: a page of many buffers.
        var page = await portal.PageAsync("/check?District=%E6%B5%B7%E6%B7%80%E5%8C%BA&Employees=80&AsOf=2026-12-04");
        Assert.True(page.QuerySelectorAll("article.match").Length > 50);
        Assert.NotNull(page.QuerySelector("footer.site-footer"));
    }
}
