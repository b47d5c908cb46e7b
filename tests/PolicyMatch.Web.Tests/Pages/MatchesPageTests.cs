using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Pages;

/// <summary>
/// The matches page as a company acts on it (issue 11): current measures first and counted alone,
/// expired ones collapsed for reference, filters, a what-if that keeps the profile, a calendar.
/// </summary>
public class MatchesPageTests(Portal portal) : IClassFixture<Portal>
{
    // 朝阳区, an AI company, judged on 2026-12-04: most seeded measures have expired by then.
    private const string Chaoyang = "District=%E6%9C%9D%E9%98%B3%E5%8C%BA&FocusAreas=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&Employees=30&AsOf=2026-12-04";

    // 通州区, no 高新 certificate, not a 科技型中小企业, no 专精特新 level: a near miss on the 科技企业梯队
    // criterion of tz-tech-enterprise-ladder, and eligible for the 高新技术企业培育库 (tz-hightech-cultivation-pool).
    private const string Tongzhou = "District=%E9%80%9A%E5%B7%9E%E5%8C%BA&Hightech=no&TechSme=no&SrdiLevel=none&Employees=12&AsOf=2026-06-01";

    private static string Enc(string s) => Uri.EscapeDataString(s);

    [Fact]
    public async Task No_expired_measure_is_inside_eligible_and_the_headline_counts_only_current_ones()
    {
        var page = await portal.PageAsync("/check?" + Chaoyang);
        var asOf = new DateOnly(2026, 12, 4);
        var catalog = (await portal.Service<CatalogCache>().GetPublishedAsync()).ToDictionary(m => m.Row.MeasureId, m => m.Row);
        foreach (var section in new[] { "eligible", "needs-info", "near-miss" })
        {
            var cards = page.QuerySelectorAll($"section#{section} article.match");
            Assert.All(cards, c => Assert.Equal(PeriodStatus.InForce, catalog[c.GetAttribute("data-measure")!].PeriodStatusOn(asOf)));
            Assert.Equal(cards.Length.ToString(), page.QuerySelector($".summary a.count.{section} strong")!.TextContent);
        }
        var expired = page.QuerySelectorAll("details#expired article.match");
        Assert.NotEmpty(expired);
        Assert.All(expired, c => Assert.Equal(PeriodStatus.Expired, catalog[c.GetAttribute("data-measure")!].PeriodStatusOn(asOf)));
        Assert.Null(page.QuerySelector("details#expired")!.GetAttribute("open"));
        Assert.Contains("已到期,供参考", page.QuerySelector("details#expired summary")!.TextContent);
        Assert.Equal(catalog.Count, page.QuerySelectorAll("article.match").Length);
    }

    [Fact]
    public async Task The_page_opens_with_the_judged_profile_and_the_links_to_keep_it()
    {
        var page = await portal.PageAsync("/check?" + Chaoyang);
        var summary = page.QuerySelector(".profile-summary")!;
        Assert.Equal("朝阳区", summary.QuerySelector("[data-fact=district] dd")!.TextContent);
        Assert.Equal("人工智能", summary.QuerySelector("[data-fact=focus_areas] dd")!.TextContent);
        Assert.Equal("30", summary.QuerySelector("[data-fact=employees] dd")!.TextContent);
        Assert.Contains("未填写", summary.TextContent);
        Assert.StartsWith("/check/edit?", summary.QuerySelector("a[href^='/check/edit']")!.GetAttribute("href"));
        Assert.StartsWith("/check/calendar.ics?", summary.QuerySelector("a[href^='/check/calendar.ics']")!.GetAttribute("href"));
        Assert.Equal("/check?" + Chaoyang, summary.QuerySelector("a[rel=bookmark]")!.GetAttribute("href"));
    }

    [Fact]
    public async Task The_api_states_the_grouping_and_counts_only_current_measures()
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync("/api/match", new StringContent(
            """{ "profile": { "district": "朝阳区", "focus_areas": ["人工智能"] }, "as_of": "2026-12-04" }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var results = body["results"]!.AsArray();
        var standings = results.Select(r => (string)r!["standing"]!).ToList();
        // Current first, then upcoming, then expired.
        Assert.Equal(standings.OrderBy(s => s switch { "current" => 0, "upcoming" => 1, _ => 2 }).ToList(), standings);
        Assert.Contains("expired", standings);
        var counts = body["grouping"]!["counts"]!;
        Assert.Equal("current", (string)body["grouping"]!["counts_cover"]!);
        foreach (var group in new[] { "eligible", "needs_information", "near_miss", "not_eligible" })
        {
            Assert.Equal(results.Count(r => (string)r!["standing"]! == "current" && (string)r["group"]! == group), (int)counts[group]!);
        }
        Assert.True(results.Count(r => (string)r!["group"]! == "eligible") > (int)counts["eligible"]!,
            "expired measures the profile would meet exist and must not be counted as eligible");
        Assert.Equal(results.Count, standings.Count(s => s == "expired") + (int)body["grouping"]!["standings"]!["current"]! + (int)body["grouping"]!["standings"]!["upcoming"]!);
    }

    [Fact]
    public async Task The_what_if_form_opens_with_every_judged_fact_and_resubmits_without_error()
    {
        var rich = "Name=%E5%8C%97%E4%BA%AC%E6%B5%8B%E8%AF%95&District=%E6%B5%B7%E6%B7%80%E5%8C%BA&Zones=%E4%B8%AD%E5%85%B3%E6%9D%91%E7%A7%91%E5%AD%A6%E5%9F%8E" +
            "&IndustryCode=6513&FocusAreas=%E4%BA%BA%E5%B7%A5%E6%99%BA%E8%83%BD&EstablishedOn=2018-03-01&Employees=80&RevenueLastYear=50000000&RdExpenseLastYear=4000000" +
            "&Hightech=yes&HightechIssuedOn=2023-12-01&HightechExpiresOn=2026-11-30&TechSme=yes&TechSmeYear=2025&SrdiLevel=specialized_sme&Unicorn=no&Gazelle=yes" +
            "&ListingStatus=intends&InventionPatents=6&PostdocWorkstation=yes&UniversityJointLab=yes&IncubatorTenant=no&UniversitySpinoff=no&AsOf=2025-06-01";
        var check = await portal.PageAsync("/check?" + rich);
        var edit = await portal.PageAsync(check.QuerySelector("a[href^='/check/edit']")!.GetAttribute("href")!);
        var form = edit.QuerySelector("form[action='/check']")!;
        Assert.Equal("北京测试", form.QuerySelector("input[name=Name]")!.GetAttribute("value"));
        Assert.NotNull(form.QuerySelector("select[name=District] option[value='海淀区'][selected]"));
        Assert.NotNull(form.QuerySelector("input[name=Zones][value='中关村科学城'][checked]"));
        Assert.NotNull(form.QuerySelector("input[name=FocusAreas][value='人工智能'][checked]"));
        foreach (var (name, value) in new[] { ("IndustryCode", "6513"), ("EstablishedOn", "2018-03-01"), ("Employees", "80"), ("RevenueLastYear", "50000000"),
            ("RdExpenseLastYear", "4000000"), ("HightechIssuedOn", "2023-12-01"), ("HightechExpiresOn", "2026-11-30"), ("TechSmeYear", "2025"), ("InventionPatents", "6"), ("AsOf", "2025-06-01") })
        {
            Assert.Equal(value, form.QuerySelector($"input[name={name}]")!.GetAttribute("value"));
        }
        foreach (var (name, value) in new[] { ("Hightech", "yes"), ("TechSme", "yes"), ("SrdiLevel", "specialized_sme"), ("Unicorn", "no"), ("Gazelle", "yes"),
            ("ListingStatus", "intends"), ("PostdocWorkstation", "yes"), ("UniversityJointLab", "yes"), ("IncubatorTenant", "no"), ("UniversitySpinoff", "no") })
        {
            Assert.NotNull(form.QuerySelector($"select[name={name}] option[value='{value}'][selected]"));
        }
        Assert.Equal(rich, form.QuerySelector("input[name=was]")!.GetAttribute("value"));

        // Submitted unchanged, it is the same result, with an empty difference.
        var again = await portal.PageAsync("/check?" + rich + "&was=" + Enc(rich));
        Assert.Contains("企业信息没有变化", again.QuerySelector("section.diff")!.TextContent);
        Assert.Equal(check.QuerySelectorAll("section#eligible article.match").Length, again.QuerySelectorAll("section#eligible article.match").Length);
    }

    [Fact]
    public async Task A_changed_fact_shows_the_new_result_with_the_difference()
    {
        // The 通州 company gets a 高新 certificate: the 梯队 measure becomes eligible, the 培育库 (for companies without one) no longer is.
        var changed = Tongzhou.Replace("Hightech=no", "Hightech=yes&HightechIssuedOn=2025-12-01&HightechExpiresOn=2028-11-30");
        var page = await portal.PageAsync("/check?" + changed + "&was=" + Enc(Tongzhou));
        var diff = page.QuerySelector("section.diff")!;
        Assert.Contains("高新技术企业证书", diff.QuerySelector("ul.changed-facts li[data-fact=hightech_certificate]")!.TextContent);
        Assert.NotNull(diff.QuerySelector(".newly-eligible li[data-measure='tz-tech-enterprise-ladder']"));
        Assert.NotNull(diff.QuerySelector(".no-longer-eligible li[data-measure='tz-hightech-cultivation-pool']"));
        Assert.NotNull(diff.QuerySelector(".still-needs-info"));
        Assert.Equal("/check?" + Tongzhou, diff.QuerySelector("a[href^='/check?']")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("section#eligible article.match[data-measure='tz-tech-enterprise-ladder']"));
    }

    [Fact]
    public async Task A_near_miss_names_the_failing_criterion_and_the_catalog_measure_that_helps_meet_it()
    {
        var page = await portal.PageAsync("/check?" + Tongzhou);
        var card = page.QuerySelector("section#near-miss article.match[data-measure='tz-tech-enterprise-ladder']")!;
        Assert.Contains("科技企业梯队", card.QuerySelector(".near-miss-criterion")!.TextContent);
        Assert.NotNull(card.QuerySelector(".helpers a[href='/measures/tz-hightech-cultivation-pool']"));

        // The measure page words the same result the same way.
        var measure = await portal.PageAsync("/measures/tz-tech-enterprise-ladder?" + Tongzhou);
        Assert.Equal("差一项", measure.QuerySelector(".outcome .badge.outcome")!.TextContent);
        Assert.StartsWith("/check/edit?", measure.QuerySelector(".outcome a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Bad_what_if_input_goes_back_to_the_what_if_form_with_a_message_per_field_and_what_was_typed()
    {
        var bad = Tongzhou.Replace("Employees=12", "Employees=%E5%8D%81%E4%BA%8C").Replace("AsOf=2026-06-01", "AsOf=tomorrow");
        var page = await portal.PageAsync("/check?" + bad + "&was=" + Enc(Tongzhou), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("十二", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
        Assert.Equal("tomorrow", page.QuerySelector("input[name=AsOf]")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("#err-employees"));
        Assert.NotNull(page.QuerySelector("#err-as_of"));
        Assert.Equal(Tongzhou, page.QuerySelector("input[name=was]")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("District=%E4%B8%8D%E5%AD%98%E5%9C%A8")]  // a district that does not exist
    [InlineData("Employees=-1&District=%E9%80%9A%E5%B7%9E%E5%8C%BA")]
    [InlineData("%%%")]
    [InlineData("AsOf=2026-02-30&District=%E9%80%9A%E5%B7%9E%E5%8C%BA")]
    public async Task A_tampered_earlier_result_is_a_clear_error_not_a_crash(string was)
    {
        var page = await portal.PageAsync("/check?" + Tongzhou + "&was=" + Enc(was), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("无法与原结果比较", page.QuerySelector("#err-was")!.TextContent);
        Assert.Equal("12", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("99999999")]
    [InlineData("-1")]
    public async Task A_company_the_visitor_may_not_see_is_not_found(string company)
    {
        await portal.PageAsync("/check?" + Tongzhou + "&company=" + company, HttpStatusCode.NotFound);
        await portal.PageAsync("/check/edit?" + Tongzhou + "&company=" + company, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_option_count_is_what_the_page_lists_with_that_option_chosen_and_the_other_filters_kept()
    {
        // One filter already chosen (funding), so each count must also respect the other filters.
        var base_ = "/check?" + Chaoyang + "&kind=funding";
        var page = await portal.PageAsync(base_);
        var options = page.QuerySelectorAll("select[name=dept] option:not([value='']), select[name=status] option:not([value=''])")
            .Select(o => (Name: o.ParentElement!.GetAttribute("name")!, Value: o.GetAttribute("value")!,
                Count: int.Parse(System.Text.RegularExpressions.Regex.Match(o.TextContent, @"\((\d+)\)$").Groups[1].Value)))
            .ToList();
        Assert.Contains(options, o => o.Name == "dept" && o.Count > 0);
        Assert.Contains(options, o => o.Name == "dept" && o.Count == 0);
        foreach (var (name, value, count) in options)
        {
            var chosen = await portal.PageAsync(base_ + "&" + name + "=" + Enc(value));
            Assert.True(count == chosen.QuerySelectorAll("article.match").Length, $"{name}={value}: option says {count}, page lists {chosen.QuerySelectorAll("article.match").Length}");
        }
    }

    [Fact]
    public async Task Filters_by_kind_department_and_status_show_counts_and_narrow_the_lists()
    {
        var page = await portal.PageAsync("/check?" + Chaoyang);
        var talent = page.QuerySelector("select[name=kind] option[value=talent]")!.TextContent;
        var expected = int.Parse(System.Text.RegularExpressions.Regex.Match(talent, @"\((\d+)\)").Groups[1].Value);
        var filtered = await portal.PageAsync("/check?" + Chaoyang + "&kind=talent");
        Assert.NotNull(filtered.QuerySelector("select[name=kind] option[value=talent][selected]"));
        Assert.Equal(expected, filtered.QuerySelectorAll("article.match").Length);
        Assert.All(filtered.QuerySelectorAll("article.match"), a => Assert.Equal("talent", a.GetAttribute("data-kind")));
        // Filters keep the profile: the form carries it as hidden fields.
        Assert.NotNull(filtered.QuerySelector("form.filters input[type=hidden][name=District][value='朝阳区']"));

        var expiredOnly = await portal.PageAsync("/check?" + Chaoyang + "&status=expired");
        Assert.Empty(expiredOnly.QuerySelectorAll("section#eligible, section#upcoming"));
        Assert.NotNull(expiredOnly.QuerySelector("details#expired[open]"));

        var dept = page.QuerySelector("select[name=dept] option:not([value=''])")!.GetAttribute("value")!;
        var byDept = await portal.PageAsync("/check?" + Chaoyang + "&dept=" + Enc(dept));
        Assert.NotEmpty(byDept.QuerySelectorAll("article.match"));
        Assert.All(byDept.QuerySelectorAll("article.match .departments dd"), d => Assert.Contains(dept, d.TextContent));
    }

    [Theory]
    [InlineData("kind=bogus", "#err-kind", "bogus")]
    [InlineData("dept=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%A7%94%E5%91%98%E4%BC%9A", "#err-dept", "不存在的委员会")]
    [InlineData("status=later", "#err-status", "later")]
    [InlineData("kind=talent&kind=funding", "#err-kind", "只能选择一项")]
    public async Task A_bad_filter_is_refused_with_a_message_naming_it(string filter, string error, string named)
    {
        var page = await portal.PageAsync("/check?" + Chaoyang + "&" + filter, HttpStatusCode.UnprocessableEntity);
        Assert.Contains(named, page.QuerySelector(error)!.TextContent);
        Assert.NotEmpty(page.QuerySelectorAll("article.match"));
    }

    [Fact]
    public async Task The_calendar_lists_the_deadlines_of_eligible_measures_in_folded_utf8_lines()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/check/calendar.ics?" + Tongzhou);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text);
        Assert.EndsWith("END:VCALENDAR\r\n", text);
        Assert.All(text.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
        var unfolded = text.Replace("\r\n ", "");
        Assert.Contains("UID:measure-tz-hightech-cultivation-pool-20261231@policymatch", unfolded);
        Assert.Contains("SUMMARY:政策执行期截止:高新技术企业培育库(培育清单)", unfolded);
        Assert.Contains("DTSTART;VALUE=DATE:20261231", unfolded);
        Assert.DoesNotContain("tz-tech-enterprise-ladder", unfolded); // a near miss, not eligible

        var bad = await client.GetAsync("/check/calendar.ics?Employees=abc");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("从业人数", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_company_calendar_is_refused_to_anyone_who_may_not_read_the_company()
    {
        using var owner = await portal.SignInAsync(Roles.Company);
        var id = await CreateCompanyAsync(owner, "通州区");
        var ok = await owner.Client.GetAsync($"/companies/{id}/calendar.ics?asOf=2026-06-01");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("BEGIN:VEVENT", await ok.Content.ReadAsStringAsync());

        using var stranger = await portal.SignInAsync(Roles.Company);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/companies/{id}/calendar.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.Client.GetAsync("/companies/99999999/calendar.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await owner.Client.GetAsync($"/companies/{id}/calendar.ics?asOf=someday")).StatusCode);
    }

    [Fact]
    public async Task A_company_member_tries_a_change_from_the_company_page_and_saves_it()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var id = await CreateCompanyAsync(s, "通州区");
        var company = await s.PageAsync($"/companies/{id}");
        Assert.Contains("企业画像保存于", company.QuerySelector(".profile-summary")!.TextContent);
        var whatIf = company.QuerySelector("a[href^='/check/edit']")!.GetAttribute("href")!;
        Assert.Contains($"company={id}", whatIf);
        var edit = await s.PageAsync(whatIf);
        Assert.Equal(id.ToString(), edit.QuerySelector("input[name=company]")!.GetAttribute("value"));
        Assert.NotNull(edit.QuerySelector("input[name=Uscc]")!.GetAttribute("value"));

        // Change one fact through the form's own fields, as the browser would send them.
        var fields = edit.QuerySelectorAll("form[action='/check'] input[name], form[action='/check'] select[name]")
            .Where(e => e is not AngleSharp.Html.Dom.IHtmlInputElement { Type: "checkbox" } || e.HasAttribute("checked"))
            .Select(e => (Name: e.GetAttribute("name")!, Value: (e is AngleSharp.Html.Dom.IHtmlSelectElement sel ? sel.Value : e.GetAttribute("value")) ?? ""))
            .Select(f => f.Name == "Employees" ? (f.Name, Value: "200") : f)
            .ToList();
        var url = "/check?" + string.Join("&", fields.Select(f => Enc(f.Name) + "=" + Enc(f.Value)));
        var result = await s.PageAsync(url);
        Assert.Contains("200", result.QuerySelector(".diff li[data-fact=employees]")!.TextContent);
        var response = await s.PostFormAsync(url, $"/companies/{id}/profile",
            result.QuerySelectorAll($"form[action='/companies/{id}/profile'] input[type=hidden]:not([name=__RequestVerificationToken])")
                .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value") ?? "")));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var saved = await s.PageAsync($"/companies/{id}");
        Assert.Equal("200", saved.QuerySelector(".profile-summary [data-fact=employees] dd")!.TextContent);

        // Someone who may not edit the company is not offered the save.
        using var stranger = await portal.SignInAsync(Roles.Company);
        await stranger.PageAsync(url, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task In_English_the_interface_is_English_and_says_once_that_catalog_text_may_be_Chinese()
    {
        using var client = portal.CreateClient();
        var html = await client.GetStringAsync("/check?" + Tongzhou + "&lang=en");
        var page = await Html.ParseAsync(html);
        Assert.Equal("Your matches", page.QuerySelector("h1")!.TextContent);
        Assert.Equal("The profile judged", page.QuerySelector(".profile-summary h2")!.TextContent);
        Assert.StartsWith("Eligible", page.QuerySelector("section#eligible h2")!.TextContent);
        Assert.StartsWith("Near miss", page.QuerySelector("section#near-miss h2")!.TextContent);
        Assert.Single(page.QuerySelectorAll(".lang-note"));
        Assert.All(page.QuerySelectorAll(".score"), s => Assert.Matches(@"^\d+ of (1 criterion|\d+ criteria) met$", s.TextContent));
        Assert.Contains(page.QuerySelectorAll(".score"), s => s.TextContent.EndsWith("criteria met"));
        Assert.Equal("District", page.QuerySelector(".profile-summary [data-fact=district] dt")!.TextContent);
        Assert.Contains("Tongzhou", page.QuerySelector(".profile-summary [data-fact=district] dd")!.TextContent);
        var interfaceText = string.Join(" ", page.QuerySelectorAll("h1, h2, label, .badge, .summary, dt, button, .hint").Select(e => e.TextContent));
        // Chinese terms given in brackets beside their English name ("SRDI (专精特新) level") are meant.
        var withoutTerms = System.Text.RegularExpressions.Regex.Replace(interfaceText.Replace("通州区", ""), @"\([^)]*\)", "");
        Assert.DoesNotMatch(@"[\u4e00-\u9fff]", withoutTerms);
    }

    [Fact]
    public async Task The_page_is_written_with_Chinese_unescaped()
    {
        using var client = portal.CreateClient();
        var html = await client.GetStringAsync("/check?" + Chaoyang);
        Assert.Contains("符合条件", html);
        Assert.Contains("已到期,供参考", html);
        Assert.DoesNotContain("&#x7B26;", html); // 符
    }

    private static async Task<long> CreateCompanyAsync(Session s, string district)
    {
        var response = await s.PostFormAsync("/companies/new", "/companies/new",
        [
            new("Name", "北京通州测试科技有限公司"), new("Uscc", NewUscc()), new("District", district), new("Employees", "12"),
            new("Hightech", "no"), new("TechSme", "no"), new("SrdiLevel", "none"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return long.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }
}
