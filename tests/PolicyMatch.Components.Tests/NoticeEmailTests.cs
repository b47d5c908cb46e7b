using PolicyMatch.Web.Features.Notices.Email;

namespace PolicyMatch.Components.Tests;

/// <summary>
/// The HTML body of notice emails (NoticeEmail.razor), rendered with bUnit. Emails are Chinese whatever
/// the language of the request that caused them; the plain-text body comes from the same model.
/// </summary>
public class NoticeEmailTests : ComponentTest
{
    private static NoticeEmailModel Model(string body = "请符合条件的企业在申报期内登录系统提交材料。\n\n第二段。", string name = "王经理") => new(
        "claim_call", "2026年高新技术企业资金领取通知", name, body, "2026-05-01 至 2026-05-31",
        [new EmailLink("高新技术企业培育库", "http://portal.test/measures/tz-hightech-cultivation-pool")],
        "http://portal.test/notices/n-1", "查看通知全文", "http://portal.test/unsubscribe/TOKEN", "http://portal.test/subscriptions");

    [Fact]
    public void The_body_is_Chinese_unescaped_with_subject_kind_greeting_paragraphs_and_window()
    {
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, Model()));
        Assert.Equal("【资金领取/兑现通知】2026年高新技术企业资金领取通知", cut.Find("title").TextContent);
        Assert.Equal("2026年高新技术企业资金领取通知", cut.Find("h1").TextContent);
        Assert.Contains("王经理,您好:", cut.Markup);
        Assert.Contains("请符合条件的企业在申报期内登录系统提交材料。", cut.Markup);
        Assert.Contains("第二段。", cut.Markup);
        Assert.Contains("2026-05-01 至 2026-05-31", cut.Markup);
        Assert.DoesNotContain("&#x", cut.Markup);
    }

    [Fact]
    public void The_body_links_the_notice_its_measures_and_the_one_click_unsubscribe()
    {
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, Model()));
        var links = cut.FindAll("a").ToDictionary(a => a.TextContent.Trim(), a => a.GetAttribute("href"));
        Assert.Equal("http://portal.test/measures/tz-hightech-cultivation-pool", links["高新技术企业培育库"]);
        Assert.Equal("http://portal.test/notices/n-1", links["查看通知全文"]);
        Assert.Equal("http://portal.test/unsubscribe/TOKEN", links["退订此类邮件"]);
        Assert.Equal("http://portal.test/subscriptions", links["管理全部订阅"]);
    }

    [Fact]
    public void The_body_stays_Chinese_when_the_request_was_English()
    {
        Language("en");
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, Model()));
        Assert.Contains("退订此类邮件", cut.Markup);
        Assert.DoesNotContain("Unsubscribe", cut.Markup);
    }

    [Fact]
    public void Text_typed_by_administrators_and_users_is_encoded()
    {
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, Model(body: "<script>alert(1)</script>正文", name: "<b>王</b>")));
        Assert.Empty(cut.FindAll("script, p b"));
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;正文", cut.Markup);
        Assert.Contains("&lt;b&gt;王&lt;/b&gt;,您好:", cut.Markup);
    }

    [Theory]
    [InlineData("<img src=x onerror=alert(1)>图片")]
    [InlineData("<a href=\"https://ok.cn\" onclick=\"steal()\">点我</a>")]
    [InlineData("[点我](javascript:alert(1))")]
    [InlineData("[点我](JaVaScRiPt:alert(1))")]
    [InlineData("[点我](https://ok.cn/\"onmouseover=\"x)")]
    public void Event_handlers_and_javascript_links_typed_in_a_notice_do_nothing_in_the_email(string body)
    {
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, Model(body: body)));
        Assert.Empty(cut.FindAll("script, img"));
        Assert.All(cut.FindAll("*"), e => Assert.DoesNotContain(e.Attributes, a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase)));
        Assert.All(cut.FindAll("a"), a => Assert.StartsWith("http", a.GetAttribute("href")));
        Assert.DoesNotContain("javascript:", Model(body: body).Text(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_companies_the_notice_concerns_are_named_and_encoded()
    {
        var model = Model() with { Companies = ["通州甲科技有限公司", "<b>乙</b>公司"] };
        var cut = Render<NoticeEmail>(p => p.Add(x => x.Model, model));
        Assert.Contains("这条通知与您的企业“通州甲科技有限公司”、“&lt;b&gt;乙&lt;/b&gt;公司”有关", cut.Markup);
        Assert.Empty(cut.FindAll("p b"));
        Assert.Contains("这条通知与您的企业“通州甲科技有限公司”、“<b>乙</b>公司”有关", model.Text());
        Assert.DoesNotContain("与您的企业", Model().Text()); // a message about no company says nothing of the kind
    }

    [Fact]
    public void The_plain_text_body_says_the_same_as_the_html()
    {
        var model = Model();
        var html = Render<NoticeEmail>(p => p.Add(x => x.Model, model));
        var text = model.Text();
        foreach (var piece in new[] { model.Title, model.Greeting, "第二段。", "http://portal.test/unsubscribe/TOKEN", "http://portal.test/measures/tz-hightech-cultivation-pool" })
        {
            Assert.Contains(piece, text);
            Assert.Contains(piece, html.Markup);
        }
    }
}
