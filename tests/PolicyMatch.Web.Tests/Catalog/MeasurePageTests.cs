using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

/// <summary>Issue 11: the measure page speaks to the public and says how to apply, or that the text does not.</summary>
public class MeasurePageTests(ImportingPortal portal) : IClassFixture<ImportingPortal>
{
    private const string Measure = "cp-hightech-postdoc-workstation";

    [Fact]
    public async Task The_public_sees_no_editors_notes_JsonLogic_file_name_or_version_but_an_about_the_data_section()
    {
        var page = await portal.PageAsync($"/measures/{Measure}");
        var article = page.QuerySelector("article.measure")!;
        Assert.Empty(article.QuerySelectorAll(".admin-only"));
        Assert.DoesNotContain("JsonLogic", article.TextContent);
        Assert.DoesNotContain(".txt", article.TextContent);
        Assert.DoesNotContain("原文为“鼓励”", article.TextContent); // a phrase of the editors' notes
        Assert.DoesNotContain("版本", article.QuerySelector("p.meta")!.TextContent);
        Assert.NotNull(article.QuerySelector("section.about-data"));
    }

    [Fact]
    public async Task An_administrator_still_sees_the_working_material()
    {
        using var admin = await portal.SignInAsync(Roles.Admin);
        var article = (await admin.PageAsync($"/measures/{Measure}")).QuerySelector("article.measure")!;
        Assert.Contains("JsonLogic", article.TextContent);
        Assert.Contains("000_1964764f133f43d3.txt", article.TextContent);
        Assert.Contains("原文为“鼓励”", article.QuerySelector("section.notes")!.TextContent);
    }

    [Fact]
    public async Task A_measure_whose_source_states_no_way_to_apply_says_so_plainly()
    {
        var section = (await portal.PageAsync($"/measures/{Measure}")).GetElementById("how-to-apply")!;
        Assert.Equal("如何申请", section.QuerySelector("h2")!.TextContent);
        Assert.Contains("政策原文没有写明如何申请", section.TextContent);
        var english = (await portal.PageAsync($"/measures/{Measure}?lang=en")).GetElementById("how-to-apply")!;
        Assert.Contains("does not say how to apply", english.TextContent);
    }

    [Fact]
    public async Task A_measure_with_a_window_and_a_channel_shows_them_under_how_to_apply()
    {
        // Test data, not catalog data: a copy of a seed measure given a window and a channel, imported.
        using var client = portal.CreateClient();
        var export = JsonNode.Parse(await client.GetStringAsync("/api/catalog"))!;
        var measure = export["measures"]!.AsArray().Single(m => (string?)m!["id"] == "tz-listing-cultivation-pool")!;
        measure["window"] = new JsonObject { ["opens"] = "2025-05-01", ["closes"] = "2025-06-30" };
        measure["apply"] = new JsonObject
        {
            ["channel"] = "online", ["channel_detail"] = "示例申报系统", ["contact"] = "010-00000000",
            ["documents"] = new JsonArray("申请表", "营业执照复印件"),
            ["links"] = new JsonArray(new JsonObject { ["title"] = "示例申报通知", ["url"] = "https://example.org/notice" }),
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog")
        {
            Content = new StringContent(new JsonObject { ["format"] = (string?)export["format"], ["measures"] = new JsonArray(measure.DeepClone()) }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ImportingPortal.Token);
        var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        var section = (await portal.PageAsync("/measures/tz-listing-cultivation-pool?AsOf=2025-06-01&District=%E9%80%9A%E5%B7%9E%E5%8C%BA")).GetElementById("how-to-apply")!;
        Assert.Contains("2025-05-01 — 2025-06-30", section.TextContent);
        Assert.Contains("申报中", section.TextContent);
        Assert.Contains("网上申报系统:示例申报系统", section.TextContent);
        Assert.Contains("010-00000000", section.TextContent);
        Assert.Equal(2, section.QuerySelectorAll("ul.documents li").Length);
        Assert.Equal("https://example.org/notice", section.QuerySelector("ul.apply-links a")!.GetAttribute("href"));
        Assert.Contains("原文未写明", section.TextContent); // the amount is still not stated

        var api = JsonNode.Parse(await client.GetStringAsync("/api/measures/tz-listing-cultivation-pool"))!;
        Assert.Equal("online", (string?)api["apply"]!["channel"]);
        Assert.Equal("2025-06-30", (string?)api["window"]!["closes"]);
    }
}
