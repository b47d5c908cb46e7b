using System.Net;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>Pages through the real pipeline, parsed with AngleSharp.</summary>
public class PageTests(Portal portal) : IClassFixture<Portal>
{
    // A 海淀 company that is a valid 高新技术企业 on the as-of date, 专精特新, with patents and a joint lab.
    private const string RichProfile =
        "District=%E6%B5%B7%E6%B7%80%E5%8C%BA&Zones=%E4%B8%AD%E5%85%B3%E6%9D%91%E7%A7%91%E5%AD%A6%E5%9F%8E" +
        "&EstablishedOn=2018-03-01&Employees=80&RevenueLastYear=50000000&RdExpenseLastYear=4000000&Hightech=yes" +
        "&HightechIssuedOn=2023-12-01&HightechExpiresOn=2026-11-30&TechSme=yes&TechSmeYear=2025&SrdiLevel=specialized_sme" +
        "&ListingStatus=intends&InventionPatents=6&UniversityJointLab=yes&PostdocWorkstation=yes&AsOf=2025-06-01";

    [Fact]
    public async Task The_home_page_offers_the_quick_check_in_Chinese_unescaped()
    {
        var page = await portal.PageAsync("/");
        Assert.Contains("政策计算器", page.Body!.TextContent);
        var form = page.QuerySelector("form[action='/check']")!;
        Assert.NotNull(form.QuerySelector("select[name=District] option[value='昌平区']"));
        Assert.Equal(18, form.QuerySelectorAll("select[name=District] option[value]:not([value=''])").Length);
        using var client = portal.CreateClient();
        var raw = await client.GetStringAsync("/");
        Assert.Contains("政策计算器", raw); // not &#x653F;…
    }

    [Fact]
    public async Task The_stylesheet_is_served_from_the_top_level_wwwroot()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/css/site.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType?.MediaType);
        var css = await response.Content.ReadAsStringAsync();
        Assert.Equal(File.ReadAllText(Path.Combine(Repo.Root, "wwwroot", "css", "site.css")), css);
    }

    [Fact]
    public async Task The_quick_check_groups_every_published_measure()
    {
        var page = await portal.PageAsync("/check?" + RichProfile);
        // Current measures by group, then upcoming, not eligible and expired (collapsed): each measure once.
        var groups = new[] { "section#eligible", "section#needs-info", "section#near-miss", "section#upcoming", "details#not-eligible", "details#expired" };
        var counts = groups.Select(g => page.QuerySelectorAll($"{g} article.match").Length).ToList();
        var total = (await portal.Service<PolicyMatch.Web.Features.Catalog.CatalogCache>().GetPublishedAsync()).Count;
        Assert.Equal(total, counts.Sum());
        Assert.True(counts[0] > 0, "a rich 海淀 profile should be eligible for something");
        var first = page.QuerySelector("section#eligible article.match")!;
        Assert.Matches(@"满足 (\d+) / \1 项条件", first.TextContent);
        Assert.NotNull(first.QuerySelector(".badge.kind"));
        Assert.NotNull(first.QuerySelector(".badge.period"));
        Assert.Contains("2025-06-01", page.QuerySelector(".summary")!.TextContent);
    }

    [Fact]
    public async Task Needs_information_lists_the_facts_to_supply()
    {
        var page = await portal.PageAsync("/check?District=%E6%98%8C%E5%B9%B3%E5%8C%BA&AsOf=2024-06-01");
        var needs = page.QuerySelectorAll("section#needs-info article.match");
        Assert.NotEmpty(needs);
        Assert.All(needs, n => Assert.NotNull(n.QuerySelector(".missing")));
        Assert.NotNull(page.QuerySelector("aside.supply li"));
    }

    [Fact]
    public async Task Invalid_input_re_renders_the_form_with_what_was_typed_and_a_message_per_field()
    {
        var page = await portal.PageAsync("/check?District=%E6%98%8C%E5%B9%B3%E5%8C%BA&Employees=abc&Uscc=91110000600037341X&EstablishedOn=2019%2F05%2F32&AsOf=yesterday",
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("abc", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
        Assert.Equal("91110000600037341X", page.QuerySelector("input[name=Uscc]")!.GetAttribute("value"));
        Assert.Equal("2019/05/32", page.QuerySelector("input[name=EstablishedOn]")!.GetAttribute("value"));
        Assert.Equal("yesterday", page.QuerySelector("input[name=AsOf]")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("select[name=District] option[value='昌平区'][selected]"));
        Assert.Contains("整数", page.QuerySelector("#err-employees")!.TextContent);
        Assert.Contains("校验位", page.QuerySelector("#err-uscc")!.TextContent);
        Assert.Contains("不存在的日期", page.QuerySelector("#err-established_on")!.TextContent); // 2019/05/01 is accepted now (issue 14 item 12)
        Assert.Equal(4, page.QuerySelectorAll(".error-summary li").Length);
    }

    [Fact]
    public async Task A_measure_page_shows_each_criterion_with_its_result_and_the_source_clause()
    {
        var check = await portal.PageAsync("/check?" + RichProfile);
        var link = check.QuerySelector("section#eligible article.match h3 a")!.GetAttribute("href")!;
        var page = await portal.PageAsync(link);
        var criteria = page.QuerySelectorAll("li.criterion");
        Assert.NotEmpty(criteria);
        Assert.All(criteria, c => Assert.Equal("✓", c.QuerySelector(".mark")!.TextContent));
        var source = page.QuerySelector("section.source")!;
        Assert.False(string.IsNullOrWhiteSpace(source.QuerySelector("blockquote")!.TextContent));
        var planLink = source.QuerySelector("a")!.GetAttribute("href")!;
        Assert.Matches("^/plans/\\d{3}#c-", planLink);

        // The clause anchor exists on the plan page and lists the measure back.
        var plan = await portal.PageAsync(planLink[..planLink.IndexOf('#')]);
        var anchor = Uri.UnescapeDataString(planLink[(planLink.IndexOf('#') + 1)..]);
        var clause = plan.GetElementById(anchor);
        Assert.NotNull(clause);
        Assert.Contains(source.QuerySelector("blockquote")!.TextContent.Trim()[..10], clause!.TextContent);
        Assert.NotNull(clause.QuerySelector($".clause-measures a[href='{link[..link.IndexOf('?')]}']"));
    }

    [Fact]
    public async Task A_measure_page_marks_unknown_criteria_with_a_question_mark()
    {
        var page = await portal.PageAsync("/measures/" + await FirstMeasureWithCriteria() + "?District=%E6%98%8C%E5%B9%B3%E5%8C%BA&AsOf=2024-06-01");
        Assert.Contains(page.QuerySelectorAll("li.criterion .mark"), m => m.TextContent is "?" or "✗" or "✓");
    }

    [Fact]
    public async Task Unknown_pages_and_measures_are_404_in_the_users_language()
    {
        var page = await portal.PageAsync("/measures/no-such-measure", HttpStatusCode.NotFound);
        Assert.Contains("找不到", page.Body!.TextContent);
        await portal.PageAsync("/plans/999", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_language_switch_renders_English_and_remembers_it()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/?lang=en");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Quick check", html);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.Contains(".AspNetCore.Culture"));
    }

    [Fact]
    public async Task The_plan_reader_lists_every_plan_with_clause_anchors()
    {
        var index = await portal.PageAsync("/plans");
        Assert.Equal(9, index.QuerySelectorAll("ul.plan-list li").Length); // five plans and the four notices of plan 000
        var plan = await portal.PageAsync("/plans/000");
        Assert.NotNull(plan.GetElementById("c-二(一)3"));
        Assert.NotNull(plan.QuerySelector("#c-二\\(一\\)3 .clause-measures a"));
    }

    [Fact]
    public async Task The_coverage_report_shows_each_plans_clauses_with_their_measures()
    {
        using var admin = await portal.SignInAsync(PolicyMatch.Web.Features.Account.Roles.Admin);
        var page = await admin.PageAsync("/plans/coverage");
        Assert.Equal(9, page.QuerySelectorAll("section.coverage").Length);
        Assert.NotEmpty(page.QuerySelectorAll("tr.covered"));
    }

    private async Task<string> FirstMeasureWithCriteria() =>
        (await portal.Service<PolicyMatch.Web.Features.Catalog.CatalogCache>().GetPublishedAsync())
            .First(m => m.Rules.Criteria.Count >= 2).Row.MeasureId;
}
