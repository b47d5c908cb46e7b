using PolicyMatch.Rules;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Components.Tests;

public class MeasureCardTests : ComponentTest
{
    private static MeasureCardModel Card(Func<MeasureCardModel, MeasureCardModel>? change = null)
    {
        var card = new MeasureCardModel
        {
            MeasureId = "hd-embryo-enterprise-program",
            Title = "海淀胚芽企业培育计划",
            TitleEn = "Haidian embryo enterprise programme",
            Href = "/measures/hd-embryo-enterprise-program?District=%E6%B5%B7%E6%B7%80%E5%8C%BA",
            Kind = "funding",
            Period = PeriodStatus.InForce,
            Summary = "支持科技型中小企业加大研发投入。",
            Departments = ["区科委", "区财政局"],
            PeriodEnds = new DateOnly(2026, 12, 31),
            Group = MatchGroup.Eligible,
            Met = 2,
            Total = 2,
        };
        return change is null ? card : change(card);
    }

    [Fact]
    public void An_eligible_card_shows_kind_period_outcome_score_departments_and_links_with_the_profile()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card()));
        var article = cut.Find("article.match");
        Assert.Equal("hd-embryo-enterprise-program", article.GetAttribute("data-measure"));
        Assert.Equal("eligible", article.GetAttribute("data-group"));
        cut.Find("h3 a").MarkupMatches("""<a href="/measures/hd-embryo-enterprise-program?District=%E6%B5%B7%E6%B7%80%E5%8C%BA">海淀胚芽企业培育计划</a>""");
        Assert.Equal("资金支持", cut.Find(".badge.kind").TextContent);
        Assert.Equal("执行中", cut.Find(".badge.period").TextContent);
        Assert.Equal("符合条件", cut.Find(".badge.outcome").TextContent);
        Assert.Equal("满足 2 / 2 项条件", cut.Find(".score").TextContent);
        Assert.Equal("区科委、区财政局", cut.Find(".departments dd").TextContent);
        Assert.Equal("2026-12-31", cut.Find(".period-ends time").TextContent);
        Assert.Empty(cut.FindAll(".missing, .near-miss-criterion"));
    }

    [Fact]
    public void The_amount_and_the_deadline_are_shown_where_the_catalog_has_them_and_said_to_be_absent_otherwise()
    {
        var without = Render<MeasureCard>(p => p.Add(x => x.Model, Card()));
        Assert.Equal("原文未载明金额", without.Find(".keyfacts dd").TextContent);
        Assert.Empty(without.FindAll(".deadline"));

        var with = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Amount = "最高 50 万元", Deadline = new DateOnly(2026, 3, 31) })));
        Assert.Equal("最高 50 万元", with.Find(".keyfacts dd").TextContent);
        with.Find(".deadline").MarkupMatches("""<div class="deadline"><dt>申报截止</dt><dd><time datetime="2026-03-31">2026-03-31</time></dd></div>""");
    }

    [Theory]
    [InlineData(PeriodStatus.Upcoming, "未开始")]
    [InlineData(PeriodStatus.Expired, "已到期")]
    public void Upcoming_and_expired_cards_say_so(PeriodStatus period, string label)
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Period = period })));
        Assert.Equal(label, cut.Find(".badge.period").TextContent);
    }

    [Fact]
    public void A_needs_information_card_lists_the_facts_to_supply()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with
        {
            Group = MatchGroup.NeedsInformation, Met = 1, MissingFacts = ["rd_expense_last_year", "employees"],
        })));
        cut.Find(".missing").MarkupMatches("""<p class="missing">需补充: 上年研发费用(元)、从业人数</p>""");
        Assert.Equal("需补充信息", cut.Find(".badge.outcome").TextContent);
    }

    [Fact]
    public void A_near_miss_card_names_the_failing_criterion_and_links_what_helps_meet_it()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with
        {
            Group = MatchGroup.NearMiss, Met = 1,
            Failing = new CriterionEvaluation("hightech-valid", "高新技术企业资格在有效期内", "Holds a valid high-tech certificate", CriterionResult.NotMet, []),
            Helpers = [new MeasureLink("tz-hightech-cultivation-pool", "高新技术企业培育库(培育清单)", null)],
        })));
        Assert.Equal("差一项", cut.Find(".badge.outcome").TextContent);
        Assert.Equal("✗ 未满足: 高新技术企业资格在有效期内", cut.Find(".near-miss-criterion").TextContent);
        cut.Find(".helpers a").MarkupMatches("""<a href="/measures/tz-hightech-cultivation-pool">高新技术企业培育库(培育清单)</a>""");
    }

    [Fact]
    public void A_near_miss_card_links_the_open_calls_of_what_helps_with_their_deadline_and_encodes_their_titles()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with
        {
            Group = MatchGroup.NearMiss, Met = 1,
            Failing = new CriterionEvaluation("hightech-valid", "高新技术企业资格在有效期内", "Holds a valid high-tech certificate", CriterionResult.NotMet, []),
            Helpers = [new MeasureLink("tz-hightech-cultivation-pool", "高新技术企业培育库(培育清单)", null)],
            HelperNotices =
            [
                new NoticeLink("n-2026-hightech", "certification_call", "关于开展2026年高新技术企业认定工作的通知 <b>", new DateOnly(2026, 6, 30)),
                new NoticeLink("n-open-ended", "general", "培育库常年申报", null),
            ],
        })));
        var items = cut.FindAll(".helper-notices li");
        Assert.Equal(2, items.Count);
        items[0].MarkupMatches("""<li data-notice="n-2026-hightech">认定申报通知:<a href="/notices/n-2026-hightech">关于开展2026年高新技术企业认定工作的通知 &lt;b&gt;</a> · 截止 <time datetime="2026-06-30">2026-06-30</time></li>""");
        Assert.Equal("一般通知:培育库常年申报", items[1].TextContent.Trim());

        Language("en");
        var english = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with
        {
            Group = MatchGroup.NearMiss, Met = 1,
            Failing = new CriterionEvaluation("hightech-valid", "高新技术企业资格在有效期内", "Holds a valid high-tech certificate", CriterionResult.NotMet, []),
            Helpers = [new MeasureLink("tz-hightech-cultivation-pool", "高新技术企业培育库(培育清单)", null)],
            HelperNotices = [new NoticeLink("n-2026-hightech", "certification_call", "关于开展2026年高新技术企业认定工作的通知", new DateOnly(2026, 6, 30))],
        })));
        Assert.StartsWith("Certification calls: ", english.Find(".helper-notices li").TextContent);
        Assert.Equal("zh-CN", english.Find(".helper-notices a").GetAttribute("lang"));
        Assert.Contains("closes 2026-06-30", english.Find(".helper-notices li").TextContent);
    }

    [Fact]
    public void A_card_without_helpers_has_no_call_list()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Group = MatchGroup.Eligible, Met = 3 })));
        Assert.Empty(cut.FindAll(".helper-notices"));
    }

    [Fact]
    public void In_English_the_card_uses_the_English_title_and_marks_Chinese_only_text()
    {
        Language("en");
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Met = 1, Total = 1 })));
        Assert.Equal("Haidian embryo enterprise programme", cut.Find("h3 a").TextContent);
        Assert.Null(cut.Find("h3 a").GetAttribute("lang"));
        Assert.Equal("1 of 1 criterion met", cut.Find(".score").TextContent);
        Assert.Equal("zh-CN", cut.Find(".summary-text").GetAttribute("lang"));
        Assert.Equal("Funding", cut.Find(".badge.kind").TextContent);
        Assert.Equal("In force", cut.Find(".badge.period").TextContent);

        var chineseOnly = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { TitleEn = null, Met = 1, Total = 3 })));
        Assert.Equal("海淀胚芽企业培育计划", chineseOnly.Find("h3 a").TextContent);
        Assert.Equal("zh-CN", chineseOnly.Find("h3 a").GetAttribute("lang"));
        Assert.Equal("1 of 3 criteria met", chineseOnly.Find(".score").TextContent);
    }

    [Fact]
    public void Text_from_the_catalog_is_encoded_and_Chinese_is_written_unescaped()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with
        {
            Title = "<script>alert('标题')</script>", Summary = "<img src=x onerror=alert(1)>摘要", Departments = ["<b>单位</b>"],
        })));
        Assert.Empty(cut.FindAll("script, img, dd b"));
        Assert.Contains("&lt;script&gt;", cut.Markup);
        Assert.Contains("海淀胚芽", Render<MeasureCard>(p => p.Add(x => x.Model, Card())).Markup);
        Assert.DoesNotContain("&#x", Render<MeasureCard>(p => p.Add(x => x.Model, Card())).Markup);
    }

    [Fact]
    public void A_search_card_keeps_the_highlight_markup_and_names_its_source()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Group = null, SnippetHtml = "支持<mark>研发</mark>投入", Source = "海淀区规划 · 三(一)2" })));
        cut.Find(".snippet").MarkupMatches("<p class=\"snippet\">支持<mark>研发</mark>投入</p>");
        Assert.Equal("海淀区规划 · 三(一)2", cut.Find(".source").TextContent);
        Assert.Empty(cut.FindAll(".badge.outcome, .score, .summary-text"));
    }

    [Fact]
    public void A_list_of_cards_is_one_component_with_list_items_for_search_and_a_message_when_empty()
    {
        var list = Render<MeasureCards>(p => p.Add(x => x.Items, new[] { Card(), Card(c => c with { MeasureId = "other" }) }).Add(x => x.ListItems, true));
        Assert.Equal(["hd-embryo-enterprise-program", "other"], list.FindAll("ul.measure-list > li").Select(li => li.GetAttribute("data-measure")));

        var empty = Render<MeasureCards>(p => p.Add(x => x.Items, Array.Empty<MeasureCardModel>()).Add(x => x.Empty, "无"));
        empty.MarkupMatches("<p class=\"muted\">无</p>");
    }

    [Fact]
    public void A_compact_card_for_the_reference_lists_keeps_title_badges_and_score_only()
    {
        var cut = Render<MeasureCard>(p => p.Add(x => x.Model, Card(c => c with { Compact = true, Period = PeriodStatus.Expired, Amount = "10 万元" })));
        Assert.Equal("海淀胚芽企业培育计划", cut.Find("h3 a").TextContent);
        Assert.Equal("已到期", cut.Find(".badge.period").TextContent);
        Assert.Equal("满足 2 / 2 项条件", cut.Find(".score").TextContent);
        Assert.Empty(cut.FindAll(".keyfacts, .summary-text, .missing, .near-miss-criterion"));
    }

    [Fact]
    public void A_card_from_a_match_carries_the_measures_amount_window_and_period()
    {
        var row = new MeasureVersionRow
        {
            MeasureId = "a b", Title = "标题", Kind = "award", Amount = "10 万元", WindowCloses = new DateOnly(2026, 5, 1),
            PeriodTo = new DateOnly(2026, 12, 31), DepartmentsJson = """["区科委"]""", Status = "published",
        };
        var evaluation = new MeasureEvaluation("a b", 1, Outcome.Eligible, 0, 0, []);
        var card = MeasureCardModel.FromMatch(new MatchItem(row, evaluation, PeriodStatus.InForce, false), "?District=x");
        Assert.Equal("/measures/a%20b?District=x", card.Href);
        Assert.Equal("10 万元", card.Amount);
        Assert.Equal(new DateOnly(2026, 5, 1), card.Deadline);
        Assert.Equal(new DateOnly(2026, 12, 31), card.PeriodEnds);
        Assert.Equal(["区科委"], card.Departments);
        Assert.Equal(MatchGroup.Eligible, card.Group);
    }
}
