using PolicyMatch.Web.Components;

namespace PolicyMatch.Components.Tests;

public class NoticeCardTests : ComponentTest
{
    private static readonly NoticeCardModel Notice = new("cp-2025-hightech-funds-claim", "claim_call",
        "关于领取《昌平区加快高新技术企业培育发展支持办法》2024年政策资金的通知", new DateOnly(2025, 4, 5), new DateOnly(2025, 4, 10), new DateOnly(2025, 5, 30))
    {
        Concerns = ["高新技术企业培育库(培育清单)"],
    };

    [Fact]
    public void A_notice_card_shows_kind_title_link_date_window_and_the_measures_it_concerns()
    {
        var cut = Render<NoticeCard>(p => p.Add(x => x.Model, Notice));
        Assert.Equal("资金领取/兑现通知", cut.Find(".badge.notice-kind").TextContent);
        cut.Find("h3 a").MarkupMatches("<a href=\"/notices/cp-2025-hightech-funds-claim\">关于领取《昌平区加快高新技术企业培育发展支持办法》2024年政策资金的通知</a>");
        Assert.Equal("2025-04-05", cut.Find("time").TextContent);
        Assert.Contains("2025-04-10 — 2025-05-30", cut.Find(".window").TextContent);
        Assert.Contains("高新技术企业培育库", cut.Markup);
        Assert.Empty(cut.FindAll(".badge.period"));
    }

    [Fact]
    public void A_closed_window_is_marked_as_of_the_evaluation_date()
    {
        var cut = Render<NoticeCard>(p => p.Add(x => x.Model, Notice).Add(x => x.AsOf, new DateOnly(2026, 1, 1)));
        Assert.Equal("申报已截止", cut.Find(".badge.period.expired").TextContent);
    }

    [Fact]
    public void A_notice_without_a_window_says_nothing_about_one_and_English_labels_the_interface_only()
    {
        Language("en");
        var cut = Render<NoticeCard>(p => p.Add(x => x.Model, Notice with { WindowOpens = null, WindowCloses = null }));
        Assert.Empty(cut.FindAll(".window"));
        Assert.Equal("Funding claim calls", cut.Find(".badge.notice-kind").TextContent);
        Assert.Equal("zh-CN", cut.Find("h3 a").GetAttribute("lang"));
    }

    [Fact]
    public void Titles_and_ids_written_by_administrators_are_encoded()
    {
        var cut = Render<NoticeCard>(p => p.Add(x => x.Model, Notice with { Id = "a/b?c", Title = "<script>x</script>通知" }));
        Assert.Empty(cut.FindAll("script"));
        Assert.Equal("/notices/a%2Fb%3Fc", cut.Find("h3 a").GetAttribute("href"));
        Assert.Contains("&lt;script&gt;", cut.Markup);
    }
}

public class NoticeCardsTests : ComponentTest
{
    [Fact]
    public void A_list_of_notices_is_each_notice_card_in_order_with_the_evaluation_date()
    {
        NoticeCardModel[] notices =
        [
            new("n-open", "call", "关于申报 <2026> 年度资金的通知", new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1), new DateOnly(2026, 12, 31)),
            new("n-closed", "claim_call", "关于领取政策资金的通知", new DateOnly(2025, 4, 5), null, new DateOnly(2025, 5, 30)),
        ];
        var asOf = new DateOnly(2026, 6, 1);
        var cut = Render<NoticeCards>(p => p.Add(x => x.Items, notices).Add(x => x.AsOf, asOf));

        Assert.Equal(["n-open", "n-closed"], cut.FindAll("article.notice-card").Select(a => a.GetAttribute("data-notice")));
        Assert.Contains("关于申报 &lt;2026&gt; 年度资金的通知", cut.Markup);
        Assert.Equal("申报已截止", cut.Find("article[data-notice='n-closed'] .badge.period.expired").TextContent);
        Assert.Empty(cut.FindAll("article[data-notice='n-open'] .badge.period"));
        var each = string.Concat(notices.Select(n => Render<NoticeCard>(p => p.Add(x => x.Model, n).Add(x => x.AsOf, asOf)).Markup));
        Assert.Equal(each, cut.Markup);
    }
}
