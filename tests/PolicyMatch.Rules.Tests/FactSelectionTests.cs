using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// <see cref="FactSelection"/>: the profile names a measure's rules can read, so that the impact preview of a
/// draft converts only those values of 100,000 stored profiles. The selection must never leave out a value a
/// rule reads (the decisions and the facts to supply would change): random measures on random profiles decide
/// alike with the selection and with every fact; and a rule that names what it reads only while running
/// selects everything.
/// </summary>
public class FactSelectionTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    private static FactSelection? Of(params string[] rules) =>
        FactSelection.Of(rules.Select(r => CompiledRule.Compile(JsonNode.Parse(r))));

    [Theory]
    [InlineData("""{"==":[{"var":"district"},"通州区"]}""", "district")]
    // A derived fact stands for its inputs.
    [InlineData("""{">=":[{"var":"age_years"},3]}""", "established_on")]
    [InlineData("""{"<=":[0.05,{"var":"rd_intensity"}]}""", "rd_expense_last_year,revenue_last_year")]
    [InlineData("""{"==":[{"var":"in_beijing"},true]}""", "district")]
    // A nested path reads its top-level name; a default is a rule of its own.
    [InlineData("""{"==":[{"var":"hightech_certificate.issued_on"},"2024-01-01"]}""", "hightech_certificate")]
    [InlineData("""{">=":[{"var":["employees",{"var":"invention_patents"}]},10]}""", "employees,invention_patents")]
    // Names outside the schema are read like any other.
    [InlineData("""{"==":[{"var":"custom_score"},1]}""", "custom_score")]
    // The body of a collection operator reads each element, not the profile.
    [InlineData("""{"some":[{"var":"zones"},{"==":[{"var":""},"中关村科学城"]}]}""", "zones")]
    [InlineData("""{"reduce":[{"var":"focus_areas"},{"+":[{"var":"accumulator"},1]},{"var":"employees"}]}""", "employees,focus_areas")]
    // missing and missing_some with constant names.
    [InlineData("""{"missing":["employees","hightech_valid"]}""", "employees,hightech_certificate")]
    [InlineData("""{"missing_some":[1,["gazelle","unicorn"]]}""", "gazelle,unicorn")]
    [InlineData("""{"==":[1,1]}""", "")]
    // Known only while running: every fact.
    [InlineData("""{"==":[{"var":""},1]}""", null)]
    [InlineData("""{"var":[]}""", null)]
    [InlineData("""{"==":[{"var":{"cat":["employ","ees"]}},1]}""", null)]
    [InlineData("""{"==":[{"var":1},1]}""", null)]
    [InlineData("""{"missing":{"merge":[["employees"],["gazelle"]]}}""", null)]
    [InlineData("""{"==":[{"var":".x"},1]}""", null)]
    public void A_rule_selects_what_it_reads(string rule, string? expected)
    {
        var selection = Of(rule);
        Assert.Equal(expected, selection is null ? null : string.Join(",", selection.Names));
    }

    [Fact]
    public void A_measure_selects_what_all_its_criteria_read_or_everything_if_one_is_not_known()
    {
        Assert.Equal(["district", "employees"], Of("""{"==":[{"var":"district"},"通州区"]}""", """{">=":[{"var":"employees"},5]}""")!.Names);
        Assert.Null(Of("""{"==":[{"var":"district"},"通州区"]}""", """{"==":[{"var":""},1]}"""));
        var measure = new EligibilityEngine().Compile(new MeasureRuleSet("m", 1,
            [new Criterion("size", "规模", "size", JsonNode.Parse("""{"==":[{"var":"size_band"},"small"]}""")!)]));
        Assert.Equal(["employees", "revenue_last_year"], measure.FactsRead!.Names);
    }

    [Fact]
    public void Values_left_out_are_unknown_and_the_ones_selected_are_read_as_without_a_selection()
    {
        const string json = """{"district":"110112","employees":12,"custom_score":3,"other":"x","age_years":99,"established_on":"2020-07-01"}""";
        var all = ProfileFactsFromUtf8Tests.Read(json, AsOf);
        var some = ProfileFactsFromUtf8Tests.Read(json, AsOf, Of("""{"==":[{"var":"in_beijing"},true]}""", """{"==":[{"var":"custom_score"},3]}""", """{">":[{"var":"age_years"},3]}""")!);

        Assert.Equal("通州区", some.GetValue("district")!.GetValue<string>()); // a code still becomes the district's name
        Assert.Equal(all.InBeijing, some.InBeijing);
        Assert.Equal(all.AgeYears, some.AgeYears); // derived from the input, never from the supplied value
        Assert.Equal(3m, some.GetValue("custom_score")!.GetValue<decimal>());
        Assert.Null(some.GetValue("employees"));
        Assert.Null(some.GetValue("other"));
        Assert.Equal(["employees"], some.MissingInputsOf("employees"));
    }

    [Fact]
    public void Only_the_derived_facts_a_rule_reads_are_derived()
    {
        const string json = """{"district":"通州区","employees":12,"revenue_last_year":1000000,"established_on":"2020-07-01"}""";
        var all = ProfileFactsFromUtf8Tests.Read(json, AsOf);
        // employees is read, and is an input of size_band and is_sme; no rule reads those.
        var some = ProfileFactsFromUtf8Tests.Read(json, AsOf, Of("""{">=":[{"var":"employees"},10]}""", """{"==":[{"var":"size_band"},"micro"]}""")!);

        Assert.Equal(("micro", true, 4), (all.SizeBand, all.IsSme, all.AgeYears));
        Assert.Equal("micro", some.SizeBand);
        Assert.Null(some.IsSme);
        Assert.Null(some.AgeYears);
        Assert.Null(some.InBeijing);
        Assert.Equal(["is_sme"], some.MissingInputsOf("is_sme"));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Random_measures_decide_alike_on_the_selected_facts_and_on_all_of_them(int seed)
    {
        var rng = new Random(seed);
        var engine = new EligibilityEngine();
        var measures = Enumerable.Range(0, 80).Select(m => engine.Compile(new MeasureRuleSet($"m{m}", 1,
            [.. Enumerable.Range(0, rng.Next(1, 5)).Select(c => new Criterion($"c{c}", "", "", FastPathEquivalenceTests.Rule(rng, 2)))]))).ToArray();
        var profiles = Enumerable.Range(0, 60).Select(_ => FastPathEquivalenceTests.Profile(rng).ToJsonString()).ToArray();
        var selected = 0;
        foreach (var measure in measures)
        {
            selected += measure.FactsRead is null ? 0 : 1;
            foreach (var profile in profiles)
            {
                var full = engine.Evaluate(measure, ProfileFactsFromUtf8Tests.Read(profile, AsOf));
                var some = engine.Evaluate(measure, ProfileFactsFromUtf8Tests.Read(profile, AsOf, measure.FactsRead));
                Assert.Equal((full.Outcome, full.Met), (some.Outcome, some.Met));
                Assert.Equal(
                    full.Criteria.Select(c => (c.Id, c.Result, string.Join(",", c.MissingFacts))),
                    some.Criteria.Select(c => (c.Id, c.Result, string.Join(",", c.MissingFacts))));
            }
        }

        // The random rules are the shapes criteria have: nearly all of them select (the test would prove nothing otherwise).
        Assert.True(selected > measures.Length * 3 / 4, $"{selected} of {measures.Length} measures selected");
    }
}
