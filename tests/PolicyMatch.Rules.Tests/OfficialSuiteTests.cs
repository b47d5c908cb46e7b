using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Tests;

/// <summary>The official JsonLogic suite (Data/jsonlogic-tests.json), one test case per entry, in plain mode.</summary>
public class OfficialSuiteTests
{
    private static readonly Lazy<IReadOnlyList<(string Section, JsonNode? Rule, JsonNode? Data, JsonNode? Expected)>> Cases = new(Load);

    public static TheoryData<int, string> CaseIds()
    {
        var data = new TheoryData<int, string>();
        var cases = Cases.Value;
        for (var i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var rule = c.Rule?.ToJsonString() ?? "null";
            data.Add(i, $"{c.Section}: {(rule.Length > 60 ? rule[..60] + "…" : rule)}");
        }

        return data;
    }

    [Fact]
    public void SuiteHas277Cases() => Assert.Equal(277, Cases.Value.Count);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case(int index, string description)
    {
        var (_, rule, data, expected) = Cases.Value[index];
        var actual = JsonLogic.Apply(rule, data);
        Assert.True(
            JsonTestHelpers.JsonEquals(expected, actual),
            $"{description}\nrule {rule?.ToJsonString()} data {data?.ToJsonString()}\nexpected {expected?.ToJsonString() ?? "null"} got {actual?.ToJsonString() ?? "null"}");
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void CaseIsStableWhenTheRuleIsCompiledOnceAndAppliedTwice(int index, string description)
    {
        var (_, rule, data, expected) = Cases.Value[index];
        var compiled = CompiledRule.Compile(rule);
        compiled.Apply(data);
        Assert.True(JsonTestHelpers.JsonEquals(expected, compiled.Apply(data)), description);
    }

    private static List<(string, JsonNode?, JsonNode?, JsonNode?)> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "jsonlogic-tests.json");
        var all = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        var result = new List<(string, JsonNode?, JsonNode?, JsonNode?)>();
        var section = "";
        foreach (var entry in all)
        {
            if (entry is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                section = v.GetValue<string>().TrimStart('#', ' ');
                continue;
            }

            var arr = entry!.AsArray();
            result.Add((section, arr[0]?.DeepClone(), arr[1]?.DeepClone(), arr[2]?.DeepClone()));
        }

        return result;
    }
}
