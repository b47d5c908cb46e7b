using System.Text.Json.Nodes;
using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// Three-valued (Kleene) mode, operator by operator. Each row: rule, data, expected result, expected missing facts.
/// Rows run on raw data (missing = var paths as written) and again on a profile built from the same data
/// (missing = top-level names), which exercises both the interpreter and the compiled profile predicates.
/// </summary>
public class ThreeValuedTests
{
    private const CriterionResult Met = CriterionResult.Met;
    private const CriterionResult NotMet = CriterionResult.NotMet;
    private const CriterionResult Unknown = CriterionResult.Unknown;

    private static readonly (string Op, string Rule, string Data, CriterionResult Expected, string[] Missing, string Why)[] Rows =
    [
        ("var", """{"var":"a"}""", "{}", Unknown, ["a"], "an absent fact is unknown"),
        ("var", """{"var":"a"}""", """{"a":null}""", Unknown, ["a"], "null is unknown too"),
        ("var", """{"var":"a"}""", """{"a":true}""", Met, [], "a known truthy value"),
        ("var", """{"var":"a"}""", """{"a":0}""", NotMet, [], "0 is known and falsy"),
        ("var", """{"var":"a"}""", """{"a":false}""", NotMet, [], "false is a known no"),
        ("var", """{"var":["a", true]}""", "{}", Met, [], "a default makes absence known"),
        ("var", """{"var":"a.b"}""", """{"a":{}}""", Unknown, ["a.b"], "a missing member on the way is unknown"),
        ("var", """{"var":"a.b"}""", """{"a":false}""", NotMet, [], "reading into a stated false is a known null"),
        ("var", """{"var":[{"var":"which"}]}""", "{}", Unknown, ["which"], "an unknown computed path is unknown"),
        ("missing", """{"missing":["a","b"]}""", """{"a":1}""", Met, [], "missing reports absence, it is never unknown"),
        ("missing", """{"missing":["a","b"]}""", """{"a":1,"b":2}""", NotMet, [], "nothing missing: empty array, falsy"),
        ("missing_some", """{"missing_some":[1,["a","b"]]}""", "{}", Met, [], "both missing"),
        ("missing_some", """{"missing_some":[1,["a","b"]]}""", """{"b":2}""", NotMet, [], "one of the two is enough"),
        ("if", """{"if":[{"var":"a"}, true, false]}""", "{}", Unknown, ["a"], "unknown condition"),
        ("if", """{"if":[{"var":"a"}, true, false]}""", """{"a":1}""", Met, [], "known condition"),
        ("if", """{"if":[true, {"var":"b"}, false]}""", "{}", Unknown, ["b"], "the branch taken is unknown"),
        ("if", """{"if":[false, {"var":"b"}, false]}""", "{}", NotMet, [], "the unknown branch is not taken"),
        ("?:", """{"?:":[{"var":"a"}, true, false]}""", "{}", Unknown, ["a"], "same as if"),
        ("==", """{"==":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        ("==", """{"==":[{"var":"a"}, 1]}""", """{"a":"1"}""", Met, [], "loose equality once known"),
        ("===", """{"===":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        ("===", """{"===":[{"var":"a"}, 1]}""", """{"a":"1"}""", NotMet, [], "strict equality once known"),
        ("!=", """{"!=":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "not: still unknown"),
        ("!==", """{"!==":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "not: still unknown"),
        ("!", """{"!":{"var":"a"}}""", "{}", Unknown, ["a"], "NOT unknown = unknown"),
        ("!", """{"!":{"var":"a"}}""", """{"a":false}""", Met, [], "NOT false"),
        ("!!", """{"!!":{"var":"a"}}""", "{}", Unknown, ["a"], "truthiness of unknown = unknown"),
        ("or", """{"or":[{"var":"a"},{"var":"b"}]}""", "{}", Unknown, ["a", "b"], "unknown OR unknown"),
        ("or", """{"or":[{"var":"a"},{"var":"b"}]}""", """{"b":true}""", Met, [], "unknown OR true = true"),
        ("or", """{"or":[{"var":"a"},{"var":"b"}]}""", """{"a":false}""", Unknown, ["b"], "false OR unknown = unknown"),
        ("or", """{"or":[{"var":"a"},{"var":"b"}]}""", """{"a":false,"b":0}""", NotMet, [], "false OR false"),
        ("and", """{"and":[{"var":"a"},{"var":"b"}]}""", "{}", Unknown, ["a", "b"], "unknown AND unknown"),
        ("and", """{"and":[{"var":"a"},{"var":"b"}]}""", """{"b":false}""", NotMet, [], "unknown AND false = false"),
        ("and", """{"and":[{"var":"a"},{"var":"b"}]}""", """{"a":true}""", Unknown, ["b"], "true AND unknown = unknown"),
        ("and", """{"and":[{"var":"a"},{"var":"b"}]}""", """{"a":1,"b":"x"}""", Met, [], "true AND true"),
        (">", """{">":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        (">", """{">":[{"var":"a"}, 1]}""", """{"a":2}""", Met, [], "known"),
        (">=", """{">=":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        (">=", """{">=":[{"var":"a"}, 1]}""", """{"a":0}""", NotMet, [], "known"),
        ("<", """{"<":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        ("<", """{"<":[0, {"var":"a"}, 10]}""", "{}", Unknown, ["a"], "between with an unknown middle"),
        ("<", """{"<":[0, {"var":"a"}, 10]}""", """{"a":10}""", NotMet, [], "between, known"),
        ("<", """{"<":[5, 3, {"var":"a"}]}""", "{}", NotMet, [], "between: a known false half decides (Kleene AND)"),
        ("<", """{"<":[{"var":"a"}, 5, 3]}""", "{}", NotMet, [], "between: a known false half decides"),
        ("<=", """{"<=":[{"var":"a"}, 1]}""", "{}", Unknown, ["a"], "comparison with an unknown operand"),
        ("<=", """{"<=":[1, 2, {"var":"a"}]}""", "{}", Unknown, ["a"], "between: true half AND unknown half"),
        ("<=", """{"<=":[1, {"var":"a"}, 1]}""", """{"a":1}""", Met, [], "between, inclusive"),
        ("max", """{">":[{"max":[{"var":"a"}, 3]}, 2]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("max", """{">":[{"max":[{"var":"a"}, 1]}, 2]}""", """{"a":5}""", Met, [], "known"),
        ("min", """{"<":[{"min":[{"var":"a"}, 3]}, 2]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("+", """{"==":[{"+":[{"var":"a"}, 1]}, 3]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("+", """{"==":[{"+":[{"var":"a"}, 1]}, 3]}""", """{"a":2}""", Met, [], "known"),
        ("-", """{"==":[{"-":[{"var":"a"}, 1]}, 1]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("*", """{"==":[{"*":[{"var":"a"}, 2]}, 4]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("/", """{">=":[{"/":[{"var":"rd"}, {"var":"rev"}]}, 0.05]}""", """{"rd":1}""", Unknown, ["rev"], "only the unknown operand is reported"),
        ("/", """{">=":[{"/":[{"var":"rd"}, {"var":"rev"}]}, 0.05]}""", """{"rd":6,"rev":100}""", Met, [], "known"),
        ("%", """{"==":[{"%":[{"var":"a"}, 2]}, 1]}""", "{}", Unknown, ["a"], "arithmetic on an unknown is unknown"),
        ("map", """{"in":[4, {"map":[{"var":"xs"}, {"*":[{"var":""}, 2]}]}]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("map", """{"in":[4, {"map":[{"var":"xs"}, {"*":[{"var":""}, 2]}]}]}""", """{"xs":[1,2]}""", Met, [], "known"),
        ("filter", """{"filter":[{"var":"xs"}, {">":[{"var":""}, 1]}]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("filter", """{"filter":[{"var":"xs"}, {">":[{"var":""}, 1]}]}""", """{"xs":[1]}""", NotMet, [], "empty result is falsy"),
        ("reduce", """{">":[{"reduce":[{"var":"xs"}, {"+":[{"var":"current"},{"var":"accumulator"}]}, 0]}, 2]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("reduce", """{">":[{"reduce":[{"var":"xs"}, {"+":[{"var":"current"},{"var":"accumulator"}]}, 0]}, 2]}""", """{"xs":[1,2]}""", Met, [], "known"),
        ("reduce", """{"reduce":[[1], {"+":[{"var":"current"},{"var":"accumulator"}]}, {"var":"init"}]}""", "{}", Unknown, ["init"], "unknown initial value"),
        ("all", """{"all":[{"var":"xs"}, {">":[{"var":""}, 0]}]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("all", """{"all":[{"var":"xs"}, {">":[{"var":""}, 0]}]}""", """{"xs":[]}""", NotMet, [], "all of nothing is false (JsonLogic)"),
        ("none", """{"none":[{"var":"xs"}, {">":[{"var":""}, 0]}]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("none", """{"none":[{"var":"xs"}, {">":[{"var":""}, 0]}]}""", """{"xs":[]}""", Met, [], "none of nothing"),
        ("some", """{"some":[{"var":"xs"}, {">":[{"var":""}, 0]}]}""", "{}", Unknown, ["xs"], "unknown collection"),
        ("some", """{"some":[{"var":"items"}, {"var":"ok"}]}""", """{"items":[{}]}""", NotMet, [], "inside the scope, absence is plain null"),
        ("merge", """{"in":["x", {"merge":[{"var":"a"}, ["y"]]}]}""", "{}", Unknown, ["a"], "merge with an unknown part"),
        ("merge", """{"in":["x", {"merge":[{"var":"a"}, ["y"]]}]}""", """{"a":["x"]}""", Met, [], "known"),
        ("in", """{"in":["x", {"var":"a"}]}""", "{}", Unknown, ["a"], "unknown haystack"),
        ("in", """{"in":[{"var":"a"}, ["x"]]}""", "{}", Unknown, ["a"], "unknown needle"),
        ("in", """{"in":[{"var":"a"}, ["x"]]}""", """{"a":"y"}""", NotMet, [], "known"),
        ("cat", """{"==":[{"cat":[{"var":"a"}, "b"]}, "ab"]}""", "{}", Unknown, ["a"], "unknown part"),
        ("cat", """{"==":[{"cat":[{"var":"a"}, "b"]}, "ab"]}""", """{"a":"a"}""", Met, [], "known"),
        ("substr", """{"==":[{"substr":[{"var":"a"}, 1]}, "b"]}""", "{}", Unknown, ["a"], "unknown source"),
        ("substr", """{"==":[{"substr":[{"var":"a"}, 1]}, "b"]}""", """{"a":"ab"}""", Met, [], "known"),
    ];

    public static TheoryData<int, string> RowIds()
    {
        var data = new TheoryData<int, string>();
        for (var i = 0; i < Rows.Length; i++)
        {
            data.Add(i, $"{Rows[i].Op}: {Rows[i].Why} — {Rows[i].Rule} on {Rows[i].Data}");
        }

        return data;
    }

    [Fact]
    public void EveryOperatorIsCoveredInThreeValuedMode()
    {
        string[] operators =
        [
            "var", "missing", "missing_some", "if", "?:", "==", "===", "!=", "!==", "!", "!!", "or", "and",
            ">", ">=", "<", "<=", "max", "min", "+", "-", "*", "/", "%", "map", "filter", "reduce", "all", "none",
            "some", "merge", "in", "cat", "substr",
        ];
        Assert.Empty(operators.Except(Rows.Select(r => r.Op)));
    }

    [Theory]
    [MemberData(nameof(RowIds))]
    public void OnRawData(int row, string description)
    {
        var (_, rule, data, expected, missing, _) = Rows[row];
        var result = CompiledRule.Compile(J(rule)).ApplyThreeValued(J(data));
        Assert.True(expected == result.Result, $"{description}: expected {expected}, got {result.Result}");
        Assert.Equal(missing, result.MissingFacts);
    }

    [Theory]
    [MemberData(nameof(RowIds))]
    public void OnAProfile(int row, string description)
    {
        var (_, rule, data, expected, missing, _) = Rows[row];
        var facts = ProfileFacts.From(O(data), new DateOnly(2025, 1, 1));
        var compiled = CompiledRule.Compile(J(rule));
        var result = compiled.ApplyThreeValued(facts);
        Assert.True(expected == result.Result, $"{description}: expected {expected}, got {result.Result}");
        // On a profile, missing facts are named by their top-level name.
        Assert.Equal(missing.Select(m => m.Split('.')[0]).Distinct(), result.MissingFacts);
    }

    [Theory]
    [InlineData("""{">=":[{"var":"age_years"}, 3]}""", """{"district":"昌平区"}""", "Unknown", "established_on")]
    [InlineData("""{"==":[{"var":"size_band"}, "small"]}""", """{"employees":50}""", "Unknown", "revenue_last_year")]
    [InlineData("""{"==":[{"var":"size_band"}, "small"]}""", """{"employees":5}""", "NotMet", "")]
    [InlineData("""{"var":"hightech_valid"}""", """{"hightech_certificate":false}""", "NotMet", "")]
    [InlineData("""{"var":"hightech_valid"}""", """{}""", "Unknown", "hightech_certificate")]
    [InlineData("""{">=":[{"var":"rd_intensity"}, 0.05]}""", """{"revenue_last_year":1000}""", "Unknown", "rd_expense_last_year")]
    [InlineData("""{">=":[{"var":"rd_intensity"}, 0.05]}""", """{}""", "Unknown", "revenue_last_year,rd_expense_last_year")]
    [InlineData("""{">=":[{"var":"srdi_rank"}, 2]}""", """{"srdi_level":"little_giant"}""", "Met", "")]
    [InlineData("""{"and":[{"var":"in_beijing"}, {">=":[{"var":"employees"}, 10]}]}""", """{"district":"天津市"}""", "NotMet", "")]
    [InlineData("""{"and":[{"var":"in_beijing"}, {">=":[{"var":"employees"}, 10]}]}""", """{"district":"海淀区"}""", "Unknown", "employees")]
    [InlineData("""{"or":[{"var":"gazelle"}, {">=":[{"var":"invention_patents"}, 5]}]}""", """{"invention_patents":7}""", "Met", "")]
    [InlineData("""{"in":["人工智能", {"var":"focus_areas"}]}""", """{}""", "Unknown", "focus_areas")]
    [InlineData("""{"var":"not_a_schema_fact"}""", """{}""", "Unknown", "not_a_schema_fact")]
    public void DerivedFactsReportTheirPublicInputs(string rule, string profile, string expected, string missing)
    {
        var result = CompiledRule.Compile(J(rule)).ApplyThreeValued(ProfileFacts.From(O(profile), new DateOnly(2025, 6, 30)));
        Assert.Equal(Enum.Parse<CriterionResult>(expected), result.Result);
        Assert.Equal(missing.Length == 0 ? [] : missing.Split(','), result.MissingFacts);
    }
}
