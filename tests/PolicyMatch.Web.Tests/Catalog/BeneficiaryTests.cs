using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

/// <summary>Issue 11: only what a company can receive is matched; the rest stays readable.</summary>
public class BeneficiaryTests(ImportingPortal portal) : IClassFixture<ImportingPortal>
{
    private static readonly DateOnly AsOf = new(2025, 6, 1);

    [Fact]
    public async Task A_Chaoyang_AI_company_is_eligible_for_no_Tongzhou_measure_and_is_not_matched_against_a_park_layout()
    {
        var profile = new JsonObject { ["district"] = "朝阳区", ["zones"] = new JsonArray(), ["focus_areas"] = new JsonArray("人工智能"), ["employees"] = 40 };
        var report = await portal.Service<MatchService>().MatchAsync(profile, AsOf);

        Assert.DoesNotContain(report.Items, i => i.Measure.MeasureId.StartsWith("tz-", StringComparison.Ordinal) && i.Evaluation.Outcome != Outcome.NotEligible);
        var scenarios = report.Items.Single(i => i.Measure.MeasureId == "tz-digital-scenarios");
        Assert.Contains(scenarios.Evaluation.Criteria, c => c.Id == "in-or-moving-to-tongzhou" && c.Result == CriterionResult.NotMet);
        Assert.Equal(Outcome.NotEligible, report.Items.Single(i => i.Measure.MeasureId == "tz-future-industries").Evaluation.Outcome);
        // Not matched at all: a park layout plan and two regional industry programmes give a company nothing.
        Assert.DoesNotContain(report.Items, i => i.Measure.MeasureId is "tz-industry-park-siting" or "jjj-high-end-industry-cultivation" or "jjj-traditional-industry-upgrading");
        Assert.All(report.Items, i => Assert.True(i.Measure.IsMatched));
    }

    [Fact]
    public async Task A_measure_that_gives_a_company_nothing_stays_readable_and_says_why_it_is_not_matched()
    {
        var page = await portal.PageAsync("/measures/tz-industry-park-siting");
        var text = page.QuerySelector("article.measure")!.TextContent;
        Assert.Contains("政府部门和园区", text);
        Assert.Contains("不参与企业匹配", text);
        using var client = portal.CreateClient();
        var json = JsonNode.Parse(await client.GetStringAsync("/api/measures/tz-industry-park-siting"))!;
        Assert.Equal("government", (string?)json["beneficiary"]);
        var search = await portal.PageAsync("/measures?q=" + Uri.EscapeDataString("种业园"));
        var hit = search.QuerySelector("li[data-measure='tz-industry-park-siting']")!;
        Assert.Contains("不参与企业匹配", hit.TextContent);
        Assert.DoesNotContain("不参与企业匹配", search.QuerySelector("li[data-measure='tz-digital-scenarios']")?.TextContent ?? "");
    }

    [Fact]
    public async Task The_API_measure_carries_who_benefits_and_how_to_apply_and_import_validates_them()
    {
        using var client = portal.CreateClient();
        var export = JsonNode.Parse(await client.GetStringAsync("/api/catalog"))!;
        var measures = export["measures"]!.AsArray();
        Assert.All(measures, m => Assert.NotNull(Beneficiary.Parse((string?)m!["beneficiary"])));
        Assert.True(measures[0]!.AsObject().ContainsKey("apply"));

        measures[0]!["beneficiary"] = "everyone";
        measures[1]!.AsObject().Remove("beneficiary");
        measures[2]!["apply"] = new JsonObject { ["channel"] = "carrier-pigeon" };
        measures[3]!["apply"] = new JsonObject { ["links"] = new JsonArray(new JsonObject { ["title"] = "通知", ["url"] = "javascript:alert(1)" }) };
        measures[4]!["apply"] = new JsonObject { ["documents"] = new JsonArray(" ") };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog") { Content = new StringContent(export.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ImportingPortal.Token);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["problems"]!.AsArray().Select(p => (string)p!["path"]!).ToList();
        Assert.Contains("$.measures[0].beneficiary", problems);
        Assert.Contains("$.measures[1].beneficiary", problems);
        Assert.Contains("$.measures[2].apply.channel", problems);
        Assert.Contains("$.measures[3].apply.links[0].url", problems);
        Assert.Contains("$.measures[4].apply.documents[0]", problems);
    }

    [Fact]
    public void Action_facts_give_the_amount_and_a_deadline_only_while_it_is_ahead()
    {
        var row = new MeasureVersionRow { Amount = "最高50万元", WindowOpens = new DateOnly(2025, 7, 1), WindowCloses = new DateOnly(2025, 7, 31) };
        Assert.Equal(new ActionFacts("最高50万元", new DateOnly(2025, 7, 31), new DateOnly(2025, 7, 1)), row.ActionFactsOn(AsOf));
        Assert.Equal(new ActionFacts("最高50万元", new DateOnly(2025, 7, 31), null), row.ActionFactsOn(new DateOnly(2025, 7, 31)));
        Assert.Equal(new ActionFacts("最高50万元", null, null), row.ActionFactsOn(new DateOnly(2025, 8, 1)));
        Assert.Equal(new ActionFacts(null, null, null), new MeasureVersionRow().ActionFactsOn(AsOf));
    }
}
