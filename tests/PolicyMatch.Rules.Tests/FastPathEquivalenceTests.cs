using System.Text.Json.Nodes;
using PolicyMatch.Rules.Evaluation;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// The compiled profile predicates are an optimisation of the interpreter: on random rules (the common shapes
/// and odd ones) and random profiles (absent facts, values of unexpected types) they must give the same answer,
/// in plain and in three-valued mode; and plain mode on a profile must equal JsonLogic on the profile's facts as
/// raw JSON.
/// </summary>
public class FastPathEquivalenceTests
{
    private static readonly string[] NumberFacts = ["employees", "revenue_last_year", "invention_patents", "age_years", "srdi_rank", "rd_intensity", "hightech_expires_in_days", "tech_sme_year"];
    private static readonly string[] StringFacts = ["district", "srdi_level", "size_band", "listing_status", "industry_code"];
    private static readonly string[] BoolFacts = ["gazelle", "unicorn", "in_beijing", "hightech_valid", "is_sme", "tech_sme_valid", "university_spinoff"];
    private static readonly string[] ArrayFacts = ["focus_areas", "zones"];
    private static readonly string[] Districts = ["昌平区", "海淀区", "天津市", ""];
    private static readonly string[] Areas = ["医药健康", "人工智能", "集成电路"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CompiledPredicatesAgreeWithTheInterpreter(int seed)
    {
        var rng = new Random(seed);
        var rules = Enumerable.Range(0, 300).Select(_ => CompiledRule.Compile(Rule(rng, 3))).ToArray();
        var profiles = Enumerable.Range(0, 80).Select(_ => ProfileFacts.From(Profile(rng), new DateOnly(2025, 6, 30))).ToArray();
        var mismatches = new List<string>();
        foreach (var rule in rules)
        {
            foreach (var f in profiles)
            {
                var plainFast = rule.IsTruthy(f);
                var plainSlow = Js.Truthy(rule.EvalPlain(f));
                var raw = Js.Truthy(ValJson.FromNode(rule.Apply(f.ToJson())));
                var kleeneFast = rule.KleenePredicate(f);
                var k = rule.EvalKleene(f);
                var kleeneSlow = k.IsUnknown ? Tri.Unknown : Js.Truthy(k) ? Tri.True : Tri.False;
                if (plainFast != plainSlow || plainSlow != raw || kleeneFast != kleeneSlow)
                {
                    mismatches.Add($"{rule.Root.Path} {Describe(rule)} on {f.ToJson().ToJsonString()}: plain {plainFast}/{plainSlow}/{raw} kleene {kleeneFast}/{kleeneSlow}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(10)));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(6)]
    public void MeasureEvaluationAgreesWithTheInterpreter(int seed)
    {
        var rng = new Random(seed);
        var engine = new EligibilityEngine();
        var measures = Enumerable.Range(0, 60).Select(m => engine.Compile(new MeasureRuleSet($"m{m}", 1,
            [.. Enumerable.Range(0, rng.Next(0, 6)).Select(c => new Criterion($"c{c}", "", "", Rule(rng, 1)))]))).ToArray();
        var profiles = Enumerable.Range(0, 60).Select(_ => ProfileFacts.From(Profile(rng), new DateOnly(2025, 6, 30))).ToArray();
        foreach (var m in measures)
        {
            foreach (var f in profiles)
            {
                var e = engine.Evaluate(m, f);
                for (var i = 0; i < m.Criteria.Count; i++)
                {
                    var expected = CompiledRule.Compile(m.Criteria[i].Rule).ApplyThreeValued(f);
                    Assert.Equal(expected.Result, e.Criteria[i].Result);
                    Assert.Equal(expected.MissingFacts, e.Criteria[i].MissingFacts);
                }

                var s = engine.Summarize(m, f);
                Assert.Equal((e.Outcome, e.Met), (s.Outcome, s.Met));
            }
        }
    }

    [Fact]
    public void StringsCompareCorrectlyWhicheverWasSeenFirst()
    {
        // The profile is built before the rule's constant exists: its string is not the shared instance.
        var unique = "测试区" + Guid.NewGuid().ToString("N");
        var before = ProfileFacts.From(new JsonObject { ["district"] = unique, ["focus_areas"] = new JsonArray(unique) }, new DateOnly(2025, 1, 1));
        var eq = CompiledRule.Compile(Op("==", Var("district"), unique));
        var member = CompiledRule.Compile(Op("in", unique, Var("focus_areas")));
        var both = CompiledRule.Compile(Op("and", Op("==", Var("district"), unique), Op("in", unique, Var("focus_areas"))));
        var after = ProfileFacts.From(new JsonObject { ["district"] = unique, ["focus_areas"] = new JsonArray(unique) }, new DateOnly(2025, 1, 1));
        var other = ProfileFacts.From(new JsonObject { ["district"] = unique + "x", ["focus_areas"] = new JsonArray(unique + "x") }, new DateOnly(2025, 1, 1));
        foreach (var rule in new[] { eq, member, both })
        {
            Assert.True(rule.IsTruthy(before));
            Assert.True(rule.IsTruthy(after));
            Assert.False(rule.IsTruthy(other));
            Assert.Equal(CriterionResult.Met, rule.ApplyThreeValued(before).Result);
            Assert.Equal(CriterionResult.NotMet, rule.ApplyThreeValued(other).Result);
        }
    }

    private static string Describe(CompiledRule rule) => rule.Root.ToString() ?? "";

    internal static JsonNode Rule(Random rng, int depth)
    {
        var pick = depth <= 0 ? rng.Next(8) : rng.Next(14);
        return pick switch
        {
            0 => Op(Pick(rng, "==", "!=", "===", "!=="), Var(Pick(rng, StringFacts)), Pick(rng, Districts.Concat(["micro", "none"]).ToArray())),
            1 => Op(Pick(rng, ">=", ">", "<", "<=", "==", "!="), Var(Pick(rng, NumberFacts)), Number(rng)),
            2 => Op(Pick(rng, "<", "<="), Number(rng), Var(Pick(rng, NumberFacts)), Number(rng)),
            3 => Op("in", Pick(rng, Areas), Var(Pick(rng, ArrayFacts))),
            4 => Op("in", Var(Pick(rng, StringFacts)), new JsonArray([.. Districts.Take(rng.Next(1, 4)).Select(d => (JsonNode?)d)])),
            5 => Var(Pick(rng, BoolFacts.Concat(NumberFacts).Concat(StringFacts).ToArray())),
            6 => Op(Pick(rng, "==", "!=", "===", "!=="), Var(Pick(rng, BoolFacts)), rng.Next(2) == 0),
            7 => Op(Pick(rng, "==", "<", ">="), Var(Pick(rng, NumberFacts.Concat(StringFacts).ToArray())), OddLiteral(rng)),
            8 => Op("and", [.. Enumerable.Range(0, rng.Next(1, 5)).Select(_ => Rule(rng, depth - 1))]),
            9 => Op("or", [.. Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Rule(rng, depth - 1))]),
            10 => Op(Pick(rng, "!", "!!"), Rule(rng, depth - 1)),
            11 => Op("if", Rule(rng, depth - 1), Rule(rng, depth - 1), Rule(rng, depth - 1)),
            12 => Op(">=", Op(Pick(rng, "+", "-", "*", "/"), Var(Pick(rng, NumberFacts)), Number(rng)), Number(rng)),
            _ => Op(Pick(rng, "some", "all", "none"), Var(Pick(rng, ArrayFacts)), Op("==", Var(""), Pick(rng, Areas))),
        };
    }

    internal static JsonObject Profile(Random rng)
    {
        var p = new JsonObject();
        void Maybe(string name, Func<JsonNode?> value)
        {
            if (rng.Next(5) != 0)
            {
                p[name] = rng.Next(12) == 0 ? Odd(rng) : value();
            }
        }

        Maybe("district", () => Pick(rng, Districts));
        Maybe("employees", () => rng.Next(0, 1500));
        Maybe("revenue_last_year", () => rng.Next(0, 3) * 2_500_000m + rng.Next(0, 2) * 0.5m);
        Maybe("rd_expense_last_year", () => rng.Next(0, 500_000));
        Maybe("invention_patents", () => rng.Next(0, 8));
        Maybe("established_on", () => $"{rng.Next(2015, 2026)}-0{rng.Next(1, 10)}-1{rng.Next(0, 10)}");
        Maybe("srdi_level", () => Pick(rng, "none", "innovative_sme", "specialized_sme", "little_giant"));
        Maybe("tech_sme_year", () => rng.Next(3) == 0 ? false : rng.Next(2023, 2026));
        Maybe("hightech_certificate", () => rng.Next(2) == 0 ? false : new JsonObject { ["issued_on"] = $"202{rng.Next(1, 6)}-0{rng.Next(1, 10)}-15" });
        Maybe("focus_areas", () => new JsonArray([.. Areas.Where(_ => rng.Next(2) == 0).Select(a => (JsonNode?)a)]));
        Maybe("gazelle", () => rng.Next(2) == 0);
        Maybe("unicorn", () => rng.Next(2) == 0);
        Maybe("university_spinoff", () => rng.Next(2) == 0);
        Maybe("listing_status", () => Pick(rng, "none", "intends", "listed"));
        return p;
    }

    /// <summary>Values of unexpected types, to exercise the slow paths.</summary>
    private static JsonNode? Odd(Random rng) => rng.Next(9) switch
    {
        0 => null,
        1 => "12",
        2 => "abc",
        3 => true,
        4 => 2.5m,
        5 => new JsonArray(1, "2"),
        6 => new JsonObject { ["x"] = 1 },
        7 => "",
        _ => 0,
    };

    /// <summary>Literals of unexpected types for rules (an object would be an operation).</summary>
    private static JsonNode? OddLiteral(Random rng) => Odd(rng) is var n && n is JsonObject ? JsonValue.Create("x") : n;

    private static JsonNode Number(Random rng) => rng.Next(4) == 0 ? JsonValue.Create(rng.Next(0, 20) / 4m) : JsonValue.Create(rng.Next(-1, 400));

    /// <summary>
    /// A random item; strings are fresh copies, as rules parsed from JSON have them (C# literals are interned
    /// process-wide, which would hide a missing canonicalisation).
    /// </summary>
    private static T Pick<T>(Random rng, params T[] items)
    {
        var item = items[rng.Next(items.Length)];
        return item is string s ? (T)(object)new string(s.AsSpan()) : item;
    }

    private static JsonObject Var(string name) => new() { ["var"] = name };

    private static JsonObject Op(string op, params JsonNode?[] args) => new() { [op] = new JsonArray(args) };

    private static JsonObject Op(string op, JsonNode? a, bool b) => Op(op, a, JsonValue.Create(b));

    private static JsonObject Op(string op, JsonNode? a, string b) => Op(op, a, JsonValue.Create(b));

    private static JsonObject Op(string op, string a, JsonNode? b) => Op(op, JsonValue.Create(a), b);
}
