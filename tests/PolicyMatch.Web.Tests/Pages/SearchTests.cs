using System.Net;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Pages;

public class SearchTests(Portal portal) : IClassFixture<Portal>
{
    [Theory]
    [InlineData("人才")]          // two characters: LIKE fallback
    [InlineData("补贴")]
    [InlineData("高新技术企业")]  // three or more: FTS5 trigram
    [InlineData("孵化")]
    public async Task Chinese_words_of_any_length_find_measures_with_highlighted_snippets(string word)
    {
        var page = await portal.PageAsync("/measures?q=" + Uri.EscapeDataString(word));
        var hits = page.QuerySelectorAll("ul.measure-list li, ul.clause-hits li");
        Assert.NotEmpty(hits);
        Assert.Contains(page.QuerySelectorAll(".snippet mark"), m => m.TextContent.Contains(word));
    }

    [Fact]
    public async Task Filters_narrow_the_search_by_plan_and_kind()
    {
        var all = (await portal.PageAsync("/measures?plan=003")).QuerySelectorAll("ul.measure-list li");
        Assert.NotEmpty(all);
        Assert.All(all, li => Assert.StartsWith("hd-", li.GetAttribute("data-measure")));
        var talent = (await portal.PageAsync("/measures?kind=talent")).QuerySelectorAll("ul.measure-list li");
        Assert.NotEmpty(talent);
        Assert.All(talent, li => Assert.Contains("人才支持", li.TextContent));
    }

    [Fact]
    public async Task The_district_filter_keeps_measures_that_reach_the_district()
    {
        var page = await portal.PageAsync("/measures?district=%E9%80%9A%E5%B7%9E%E5%8C%BA");
        var ids = page.QuerySelectorAll("ul.measure-list li").Select(li => li.GetAttribute("data-measure")!).ToList();
        Assert.Contains(ids, id => id.StartsWith("tz-"));
        Assert.DoesNotContain(ids, id => id.StartsWith("hd-"));
    }

    [Fact]
    public async Task Search_text_is_never_executed_as_markup_or_query_syntax()
    {
        var page = await portal.PageAsync("/measures?q=" + Uri.EscapeDataString("<script>\"人才\" OR *"));
        Assert.Empty(page.QuerySelectorAll("ul.measure-list script, .snippet script"));
    }

    [Fact]
    public async Task A_bad_filter_value_is_reported_not_ignored()
    {
        var page = await portal.PageAsync("/measures?kind=bribe", HttpStatusCode.BadRequest);
        Assert.NotNull(page.QuerySelector(".error-summary"));
    }
}
