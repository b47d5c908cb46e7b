using System.Reflection;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Rules;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;

namespace PolicyMatch.Components.Tests;

/// <summary>
/// Compact cards are rendered once and then written from <see cref="CompactCardMarkup"/>: a list must
/// read exactly as if every card had been rendered, with each card's own link and score.
/// </summary>
public class CompactCardMarkupTests : ComponentTest
{
    // The profile as the matches page puts it in links: percent-encoded Chinese, and '&' that the
    // attribute must carry as &amp;.
    private const string Query = "?District=%E6%9C%9D%E9%98%B3%E5%8C%BA&Employees=25";

    private static MeasureCardModel Compact(string id = "hd-embryo-enterprise-program", string query = Query, int met = 1, int total = 3) => new()
    {
        MeasureId = id,
        Title = "海淀胚芽企业培育计划 <第二批> & 后续",
        TitleEn = null,
        Href = "/measures/" + id + query,
        Kind = "funding",
        Period = PeriodStatus.Expired,
        Group = MatchGroup.NotEligible,
        Met = met,
        Total = total,
        Compact = true,
    };

    private CompactCardMarkup Cache => Services.GetRequiredService<CompactCardMarkup>();

    /// <summary>The markup of each card rendered on its own, as the list would write it without the cache.</summary>
    private string Rendered(IEnumerable<MeasureCardModel> cards)
    {
        var html = new StringBuilder();
        foreach (var card in cards)
        {
            html.Append(Render<MeasureCard>(p => p.Add(x => x.Model, card)).Markup);
        }
        return html.ToString();
    }

    [Fact]
    public void A_list_written_from_the_cache_reads_as_the_cards_rendered_one_by_one()
    {
        MeasureCardModel[] cards = [Compact(), Compact("cy-second", met: 0), Compact("cy-third", total: 1, met: 1), Compact(met: 3)];

        var first = Render<MeasureCards>(p => p.Add(x => x.Items, cards));
        Assert.Equal(4, Cache.Count);
        var second = Render<MeasureCards>(p => p.Add(x => x.Items, cards));

        Assert.Equal(Rendered(cards), first.Markup);
        Assert.Equal(first.Markup, second.Markup);
        Assert.Contains("href=\"/measures/cy-second?District=%E6%9C%9D%E9%98%B3%E5%8C%BA&amp;Employees=25\"", second.Markup);
        Assert.Contains("海淀胚芽企业培育计划 &lt;第二批&gt; &amp; 后续", second.Markup);
        Assert.Equal(["满足 1 / 3 项条件", "满足 0 / 3 项条件", "满足 1 / 1 项条件", "满足 3 / 3 项条件"], second.FindAll(".score").Select(s => s.TextContent));
        Assert.Equal(4, Cache.Count);
    }

    [Fact]
    public void Each_card_keeps_its_own_link_when_the_profiles_differ_and_a_card_without_a_profile_has_none()
    {
        MeasureCardModel[] warm = [Compact()];
        Render<MeasureCards>(p => p.Add(x => x.Items, warm));

        MeasureCardModel[] cards = [Compact(query: "?District=%E9%80%9A%E5%B7%9E%E5%8C%BA"), Compact(query: ""), Compact(query: Query)];
        var cut = Render<MeasureCards>(p => p.Add(x => x.Items, cards));

        Assert.Equal(Rendered(cards), cut.Markup);
        Assert.Equal(
            ["/measures/hd-embryo-enterprise-program?District=%E9%80%9A%E5%B7%9E%E5%8C%BA", "/measures/hd-embryo-enterprise-program", "/measures/hd-embryo-enterprise-program" + Query],
            cut.FindAll("h3 a").Select(a => a.GetAttribute("href")));
        Assert.Equal(1, Cache.Count);
    }

    [Fact]
    public void Each_language_has_its_own_markup()
    {
        MeasureCardModel[] cards = [Compact()];
        var chinese = Render<MeasureCards>(p => p.Add(x => x.Items, cards)).Markup;
        Language("en");
        var english = Render<MeasureCards>(p => p.Add(x => x.Items, cards));

        Assert.Equal(Rendered(cards), english.Markup);
        Assert.Equal("1 of 3 criteria met", english.Find(".score").TextContent);
        Assert.Equal("zh-CN", english.Find("h3 a").GetAttribute("lang"));
        Assert.Contains("满足 1 / 3 项条件", chinese);
        Assert.Equal(2, Cache.Count);
    }

    [Fact]
    public void Full_cards_and_cards_whose_link_is_not_the_measure_page_are_rendered_every_time()
    {
        MeasureCardModel[] cards =
        [
            Compact() with { Compact = false, Summary = "支持研发投入。" },
            Compact() with { Href = "/elsewhere/hd-embryo-enterprise-program" + Query },
            Compact("带 空格") with { Href = "/measures/" + Uri.EscapeDataString("带 空格") + Query },
        ];
        var first = Render<MeasureCards>(p => p.Add(x => x.Items, cards));
        var second = Render<MeasureCards>(p => p.Add(x => x.Items, cards));

        Assert.Equal(0, Cache.Count);
        Assert.Equal(Rendered(cards), second.Markup);
        Assert.Equal(first.Markup, second.Markup);
    }

    /// <summary>
    /// The cache tells cards apart by the fields a compact card shows. This fails when a field the
    /// compact card starts to show is not yet part of that key: add it to <c>CompactCardMarkup.Key</c>
    /// and to <see cref="KeyFields"/>, or keep the card from showing it when compact.
    /// </summary>
    [Fact]
    public void A_compact_card_shows_nothing_of_the_fields_its_cache_key_leaves_out()
    {
        var card = Compact();
        var plain = Render<MeasureCard>(p => p.Add(x => x.Model, card)).Markup;
        foreach (var property in typeof(MeasureCardModel).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (KeyFields.Contains(property.Name))
            {
                continue;
            }
            var changed = card with { };
            property.SetValue(changed, Sample(property));
            Assert.True(plain == Render<MeasureCard>(p => p.Add(x => x.Model, changed)).Markup, $"a compact card shows {property.Name}");
        }
    }

    private static readonly HashSet<string> KeyFields =
        ["MeasureId", "Title", "TitleEn", "Href", "Kind", "Period", "Status", "NotMatched", "Group", "Met", "Total", "Compact"];

    private static object Sample(PropertyInfo property) => property.PropertyType switch
    {
        var t when t == typeof(string) => "变化的内容",
        var t when t == typeof(DateOnly?) => new DateOnly(2026, 6, 30),
        var t when t == typeof(IReadOnlyList<string>) => new[] { "区科委", "district" },
        var t when t == typeof(IReadOnlyList<MeasureLink>) => new[] { new MeasureLink("helper", "帮助措施", null) },
        var t when t == typeof(IReadOnlyList<NoticeLink>) => new[] { new NoticeLink("n-1", "call", "申报通知", new DateOnly(2026, 7, 1)) },
        var t when t == typeof(CriterionEvaluation) => new CriterionEvaluation("hightech-valid", "高新技术企业资格在有效期内", "Holds a valid high-tech certificate", CriterionResult.NotMet, []),
        _ => throw new InvalidOperationException($"No sample value for {property.Name} ({property.PropertyType}): add one here."),
    };
}
