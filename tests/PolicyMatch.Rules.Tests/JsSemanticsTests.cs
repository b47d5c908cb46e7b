using System.Text.Json.Nodes;
using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>JavaScript semantics beyond the official suite, and the decimal arithmetic.</summary>
public class JsSemanticsTests
{
    [Theory]
    [InlineData("""{"+":[0.1, 0.2]}""", "0.3")] // decimal, not 0.30000000000000004
    [InlineData("""{"*":[1.1, 3]}""", "3.3")]
    [InlineData("""{"-":[0.3, 0.1]}""", "0.2")]
    [InlineData("""{"/":[1, 4]}""", "0.25")]
    [InlineData("""{"/":[1, 0]}""", "null")] // Infinity: JSON has no such number, as JSON.stringify
    [InlineData("""{"+":["abc"]}""", "null")] // NaN
    [InlineData("""{"+":["3.5abc", 1]}""", "4.5")] // parseFloat prefix
    [InlineData("""{"*":["2"]}""", "\"2\"")] // json-logic-js reduce without initial value: one argument comes back as is
    [InlineData("""{"-":["3"]}""", "-3")]
    [InlineData("""{"%":[-7, 2]}""", "-1")]
    [InlineData("""{"max":["3", 1, true]}""", "3")]
    [InlineData("""{"max":[1, "x"]}""", "null")]
    [InlineData("""{"==":[null, 0]}""", "false")]
    [InlineData("""{"==":["", 0]}""", "true")]
    [InlineData("""{"==":[[1], 1]}""", "true")]
    [InlineData("""{"==":[true, "1"]}""", "true")]
    [InlineData("""{"===":[[1], [1]]}""", "false")]
    [InlineData("""{"<":[null, 1]}""", "true")]
    [InlineData("""{"<":["10", "9"]}""", "true")] // two strings compare by code units
    [InlineData("""{"<":[10, "9"]}""", "false")]
    [InlineData("""{"<":[{"+":["abc"]}, 1]}""", "false")] // NaN compares false
    [InlineData("""{">=":[{"+":["abc"]}, 1]}""", "false")]
    [InlineData("""{"in":["", "abc"]}""", "true")]
    [InlineData("""{"in":["a", ""]}""", "false")]
    [InlineData("""{"in":[1, "a1"]}""", "true")]
    [InlineData("""{"in":[1, ["1"]]}""", "false")] // array membership is ===
    [InlineData("""{"cat":[1.50, null, [1, 2], true]}""", "\"1.51,2true\"")]
    [InlineData("""{"cat":[1e21, " ", 0.0000001]}""", "\"1e+21 1e-7\"")]
    [InlineData("""{"substr":["jsonlogic", 20]}""", "\"\"")]
    [InlineData("""{"substr":["jsonlogic", 2, -20]}""", "\"\"")]
    [InlineData("""{"merge":[[1, [2]], 3]}""", "[1,[2],3]")]
    [InlineData("""{"var":"a.length"}""", "2")]
    [InlineData("""{"var":"s.1"}""", "\"b\"")]
    [InlineData("""{"var":["n", 9]}""", "null")] // a stated null is returned as is, not the default
    [InlineData("""{"missing":["n", "e", "a"]}""", "[\"n\",\"e\"]")]
    public void EvaluatesLikeJavaScript(string rule, string expected)
    {
        var data = J("""{"a":[1,2], "s":"abc", "n":null, "e":""}""");
        var actual = JsonLogic.Apply(J(rule), data);
        Assert.True(JsonTestHelpers.JsonEquals(J(expected), actual), $"{rule}: expected {expected}, got {actual?.ToJsonString() ?? "null"}");
    }

    [Fact]
    public void NumbersComeBackAsDecimal()
    {
        var result = JsonLogic.Apply(J("""{"+":[0.1, 0.2]}"""), null)!.AsValue();
        Assert.True(result.TryGetValue<decimal>(out var d));
        Assert.Equal(0.3m, d);
    }

    [Fact]
    public void ResultsAreNormalisedWithoutTrailingZeros()
    {
        Assert.Equal("2", JsonLogic.Apply(J("""{"+":[1.5, 0.5]}"""), null)!.ToJsonString());
    }

    [Fact]
    public void HugeNumbersFallBackToDouble()
    {
        Assert.Equal(1e300, (double)JsonLogic.Apply(J("""{"*":[1e150, 1e150]}"""), null)!, 1e285);
    }

    [Fact]
    public void DataIsNotModifiedAndRulesAreReusable()
    {
        var data = O("""{"xs":[3,1,2]}""");
        var before = data.ToJsonString();
        var rule = CompiledRule.Compile(J("""{"map":[{"var":"xs"}, {"*":[{"var":""}, 2]}]}"""));
        Assert.Equal("[6,2,4]", rule.Apply(data)!.ToJsonString());
        Assert.Equal("[6,2,4]", rule.Apply(data)!.ToJsonString());
        Assert.Equal(before, data.ToJsonString());
    }

    [Fact]
    public void ApplyOnAProfileSeesDerivedFacts()
    {
        var facts = ProfileFacts.From(O("""{"srdi_level":"little_giant","established_on":"2020-01-01"}"""), new DateOnly(2025, 1, 1));
        var rule = CompiledRule.Compile(J("""{"cat":[{"var":"srdi_rank"}, "/", {"var":"age_years"}]}"""));
        Assert.Equal("3/5", (string)rule.Apply(facts)!);
        Assert.Equal(JsonValue.Create(3)!.ToJsonString(), CompiledRule.Compile(J("""{"var":"srdi_rank"}""")).Apply(facts)!.ToJsonString());
    }
}
