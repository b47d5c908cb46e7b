using PolicyMatch.Rules;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Components.Tests;

public class CardSectionsTests : ComponentTest
{
    private static MeasureCardModel Card(string id, MatchGroup group, bool compact = false) => new()
    {
        MeasureId = id,
        Title = "标题 " + id,
        Href = "/measures/" + id + "?District=%E6%9C%9D%E9%98%B3%E5%8C%BA",
        Kind = "funding",
        Period = PeriodStatus.InForce,
        Group = group,
        Met = 1,
        Total = 2,
        Compact = compact,
    };

    [Fact]
    public void Open_sections_and_collapsed_reference_lists_each_have_their_heading_count_hint_and_cards()
    {
        CardSection[] sections =
        [
            new("eligible", "符合条件", "所有条件均已满足,且正在执行。", [Card("a", MatchGroup.Eligible), Card("b", MatchGroup.Eligible)]),
            new("near-miss", "差一项", "只差一个条件。", []),
            new("not-eligible", "不符合", "有条件不满足。", [Card("c", MatchGroup.NotEligible, compact: true)]) { Collapsed = true },
        ];
        var cut = Render<CardSections>(p => p.Add(x => x.Sections, sections));

        var eligible = cut.Find("section#eligible.group.eligible");
        Assert.Equal("符合条件 (2)", eligible.QuerySelector("h2")!.TextContent);
        Assert.Equal("所有条件均已满足,且正在执行。", eligible.QuerySelector("p.hint")!.TextContent);
        Assert.Equal(["a", "b"], eligible.QuerySelectorAll("article.match").Select(a => a.GetAttribute("data-measure")));

        var nearMiss = cut.Find("section#near-miss");
        Assert.Equal("差一项 (0)", nearMiss.QuerySelector("h2")!.TextContent);
        Assert.Equal("无", nearMiss.QuerySelector("p.muted")!.TextContent);

        var notEligible = cut.Find("details#not-eligible.group.not-eligible");
        Assert.False(notEligible.HasAttribute("open"));
        Assert.Equal("不符合 (1)", notEligible.QuerySelector("summary > h2")!.TextContent);
        Assert.Equal("c", notEligible.QuerySelector("article.match")!.GetAttribute("data-measure"));
        Assert.Empty(cut.FindAll("details section, section details"));
    }

    [Fact]
    public void A_collapsed_section_asked_for_is_open_and_an_empty_one_says_so_in_English()
    {
        Language("en");
        CardSection[] sections = [new("expired", "Expired, for reference", "Not counted above.", []) { Collapsed = true, Open = true }];
        var cut = Render<CardSections>(p => p.Add(x => x.Sections, sections));

        var expired = cut.Find("details#expired");
        Assert.True(expired.HasAttribute("open"));
        Assert.Equal("None", expired.QuerySelector("p.muted")!.TextContent);
    }

    [Fact]
    public void Titles_and_hints_are_encoded_and_Chinese_is_written_as_it_is()
    {
        CardSection[] sections = [new("eligible", "符合条件 <b>", "提示 <script>alert(1)</script> & \"说明\"", [])];
        var cut = Render<CardSections>(p => p.Add(x => x.Sections, sections));

        Assert.Equal("符合条件 <b> (0)", cut.Find("h2").TextContent);
        Assert.Equal("提示 <script>alert(1)</script> & \"说明\"", cut.Find("p.hint").TextContent);
        Assert.Empty(cut.FindAll("h2 b, script"));
        Assert.DoesNotContain("&#x", cut.Markup);
    }
}
