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
            new NewNotice(NoticeKinds.ClaimCall, title, "正文。", [TongzhouMeasure], null, null, sendAt, regions), admin);
    }

    [Fact]
    public async Task A_notice_for_changping_linked_to_a_tongzhou_measure_reaches_no_tongzhou_company()
    {
        var (tongzhouUser, _) = await _portal.PersonAsync("tz", NoticeKinds.ClaimCall);
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
        var form = new NoticeForm { Kind = NoticeKinds.ClaimCall, Title = "标题", Body = "正文", Measures = [TongzhouMeasure], SendAt = sendAt };

        var (notice, errors) = await authoring.CheckAsync(form);
        Assert.Empty(errors);
        Assert.Equal(["通州区"], notice!.Regions);

        form.Regions = "火星区";
        (_, errors) = await authoring.CheckAsync(form);
        Assert.Contains("不认识的地区:火星区", errors[nameof(NoticeForm.Regions)]);
    }

    public void Dispose() => _portal.Dispose();
}
