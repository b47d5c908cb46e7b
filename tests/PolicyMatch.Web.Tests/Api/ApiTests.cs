using PolicyMatch.Web.Infrastructure.Time;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Api;

public class ApiTests(Portal portal) : IClassFixture<Portal>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string url, string json)
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync(url, Json(json));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<JsonNode> GetAsync(string url)
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [Fact]
    public async Task Match_returns_one_result_per_published_measure_with_criteria()
    {
        var (status, body) = await PostAsync("/api/match", """
            { "profile": { "district": "110108", "zones": ["中关村科学城"], "employees": 80, "revenue_last_year": 50000000,
                           "hightech_certificate": { "number": "GR2023", "issued_on": "2023-12-01", "expires_on": "2026-11-30" },
                           "srdi_level": "specialized_sme", "invention_patents": 6 },
              "as_of": "2025-06-01" }
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body!["results"]!.AsArray();
        var catalog = await GetAsync("/api/measures");
        // Measures whose beneficiary is not a company or its staff are not matched (issue 11).
        Assert.Equal(catalog["measures"]!.AsArray().Count(m => (string?)m!["beneficiary"] is "company" or "talent"), results.Count);
        Assert.True(results.Count < (int)catalog["count"]!);
        Assert.Equal("2025-06-01", (string?)body["as_of"]);
        foreach (var r in results)
        {
            Assert.Contains((string?)r!["outcome"], new[] { "eligible", "needs_information", "not_eligible" });
            var criteria = r["criteria"]!.AsArray();
            Assert.Equal((int)r["total"]!, criteria.Count);
            Assert.Equal((int)r["met"]!, criteria.Count(c => (string?)c!["result"] == "met"));
            Assert.All(criteria, c => Assert.NotNull(c!["missing_facts"]));
        }
        Assert.Contains(results, r => (string?)r!["outcome"] == "eligible");
    }

    [Fact]
    public async Task Match_without_as_of_evaluates_today()
    {
        var (status, body) = await PostAsync("/api/match", """{ "profile": { "district": "昌平区" } }""");
        Assert.Equal(HttpStatusCode.OK, status);
        // "Today" is Beijing's date, whatever the zone of the machine running the tests.
        Assert.Equal(BeijingTime.Today(TimeProvider.System).ToString("yyyy-MM-dd"), (string?)body!["as_of"]);
    }

    [Theory]
    [InlineData("{ \"profile\": ", "malformed JSON")]
    [InlineData("[1, 2]", "must be a JSON object")]
    [InlineData("", "empty")]
    [InlineData("""{ "as_of": "2025-06-01" }""", "$.profile")]
    [InlineData("""{ "profile": { "district": "昌平区" }, "as_of": "June 1st" }""", "$.as_of")]
    [InlineData("""{ "profile": { "district": "昌平区", "employees": "many" } }""", "$.profile.employees")]
    [InlineData("""{ "profile": { "district": "昌平区", "uscc": "123" } }""", "$.profile.uscc")]
    [InlineData("""{ "profile": { "employees": 5 } }""", "$.profile.district")]
    [InlineData("""{ "profile": { "district": "昌平区" }, "asof": "2025-01-01" }""", "$.asof")]
    public async Task Match_rejects_bad_requests_with_400_and_the_path_of_the_problem(string json, string expected)
    {
        var (status, body) = await PostAsync("/api/match", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task Match_refuses_a_body_that_is_not_json()
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync("/api/match", new StringContent("district=昌平区", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.True(response.StatusCode is HttpStatusCode.UnsupportedMediaType or HttpStatusCode.BadRequest, response.StatusCode.ToString());
    }

    [Fact]
    public async Task Measures_carry_their_source_document_clause_quote_and_rules()
    {
        var list = await GetAsync("/api/measures");
        var first = list["measures"]!.AsArray()[0]!;
        var id = (string)first["id"]!;
        var one = await GetAsync("/api/measures/" + id);
        Assert.Matches(@"^00\d_[0-9a-f]{16}\.txt$", (string)one["source"]!["document"]!);
        Assert.False(string.IsNullOrEmpty((string?)one["source"]!["clause"]));
        Assert.False(string.IsNullOrEmpty((string?)one["source"]!["quote"]));
        Assert.NotNull(one["criteria"]!.AsArray().FirstOrDefault()?["rule"] ?? JsonValue.Create(true));
    }

    [Fact]
    public async Task The_measures_API_searches_with_the_same_filters_as_the_page()
    {
        var hits = await GetAsync("/api/measures?q=" + Uri.EscapeDataString("人才"));
        Assert.True((int)hits["count"]! > 0);
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/api/measures?kind=x&district=上海");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("kind", text);
        Assert.Contains("district", text);
    }

    [Fact]
    public async Task An_unknown_measure_is_a_json_404()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/api/measures/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-thing", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rules_evaluate_in_plain_jsonlogic_mode()
    {
        var (status, body) = await PostAsync("/api/rules/evaluate", """{ "rule": { "+": [1, { "var": "a" }] }, "data": { "a": 2.5 } }""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3.5m, (decimal)body!["result"]!);
    }

    [Fact]
    public async Task Rules_evaluate_in_three_valued_mode_naming_the_missing_facts()
    {
        var (status, body) = await PostAsync("/api/rules/evaluate", """
            { "rule": { "and": [ { "==": [ { "var": "district" }, "昌平区" ] }, { ">=": [ { "var": "employees" }, 10 ] } ] },
              "data": { "district": "昌平区" }, "mode": "three_valued" }
            """);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("unknown", (string?)body!["result"]);
        Assert.Equal(["employees"], body["missing_facts"]!.AsArray().Select(x => (string)x!));
    }

    [Theory]
    [InlineData("""{ "rule": { "frobnicate": [1] } }""", "frobnicate")]
    [InlineData("""{ "rule": { "and": [ true, { "nope": [] } ] } }""", "$.rule")]
    [InlineData("""{ "data": {} }""", "$.rule")]
    [InlineData("""{ "rule": true, "mode": "fuzzy" }""", "$.mode")]
    [InlineData("""{ "rule": true, "extra": 1 }""", "$.extra")]
    [InlineData("not json", "malformed JSON")]
    public async Task Rules_evaluate_rejects_bad_rules_with_the_path(string json, string expected)
    {
        var (status, body) = await PostAsync("/api/rules/evaluate", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body!.ToJsonString());
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_API()
    {
        var doc = await GetAsync("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/match", paths);
        Assert.Contains("/api/measures/{id}", paths);
        Assert.Contains("/api/rules/evaluate", paths);
    }

    [Fact]
    public async Task Plans_and_notices_are_open_data_too()
    {
        var plans = (await GetAsync("/api/plans")).AsArray();
        Assert.Equal(9, plans.Count); // five plans and the four notices of plan 000 as documents of their own
        var notices = (await GetAsync("/api/notices")).AsArray();
        Assert.Equal(4, notices.Count);
        Assert.All(notices, n => Assert.NotEmpty(n!["measures"]!.AsArray()));
    }
}
