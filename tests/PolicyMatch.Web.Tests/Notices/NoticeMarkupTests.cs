using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Notices;

/// <summary>The notice body's small markup: paragraphs, lists, links — and nothing typed ever runs.</summary>
public class NoticeMarkupTests
{
    [Fact]
    public void Paragraphs_lists_and_links()
    {
        const string body = "各有关企业:\n现将有关事项通知如下。\n\n- 营业执照\n- 财务报表\n\n1. 登录系统\n2. 提交材料\n\n详见[申报指南](https://kw.beijing.gov.cn/guide)或 https://example.gov.cn/a 。";
        Assert.Equal(
            "<p>各有关企业:<br>现将有关事项通知如下。</p><ul><li>营业执照</li><li>财务报表</li></ul><ol><li>登录系统</li><li>提交材料</li></ol>" +
            "<p>详见<a href=\"https://kw.beijing.gov.cn/guide\" rel=\"noopener noreferrer nofollow\">申报指南</a>或 <a href=\"https://example.gov.cn/a\" rel=\"noopener noreferrer nofollow\">https://example.gov.cn/a</a> 。</p>",
            NoticeMarkup.ToHtml(body));
        Assert.Equal("各有关企业:\n现将有关事项通知如下。\n\n- 营业执照\n- 财务报表\n\n1. 登录系统\n2. 提交材料\n\n详见申报指南 (https://kw.beijing.gov.cn/guide)或 https://example.gov.cn/a 。",
            NoticeMarkup.ToText(body));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("<a href=\"https://ok.cn\" onclick=\"steal()\">点我</a>", "&lt;a href=&quot;")]
    [InlineData("[点我](javascript:alert(1))", "<p>点我</p>")]
    [InlineData("[点我](JaVaScRiPt:alert(1))", "<p>点我</p>")]
    [InlineData("[点我](data:text/html;base64,PHNjcmlwdD4=)", "<p>点我</p>")]
    [InlineData("[点我](//evil.example/x)", "<p>点我</p>")]
    [InlineData("[点我](https://ok.cn/\"onmouseover=\"x)", "href=\"https://ok.cn/%22onmouseover=%22x\"")]
    public void Scripts_event_handlers_and_unsafe_links_are_neutralised(string body, string expected)
    {
        var html = NoticeMarkup.ToHtml(body);
        Assert.Contains(expected, html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("<[a-z]+[^>]*\\son[a-z]+=", html);
    }

    [Fact]
    public void A_portal_path_is_a_link() =>
        Assert.Contains("<a href=\"/measures/cp-tech-transfer-award\"", NoticeMarkup.ToHtml("[措施](/measures/cp-tech-transfer-award)"));
}

/// <summary>The notice page renders the markup: a script typed by an administrator is text, not an element.</summary>
public class NoticeMarkupPageTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task A_published_notice_with_html_in_its_body_shows_it_as_text()
    {
        var id = $"n-markup-{Guid.NewGuid():N}"[..20];
        await portal.ExecuteAsync("""
            INSERT INTO notices (id, kind, title, body, published_on, content_hash)
            VALUES (@Id, 'general', '标记测试', @Body, '2025-04-01', 'x')
            """, new { Id = id, Body = "<script>document.title='x'</script>\n\n- 第一项\n- [链接](javascript:alert(1))" });
        var page = await portal.PageAsync($"/notices/{id}");
        var section = page.QuerySelector("section.notice-body")!;
        Assert.Null(section.QuerySelector("script"));
        Assert.Contains("<script>document.title='x'</script>", section.TextContent);
        Assert.Equal(2, section.QuerySelectorAll("ul li").Length);
        Assert.Null(section.QuerySelector("a"));
    }
}
