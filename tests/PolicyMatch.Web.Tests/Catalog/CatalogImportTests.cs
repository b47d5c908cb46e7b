using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

public sealed class ImportingPortal : Portal
{
    public const string Token = "test-import-token";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Catalog:ImportToken"] = Token };
}

/// <summary>Export → import round trips; a bad file is rejected whole, each problem with its path.</summary>
public class CatalogImportTests(ImportingPortal portal) : IClassFixture<ImportingPortal>
{
    private async Task<string> ExportAsync()
    {
        using var client = portal.CreateClient();
        return await client.GetStringAsync("/api/catalog");
    }

    private async Task<HttpResponseMessage> ImportAsync(string json, string? token = ImportingPortal.Token)
    {
        using var client = portal.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/catalog") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static JsonNode WithoutTimestamp(string export)
    {
        var node = JsonNode.Parse(export)!;
        node.AsObject().Remove("exported_at");
        return node;
    }

    [Fact]
    public async Task Export_then_import_round_trips_to_an_identical_catalog()
    {
        var before = await ExportAsync();
        var response = await ImportAsync(before);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(0, (int)result["created"]!);
        Assert.Equal(0, (int)result["new_versions"]!);
        var after = await ExportAsync();
        Assert.True(JsonNode.DeepEquals(WithoutTimestamp(before), WithoutTimestamp(after)));
        Assert.Contains("高新技术企业", before); // Chinese unescaped in the open data
    }

    [Fact]
    public async Task An_edited_measure_imports_as_a_new_version_and_keeps_the_old_one()
    {
        var export = JsonNode.Parse(await ExportAsync())!;
        var measure = export["measures"]!.AsArray()[0]!;
        var id = (string)measure["id"]!;
        var version = (int)measure["version"]!;
        measure["summary"] = (string)measure["summary"]! + "(导入测试修改)";
        var response = await ImportAsync(export.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var client = portal.CreateClient();
        var now = JsonNode.Parse(await client.GetStringAsync($"/api/measures/{id}"))!;
        Assert.Equal(version + 1, (int)now["version"]!);
        Assert.EndsWith("(导入测试修改)", (string)now["summary"]!);
        var old = JsonNode.Parse(await client.GetStringAsync($"/api/measures/{id}?version={version}"))!;
        Assert.DoesNotContain("导入测试修改", (string)old["summary"]!);
    }

    [Fact]
    public async Task A_rule_beyond_the_evaluation_limits_is_refused_naming_the_limit_and_its_path()
    {
        var export = JsonNode.Parse(await ExportAsync())!;
        var measure = export["measures"]!.AsArray()[0]!;
        var range = "[" + string.Join(",", Enumerable.Range(0, 1000)) + "]";
        var rule = "{\"+\":[{\"var\":\"accumulator\"},1]}";
        for (var i = 0; i < 3; i++) rule = "{\"reduce\":[" + range + "," + rule + ",0]}";
        measure["criteria"]![0]!["rule"] = JsonNode.Parse("{\">\":[" + rule + ",0]}");
        var response = await ImportAsync(export.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Contains("1,000,000 steps"), body);
        Assert.True(body.Contains("criteria[0].rule[\\u0027\\u003E\\u0027][0].reduce[1].reduce"), body);
    }

    [Fact]
    public async Task A_file_with_problems_is_rejected_whole_with_each_problem_path_and_nothing_changes()
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        var versionsBefore = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measure_versions");

        var export = JsonNode.Parse(await ExportAsync())!;
        var measures = export["measures"]!.AsArray();
        measures[0]!["summary"] = "这一条本身是好的修改";
        measures[1]!["kind"] = "bribe";
        measures[2]!["criteria"]!.AsArray().Add(new JsonObject { ["id"] = "x", ["label_zh"] = "坏规则", ["label_en"] = "bad", ["rule"] = new JsonObject { ["frobnicate"] = 1 } });
        measures[3]!["source"]!["quote"] = "原文中没有这句话";
        export["notices"]!.AsArray()[0]!["measures"] = new JsonArray("no-such-measure");

        var response = await ImportAsync(export.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problems = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["problems"]!.AsArray().Select(p => (string)p!["path"]!).ToList();
        Assert.Contains("$.measures[1].kind", problems);
        Assert.Contains(problems, p => p.StartsWith("$.measures[2].criteria[", StringComparison.Ordinal) && p.Contains(".rule"));
        Assert.Contains("$.measures[3].source.quote", problems);
        Assert.Contains("$.notices[0].measures[0]", problems);
        Assert.Equal(versionsBefore, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM measure_versions"));
    }

    [Theory]
    [InlineData("{", "$")]
    [InlineData("""{ "format": "something-else/9", "measures": [] }""", "$.format")]
    [InlineData("""{ "format": "policymatch-catalog/1", "measures": [ { "id": "x" } ] }""", "$")]
    public async Task Malformed_files_are_rejected_with_a_path(string json, string path)
    {
        var response = await ImportAsync(json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.StartsWith(path, (string)body["problems"]!.AsArray()[0]!["path"]!);
    }

    [Fact]
    public async Task Import_needs_the_operators_token()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync("{}", token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ImportAsync("{}", token: "wrong")).StatusCode);
    }

    [Fact]
    public async Task An_oversized_file_is_refused()
    {
        var response = await ImportAsync(new string(' ', 6 * 1024 * 1024) + "{}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than", await response.Content.ReadAsStringAsync());
    }
}

public class ImportSwitchedOffTests(Portal portal) : IClassFixture<Portal>
{
    [Fact]
    public async Task Without_a_configured_token_import_is_refused()
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync("/api/catalog", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
