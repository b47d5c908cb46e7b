using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Components.Tests;

public class BadgeTests : ComponentTest
{
    [Theory]
    [InlineData(PeriodStatus.InForce, "zh-CN", "inforce", "执行中")]
    [InlineData(PeriodStatus.Upcoming, "zh-CN", "upcoming", "未开始")]
    [InlineData(PeriodStatus.Expired, "zh-CN", "expired", "已到期")]
    [InlineData(PeriodStatus.InForce, "en", "inforce", "In force")]
    [InlineData(PeriodStatus.Upcoming, "en", "upcoming", "Upcoming")]
    [InlineData(PeriodStatus.Expired, "en", "expired", "Expired")]
    public void A_period_badge_names_the_period_in_the_users_language(PeriodStatus period, string language, string css, string label)
    {
        Language(language);
        var cut = Render<PeriodBadge>(p => p.Add(x => x.Period, period));
        cut.MarkupMatches($"""<span class="badge period {css}">{label}</span>""");
    }

    [Theory]
    [InlineData("funding", "zh-CN", "资金支持")]
    [InlineData("certification", "zh-CN", "资质认定")]
    [InlineData("funding", "en", "Funding")]
    [InlineData("loan_subsidy", "en", "Loan subsidy / finance")]
    public void A_kind_badge_has_one_label_per_kind(string kind, string language, string label)
    {
        Language(language);
        var cut = Render<KindBadge>(p => p.Add(x => x.Kind, kind));
        cut.MarkupMatches($"""<span class="badge kind" data-kind="{kind}">{label}</span>""");
    }

    [Fact]
    public void A_kind_the_reference_list_does_not_know_is_shown_encoded()
    {
        var cut = Render<KindBadge>(p => p.Add(x => x.Kind, "<img src=x onerror=alert(1)>"));
        Assert.Empty(cut.FindAll("img"));
        Assert.Contains("&lt;img", cut.Markup);
    }

    [Theory]
    [InlineData("retired", "zh-CN", "已停止")]
    [InlineData("draft", "zh-CN", "草稿")]
    [InlineData("retired", "en", "Retired")]
    public void A_status_badge_marks_retired_and_draft_measures(string status, string language, string label)
    {
        Language(language);
        var cut = Render<StatusBadge>(p => p.Add(x => x.Status, status));
        cut.MarkupMatches($"""<span class="badge status {status}">{label}</span>""");
    }

    [Fact]
    public void A_published_measure_has_no_status_badge()
    {
        var cut = Render<StatusBadge>(p => p.Add(x => x.Status, "published"));
        Assert.Equal("", cut.Markup.Trim());
    }

    [Theory]
    [InlineData(MatchGroup.Eligible, "zh-CN", "eligible", "符合条件")]
    [InlineData(MatchGroup.NeedsInformation, "zh-CN", "needs-info", "需补充信息")]
    [InlineData(MatchGroup.NearMiss, "zh-CN", "near-miss", "差一项")]
    [InlineData(MatchGroup.NotEligible, "zh-CN", "not-eligible", "不符合")]
    [InlineData(MatchGroup.Eligible, "en", "eligible", "Eligible")]
    [InlineData(MatchGroup.NearMiss, "en", "near-miss", "Near miss")]
    [InlineData(MatchGroup.NotEligible, "en", "not-eligible", "Not eligible")]
    public void An_outcome_badge_words_each_group_once_for_every_page(MatchGroup group, string language, string css, string label)
    {
        Language(language);
        var cut = Render<OutcomeBadge>(p => p.Add(x => x.Group, group));
        cut.MarkupMatches($"""<span class="badge outcome {css}">{label}</span>""");
    }
}
