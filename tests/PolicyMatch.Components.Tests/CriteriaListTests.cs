using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Components;

namespace PolicyMatch.Components.Tests;

public class CriteriaListTests : ComponentTest
{
    private static readonly Criterion InHaidian = new("in-haidian", "注册在海淀区", "Registered in Haidian District",
        JsonNode.Parse("""{"==":[{"var":"district"},"海淀区"]}""")!);
    private static readonly Criterion Hightech = new("hightech-valid", "高新技术企业资格在有效期内", "Holds a valid high-tech enterprise certificate",
        JsonNode.Parse("""{"==":[{"var":"hightech_valid"},true]}""")!);
    private static readonly Criterion Patents = new("patents", "拥有发明专利", "Holds invention patents",
        JsonNode.Parse("""{">":[{"var":"invention_patents"},0]}""")!);

    private static MeasureEvaluation Evaluation(params (Criterion C, CriterionResult R, string[] Missing)[] results)
    {
        var criteria = results.Select(x => new CriterionEvaluation(x.C.Id, x.C.LabelZh, x.C.LabelEn, x.R, x.Missing)).ToList();
        var outcome = criteria.Any(c => c.Result == CriterionResult.NotMet) ? Outcome.NotEligible
            : criteria.Any(c => c.Result == CriterionResult.Unknown) ? Outcome.NeedsInformation : Outcome.Eligible;
        return new MeasureEvaluation("m", 1, outcome, criteria.Count(c => c.Result == CriterionResult.Met), criteria.Count, criteria);
    }

    [Fact]
    public void Without_a_profile_it_lists_the_labels_without_marks()
    {
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { InHaidian, Hightech }));
        var items = cut.FindAll("li.criterion");
        Assert.Equal(2, items.Count);
        Assert.Empty(cut.FindAll(".mark"));
        Assert.Empty(cut.FindAll(".outcome"));
        items[0].MarkupMatches("""<li class="criterion " data-criterion="in-haidian"><span class="label">注册在海淀区</span></li>""");
    }

    [Fact]
    public void Met_not_met_and_unknown_criteria_get_a_tick_a_cross_and_a_question_mark_with_words()
    {
        var e = Evaluation((InHaidian, CriterionResult.Met, []), (Hightech, CriterionResult.NotMet, []), (Patents, CriterionResult.Unknown, ["invention_patents"]));
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { InHaidian, Hightech, Patents }).Add(x => x.Evaluation, e));
        cut.Find("li.criterion.met .mark").MarkupMatches("""<span class="mark" aria-label="满足" title="满足">✓</span>""");
        cut.Find("li.criterion.notmet .mark").MarkupMatches("""<span class="mark" aria-label="不满足" title="不满足">✗</span>""");
        cut.Find("li.criterion.unknown .mark").MarkupMatches("""<span class="mark" aria-label="未知" title="未知">?</span>""");
        cut.Find("li.criterion.unknown .missing").MarkupMatches("""<span class="missing">需补充: 发明专利数</span>""");
        Assert.Contains("满足 1 / 3 项条件", cut.Find(".outcome").TextContent);
    }

    [Fact]
    public void A_single_failing_criterion_is_a_near_miss_worded_as_on_the_matches_page()
    {
        var e = Evaluation((InHaidian, CriterionResult.Met, []), (Hightech, CriterionResult.NotMet, []));
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { InHaidian, Hightech }).Add(x => x.Evaluation, e));
        cut.Find(".outcome .badge").MarkupMatches("""<span class="badge outcome near-miss">差一项</span>""");
        Assert.DoesNotContain("不符合", cut.Find(".outcome").TextContent);
    }

    [Fact]
    public void Failing_only_on_location_is_not_eligible_not_a_near_miss()
    {
        var e = Evaluation((InHaidian, CriterionResult.NotMet, []), (Hightech, CriterionResult.Met, []));
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { InHaidian, Hightech }).Add(x => x.Evaluation, e));
        cut.Find(".outcome .badge").MarkupMatches("""<span class="badge outcome not-eligible">不符合</span>""");
    }

    [Fact]
    public void Every_criterion_met_is_eligible_in_English_with_English_labels_and_grammar()
    {
        Language("en");
        var e = Evaluation((Hightech, CriterionResult.Met, []));
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { Hightech }).Add(x => x.Evaluation, e).Add(x => x.AsOf, new DateOnly(2026, 6, 1)));
        Assert.Equal("Eligible", cut.Find(".outcome .badge").TextContent);
        Assert.Contains("1 of 1 criterion met", cut.Find(".outcome").TextContent);
        Assert.Contains("as of 2026-06-01", cut.Find(".outcome").TextContent);
        Assert.Equal("Holds a valid high-tech enterprise certificate", cut.Find(".label").TextContent);
        Assert.Equal("met", cut.Find(".mark").GetAttribute("aria-label"));
    }

    [Fact]
    public void The_change_link_leads_to_the_what_if_form_with_the_profile_encoded()
    {
        var e = Evaluation((Hightech, CriterionResult.Met, []));
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { Hightech }).Add(x => x.Evaluation, e)
            .Add(x => x.WhatIfHref, "/check/edit?District=%E6%B5%B7%E6%B7%80%E5%8C%BA&Name=\"><script>"));
        var link = cut.Find(".outcome a");
        Assert.Equal("/check/edit?District=%E6%B5%B7%E6%B7%80%E5%8C%BA&Name=\"><script>", link.GetAttribute("href"));
        Assert.Empty(cut.FindAll("script"));
        Assert.Equal("修改企业信息", link.TextContent);
    }

    [Fact]
    public void Rules_are_shown_only_when_asked()
    {
        Assert.Empty(Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { Hightech })).FindAll("details"));
        var shown = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { Hightech }).Add(x => x.ShowRules, true));
        Assert.Contains("hightech_valid", shown.Find("details pre").TextContent);
    }

    [Fact]
    public void A_measure_without_criteria_says_the_text_sets_none()
    {
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, Array.Empty<Criterion>()));
        cut.MarkupMatches("<p>原文未设具体条件。</p>");
    }

    [Fact]
    public void Labels_written_by_administrators_are_encoded_and_Chinese_is_not_escaped()
    {
        var hostile = new Criterion("x", "<b>粗体</b>&", "x", JsonValue.Create(true)!);
        var cut = Render<CriteriaList>(p => p.Add(x => x.Criteria, new[] { hostile }));
        Assert.Empty(cut.FindAll("li b"));
        Assert.Contains("&lt;b&gt;粗体&lt;/b&gt;&amp;", cut.Markup);
        Assert.DoesNotContain("&#x", cut.Markup);
    }
}
