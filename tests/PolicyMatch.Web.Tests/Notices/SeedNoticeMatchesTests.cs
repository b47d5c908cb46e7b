using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// Issue 12 item 5: the four Changping notices, each a document with its own measure, appear on a Changping
/// 高新/专精特新 company's matches page — and not on a Tongzhou company's with the same qualifications.
/// </summary>
public class SeedNoticeMatchesTests(Portal portal) : IClassFixture<Portal>
{
    private const string Qualifications = "&Hightech=yes&HightechIssuedOn=2024-12-02&HightechExpiresOn=2027-12-01&SrdiLevel=specialized_sme&Unicorn=no&Employees=50&AsOf=2025-05-01";

    private static readonly string[] SeededNotices =
        ["cp-2025-unicorn-srdi-funds-claim", "cp-2025-hightech-funds-claim", "cp-2025-hightech-certification-batch1", "cp-2025-hightech-certificates-2024-batch2"];

    [Fact]
    public async Task A_changping_hightech_srdi_company_sees_the_four_notices_on_its_matches_page()
    {
        var page = await portal.PageAsync("/check?District=" + Uri.EscapeDataString("昌平区") + Qualifications);
        var shown = page.QuerySelectorAll("article.notice-card").Select(a => a.GetAttribute("data-notice")).ToList();
        Assert.All(SeededNotices, id => Assert.Contains(id, shown));
        // Each card links to the notice page.
        Assert.All(SeededNotices, id => Assert.NotNull(page.QuerySelector($"article.notice-card[data-notice='{id}'] a[href='/notices/{id}']")));
    }

    [Fact]
    public async Task A_tongzhou_company_with_the_same_qualifications_sees_none_of_them()
    {
        var page = await portal.PageAsync("/check?District=" + Uri.EscapeDataString("通州区") + Qualifications);
        var shown = page.QuerySelectorAll("article.notice-card").Select(a => a.GetAttribute("data-notice")).ToList();
        Assert.All(SeededNotices, id => Assert.DoesNotContain(id, shown));
    }
}
