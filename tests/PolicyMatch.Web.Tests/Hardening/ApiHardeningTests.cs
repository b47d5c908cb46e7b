using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>
/// What the black-box probe of issue 14 sent to the API: rules that spin or balloon, bodies that are not
/// JSON objects a reader can trust. Each answers 4xx naming the problem, never 500 or a stuck core.
/// </summary>
public class ApiHardeningTests(Portal portal) : IClassFixture<Portal>
{
    private async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string url, HttpContent content)
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync(url, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try { body = text.Length == 0 ? null : JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return (response.StatusCode, body);
    }

    private static ByteArrayContent Bytes(byte[] bytes, string type = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return content;
    }

    private static ByteArrayContent Json(string json) => Bytes(Encoding.UTF8.GetBytes(json));

    private static string Range(int n) => "[" + string.Join(",", Enumerable.Range(0, n)) + "]";

    [Fact]
    public async Task Nested_reduces_answer_422_naming_the_step_limit()
    {
        var body = """{"+":[{"var":"accumulator"},1]}""";
        for (var i = 0; i < 3; i++)
        {
            body = $$"""{"reduce":[{{Range(1000)}},{{body}},0]}""";
        }
        var (status, json) = await PostAsync("/api/rules/evaluate", Json("{\"rule\":" + body + ",\"data\":{}}"));
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("steps", (string?)json!["limit"]);
        Assert.Equal(1_000_000, (int)json["allowed"]!);
        Assert.StartsWith("$.rule.reduce", (string?)json["problems"]![0]!["path"]);
        Assert.Contains("steps", (string?)json["error"]);
    }

    [Fact]
    public async Task A_doubling_string_answers_422_naming_the_size_limit()
    {
        var rule = $$"""{"reduce":[{{Range(40)}},{"cat":[{"var":"accumulator"},{"var":"accumulator"}]},"ab"]}""";
        var (status, json) = await PostAsync("/api/rules/evaluate", Json("{\"rule\":" + rule + ",\"data\":{}}"));
        Assert.Equal((HttpStatusCode)422, status);
        Assert.Equal("value_size", (string?)json!["limit"]);
        Assert.Contains("$.rule.reduce", (string?)json["problems"]![0]!["path"]);
    }

    [Theory]
    [InlineData("""{"rule":true,"rule":false}""", "$.rule")]
    [InlineData("""{"rule":{"var":"a"},"data":{"a":1,"a":2}}""", "$.data.a")]
    [InlineData("""{"rule":{"cat":["\ud800"]},"data":{}}""", "$.rule.cat[0]")]
    [InlineData("""{"rule":true,"data":{"x":"ok\udc00"}}""", "$.data.x")]
    public async Task Duplicate_keys_and_lone_surrogates_answer_400_with_the_path(string json, string path)
    {
        var (status, body) = await PostAsync("/api/rules/evaluate", Json(json));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(path, (string?)body!["problems"]![0]!["path"]);
    }

    [Fact]
    public async Task Invalid_utf8_answers_400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"profile":{"name":"AB"}}""");
        var at = Array.IndexOf(bytes, (byte)'A');
        bytes[at] = 0xC3;
        bytes[at + 1] = 0x28;
        var (status, body) = await PostAsync("/api/match", Bytes(bytes));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("UTF-8", (string?)body!["error"]);
    }

    [Fact]
    public async Task Match_sent_as_multipart_answers_415()
    {
        var form = new MultipartFormDataContent { { new StringContent("{}"), "profile" } };
        var (status, _) = await PostAsync("/api/match", form);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }
}
