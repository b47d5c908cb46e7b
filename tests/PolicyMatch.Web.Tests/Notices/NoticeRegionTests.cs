using PolicyMatch.Web.Infrastructure.Time;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Notices.NoticeFixtures;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>
/// A notice reaches the companies eligible for its measures <em>in its regions</em>: a Changping notice
/// linked (as the seeded ones are) to a Tongzhou measure does not reach Tongzhou companies.
/// </summary>
public sealed class NoticeRegionTests : IDisposable
{
    private readonly Portal _portal = new();

    private async Task<string> ScheduleInAsync(string title, DateTimeOffset sendAt, IReadOnlyList<string> regions)
    {
        var (admin, _) = await _portal.CreateUserAsync(PolicyMatch.Web.Features.Account.Roles.Admin, "通知管理员");
        return await _portal.Service<NoticeSchedules>().CreateAsync(
            new NewNotice(NoticeKind.ClaimCall, title, "正文。", [TongzhouMeasure], null, null, sendAt, regions), admin);
    }

    [Fact]
    public async Task A_notice_for_changping_linked_to_a_tongzhou_measure_reaches_no_tongzhou_company()
    {
        var (tongzhouUser, _) = await _portal.PersonAsync("tz", NoticeKind.ClaimCall);
        await _portal.CompanyAsync(Tongzhou, tongzhouUser); // eligible for the measure (district == 通州区)
        var sendAt = DateTimeOffset.UtcNow.AddMinutes(5);

        var changping = await ScheduleInAsync("昌平区的通知", sendAt, ["昌平区"]);
        var tongzhou = await ScheduleInAsync("通州区的通知", sendAt, ["通州区"]);
        var city = await ScheduleInAsync("全市的通知", sendAt, ["北京市"]);
        var fanOut = _portal.Service<NoticeFanOut>();

        Assert.Equal(0, (await fanOut.FanOutAsync(changping))!.Recipients);
        Assert.Equal(1, (await fanOut.FanOutAsync(tongzhou))!.Recipients);
        Assert.Equal(1, (await fanOut.FanOutAsync(city))!.Recipients); // 北京市 contains 通州区
        Assert.Equal(["昌平区"], await _portal.Service<RecipientResolver>().RegionsOfAsync(changping));
    }

    [Theory]
    [InlineData("通州区", null, "通州区", true)]
    [InlineData("通州区", null, "昌平区", false)]
    [InlineData("昌平区", "未来科学城", "未来科学城", true)]
    [InlineData("海淀区", null, "京津冀", true)]
    [InlineData("天津市", null, "北京市", false)]
    public void A_company_is_in_a_region_by_its_district_its_zones_or_a_region_containing_them(string district, string? zone, string region, bool expected)
    {
        var profile = new JsonObject { ["district"] = district };
        if (zone is not null)
        {
            profile["zones"] = new JsonArray(zone);
        }
        Assert.Equal(expected, RecipientResolver.InRegions(profile, [region]));
    }

    [Fact]
    public async Task The_seeded_changping_notices_are_for_changping()
    {
        foreach (var id in new[] { "cp-2025-hightech-funds-claim", "cp-2025-unicorn-srdi-funds-claim", "cp-2025-hightech-certification-batch1", "cp-2025-hightech-certificates-2024-batch2" })
        {
            Assert.Equal(["昌平区"], await _portal.Service<RecipientResolver>().RegionsOfAsync(id));
        }
    }

    [Fact]
    public async Task The_form_takes_the_regions_of_the_linked_measures_when_none_is_typed_and_refuses_an_unknown_one()
    {
        var authoring = _portal.Service<NoticeAuthoring>();
        var sendAt = BeijingTime.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd") + "T09:00";
        var form = new NoticeForm { Kind = NoticeKind.ClaimCall, Title = "标题", Body = "正文", Measures = [TongzhouMeasure], SendAt = sendAt };

        var (notice, errors) = await authoring.CheckAsync(form);
        Assert.Empty(errors);
        Assert.Equal(["通州区"], notice!.Regions);

        form.Regions = "火星区";
        (_, errors) = await authoring.CheckAsync(form);
        Assert.Contains("不认识的地区:火星区", errors[nameof(NoticeForm.Regions)]);
    }

    [Fact]
    public async Task The_seeded_changping_notices_reach_eligible_changping_companies_and_no_tongzhou_company()
    {
        string[] kinds = [NoticeKind.ClaimCall, NoticeKind.CertificationCall, NoticeKind.General];
        var certificate = new JsonObject { ["number"] = "GR202411000123", ["issued_on"] = "2024-12-02" };
        // A 高新 and 专精特新 company in 通州区: every qualification the notices' measures ask, in the wrong district.
        var (tongzhouUser, _) = await _portal.PersonAsync("tz-seeded", kinds);
        await _portal.CompanyAsync(Tongzhou, tongzhouUser, "通州高新专精特新科技有限公司",
            new JsonObject { ["hightech_certificate"] = certificate.DeepClone(), ["srdi_level"] = "specialized_sme" });
        // The same company in 昌平区 is told of all four.
        var (changpingUser, _) = await _portal.PersonAsync("cp-seeded", kinds);
        await _portal.CompanyAsync("昌平区", changpingUser, "昌平高新专精特新科技有限公司",
            new JsonObject { ["hightech_certificate"] = certificate.DeepClone(), ["srdi_level"] = "specialized_sme" });
        // A 昌平区 company with neither qualification: only the certification call (it names no qualification).
        var (plainUser, _) = await _portal.PersonAsync("cp-plain", kinds);
        await _portal.CompanyAsync("昌平区", plainUser, "昌平初创科技有限公司", new JsonObject { ["hightech_certificate"] = false, ["srdi_level"] = "none", ["unicorn"] = false });
        var resolver = _portal.Service<RecipientResolver>();
        var schedules = _portal.Service<NoticeSchedules>();

        foreach (var id in new[] { "cp-2025-hightech-funds-claim", "cp-2025-unicorn-srdi-funds-claim", "cp-2025-hightech-certification-batch1", "cp-2025-hightech-certificates-2024-batch2" })
        {
            var notice = (await schedules.PublishedAsync(id))!;
            var measures = await schedules.MeasuresOfAsync(id);
            var users = (await resolver.ForNoticeAsync(id, measures, notice.Kind, notice.PublishedOn)).Select(r => r.UserId).ToList();
            Assert.DoesNotContain(tongzhouUser, users);
            Assert.Contains(changpingUser, users);
            Assert.Equal(id == "cp-2025-hightech-certification-batch1", users.Contains(plainUser));
        }
    }

    [Fact]
    public async Task A_notice_written_from_a_document_takes_the_documents_regions_when_it_has_none_of_its_own()
    {
        var authoring = _portal.Service<NoticeAuthoring>();
        var sendAt = BeijingTime.Today(TimeProvider.System).AddDays(2).ToString("yyyy-MM-dd") + "T09:00";
        var form = new NoticeForm { Kind = NoticeKind.ClaimCall, Title = "标题", Body = "正文", Measures = [TongzhouMeasure], SendAt = sendAt, Document = "000" };

        var (notice, errors) = await authoring.CheckAsync(form);
        Assert.Empty(errors);
        Assert.Equal(["昌平区"], notice!.Regions); // plan 000's, not the Tongzhou measure's
        Assert.Equal("000_1964764f133f43d3.txt", notice.SourceDocument);

        form.Regions = "北京市"; // typed regions win
        (notice, _) = await authoring.CheckAsync(form);
        Assert.Equal(["北京市"], notice!.Regions);

        form.Document = "999";
        (_, errors) = await authoring.CheckAsync(form);
        Assert.Contains("未知的政策文件:999", errors[nameof(NoticeForm.Document)]);

        // Stored and published with the document it came from.
        form.Document = "000";
        form.Regions = null;
        (notice, _) = await authoring.CheckAsync(form);
        var (admin, _) = await _portal.CreateUserAsync(PolicyMatch.Web.Features.Account.Roles.Admin, "通知管理员");
        var id = await _portal.Service<NoticeSchedules>().CreateAsync(notice! with { SendAt = DateTimeOffset.UtcNow.AddMinutes(1) }, admin);
        await _portal.Service<NoticeFanOut>().FanOutAsync(id);
        Assert.Equal("000_1964764f133f43d3.txt", (await _portal.Service<NoticeSchedules>().PublishedAsync(id))!.SourceDocument);
        Assert.Equal(["昌平区"], await _portal.Service<RecipientResolver>().RegionsOfAsync(id));
    }

    [Fact]
    public async Task The_email_and_the_inbox_item_name_the_users_companies_the_notice_concerns_and_link_to_it()
    {
        var (user, _) = await _portal.PersonAsync("two-companies", NoticeKind.ClaimCall);
        await _portal.CompanyAsync(Tongzhou, user, "通州甲科技有限公司");
        await _portal.CompanyAsync(Tongzhou, user, "通州乙科技有限公司");
        await _portal.CompanyAsync(Haidian, user, "海淀丙科技有限公司"); // not eligible: not named
        var (other, _) = await _portal.PersonAsync("other", NoticeKind.ClaimCall);
        await _portal.CompanyAsync(Tongzhou, other, "通州丁科技有限公司"); // someone else's company: not named to this user
        var id = await ScheduleInAsync("通州区的通知", DateTimeOffset.UtcNow.AddMinutes(1), ["通州区"]);
        await _portal.Service<NoticeFanOut>().FanOutAsync(id);

        var message = (await _portal.Service<NoticeOutbox>().FindMessageAsync("notice:" + id))!;
        var renderer = _portal.Service<PolicyMatch.Web.Features.Notices.Email.NoticeEmailRenderer>();
        var model = await renderer.ModelAsync(message, user, "two-companies 女士");
        Assert.Equal(["通州乙科技有限公司", "通州甲科技有限公司"], model.Companies.Order(StringComparer.Ordinal));
        var text = model.Text();
        Assert.Contains("这条通知与您的企业“", text);
        // Nobody has verified these companies yet (issue 14 item 8): the email says so by each name.
        Assert.Equal(model.Companies.ToHashSet(), model.Unverified);
        Assert.Contains("“通州甲科技有限公司”(企业未核验)", text);
        Assert.Contains("管理员尚未核验其所有权", text);
        await _portal.ExecuteAsync("UPDATE companies SET verified_at = '2026-12-01T00:00:00.000Z' WHERE name = '通州甲科技有限公司'");
        var afterVerification = (await renderer.ModelAsync(message, user, "two-companies 女士")).Text();
        Assert.DoesNotContain("“通州甲科技有限公司”(企业未核验)", afterVerification);
        Assert.Contains("“通州乙科技有限公司”(企业未核验)", afterVerification);
        Assert.Contains("通州甲科技有限公司", text);
        Assert.DoesNotContain("海淀丙科技有限公司", text);
        Assert.DoesNotContain("通州丁科技有限公司", text);
        Assert.EndsWith($"/notices/{id}", model.Link);
        var html = await renderer.RenderHtmlAsync(model);
        Assert.Contains("通州乙科技有限公司", html);
        Assert.Contains($"/notices/{id}\"", html);

        var item = (await _portal.Service<NoticeInbox>().ListAsync(user)).Single(i => i.Link == $"/notices/{id}");
        Assert.Equal(2, item.Companies.Count);
        Assert.DoesNotContain("海淀丙科技有限公司", item.Companies);
        var otherItem = (await _portal.Service<NoticeInbox>().ListAsync(other)).Single(i => i.Link == $"/notices/{id}");
        Assert.Equal(["通州丁科技有限公司"], otherItem.Companies);
    }

    public void Dispose() => _portal.Dispose();
}
