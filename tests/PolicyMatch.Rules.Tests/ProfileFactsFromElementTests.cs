using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// <see cref="ProfileFacts.From(JsonElement, DateOnly)"/> (the impact preview reads 100,000 stored profiles
/// with it) gives the facts <see cref="ProfileFacts.From(JsonObject, DateOnly)"/> gives for the same JSON:
/// every value, every derived fact, what each unknown fact needs, and how rules decide on them.
/// </summary>
public class ProfileFactsFromElementTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    public static TheoryData<string> Profiles() =>
    [
        "{}",
        // The portal writes profiles with JsonNode.ToJsonString: non-ASCII text escaped.
        new JsonObject
        {
            ["name"] = "北京通州科技有限公司",
            ["uscc"] = "91110000000000001X",
            ["district"] = "通州区",
            ["zones"] = new JsonArray("中关村科技园区通州园"),
            ["focus_areas"] = new JsonArray("医药健康", "集成电路"),
            ["established_on"] = "2019-05-01",
            ["employees"] = 120,
            ["revenue_last_year"] = 52_000_000.5m,
            ["rd_expense_last_year"] = 3_100_000,
            ["hightech_certificate"] = new JsonObject { ["number"] = "GR202311001234", ["issued_on"] = "2023-10-16" },
            ["tech_sme_year"] = 2025,
            ["srdi_level"] = "little_giant",
            ["unicorn"] = false,
            ["listing_status"] = "unlisted",
        }.ToJsonString(),
        // A district as its GB/T 2260 code; no certificate; a fact stated as null; a derived name supplied (ignored).
        """{"district":"110112","hightech_certificate":false,"tech_sme_year":false,"employees":null,"age_years":99,"in_beijing":false}""",
        // Names outside the schema (kept for rules), one longer than any fact's, one escaped; a fact's name escaped.
        """{"custom_score":{"a":[1,2.5,"x",null,true]},"a_name_far_longer_than_any_fact_name_is":1,"caf\u00e9":"ok","\u0064istrict":"昌平区"}""",
        // Numbers at the edges: below decimal's precision, beyond decimal's range, exponents, negatives.
        """{"employees":1e-30,"revenue_last_year":1e40,"rd_expense_last_year":-2.5E3,"invention_patents":12345678901234567890}""",
        // Values of unexpected types are kept as they are.
        """{"employees":"many","district":["通州区"],"established_on":20190501,"zones":"中关村","srdi_level":3}""",
    ];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Both_readings_of_a_profile_give_the_same_facts(string json)
    {
        var fromNode = ProfileFacts.From(JsonNode.Parse(json)!.AsObject(), AsOf);
        using var document = JsonDocument.Parse(json);
        var fromElement = ProfileFacts.From(document.RootElement, AsOf);

        Assert.Equal(fromNode.ToJson().ToJsonString(), fromElement.ToJson().ToJsonString());
        var names = Facts.All.Select(f => f.Name).Concat(JsonNode.Parse(json)!.AsObject().Select(p => p.Key)).Distinct();
        foreach (var name in names)
        {
            Assert.Equal(fromNode.GetValue(name)?.ToJsonString(), fromElement.GetValue(name)?.ToJsonString());
            Assert.Equal(fromNode.MissingInputsOf(name), fromElement.MissingInputsOf(name));
        }
        Assert.Equal(
            (fromNode.AgeYears, fromNode.SizeBand, fromNode.IsSme, fromNode.RdIntensity, fromNode.HightechValid, fromNode.HightechExpiresOn, fromNode.HightechExpiresInDays, fromNode.TechSmeValid, fromNode.SrdiRank, fromNode.InBeijing),
            (fromElement.AgeYears, fromElement.SizeBand, fromElement.IsSme, fromElement.RdIntensity, fromElement.HightechValid, fromElement.HightechExpiresOn, fromElement.HightechExpiresInDays, fromElement.TechSmeValid, fromElement.SrdiRank, fromElement.InBeijing));

        // Compiled rules compare strings by reference (shared instances of rule constants): both readings decide alike.
        var engine = new EligibilityEngine();
        var measure = engine.Compile(new MeasureRuleSet("m", 1,
        [
            new Criterion("where", "区", "district", JsonNode.Parse("""{"in":[{"var":"district"},["通州区","昌平区"]]}""")!),
            new Criterion("focus", "领域", "focus", JsonNode.Parse("""{"in":["医药健康",{"var":"focus_areas"}]}""")!),
            new Criterion("size", "规模", "size", JsonNode.Parse("""{">=":[{"var":"employees"},100]}""")!),
            new Criterion("extra", "自定义", "custom", JsonNode.Parse("""{"==":[{"var":"custom_score.a.1"},2.5]}""")!),
        ]));
        var byNode = engine.Evaluate(measure, fromNode);
        var byElement = engine.Evaluate(measure, fromElement);
        Assert.Equal(byNode.Outcome, byElement.Outcome);
        Assert.Equal(byNode.Criteria.Select(c => (c.Id, c.Result.ToString(), string.Join(",", c.MissingFacts))), byElement.Criteria.Select(c => (c.Id, c.Result.ToString(), string.Join(",", c.MissingFacts))));
    }

    [Fact]
    public void A_profile_is_an_object()
    {
        using var document = JsonDocument.Parse("[]");
        Assert.Throws<ArgumentException>(() => ProfileFacts.From(document.RootElement, AsOf));
    }
}
