using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>The criteria builder ↔ JsonLogic mapping, both ways, on the seed catalog and on every shape it offers.</summary>
public class CriteriaBuilderTests
{
    private static readonly SeedSet Seeds = Seeder.Read(Repo.Seeds);

    private static JsonNode J(string json) => JsonNode.Parse(json)!;

    private static RuleCondition C(string fact, BuilderOperator op, JsonNode? value = null) => new(fact, op, value);

    public static TheoryData<string, string, string> SeededCriteria()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (measure, _, _) in Seeds.Measures)
        {
            foreach (var c in measure.Criteria)
            {
                data.Add(measure.Id, c.Id, c.Rule!.ToJsonString());
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SeededCriteria))]
    public void A_seeded_criterion_that_maps_comes_back_identical(string measure, string criterion, string rule)
    {
        var original = J(rule);
        var read = CriteriaBuilder.Read(original);
        if (!read.CanShow)
        {
            Assert.False(string.IsNullOrWhiteSpace(read.Reason), $"{measure}/{criterion}: no reason given");
            return;
        }
        var back = CriteriaBuilder.ToJsonLogic(read.Root!);
        Assert.True(JsonNode.DeepEquals(original, back), $"{measure}/{criterion}:\n{original.ToJsonString()}\n{back.ToJsonString()}");
        Assert.Equal(original.ToJsonString(), back.ToJsonString());
    }

    [Fact]
    public void All_seeded_criteria_but_the_substring_one_map_to_the_builder()
    {
        var all = Seeds.Measures.SelectMany(m => m.Measure.Criteria.Select(c => (m.Measure.Id, c))).ToList();
        var unmapped = all.Where(x => !CriteriaBuilder.Read(x.c.Rule).CanShow).Select(x => $"{x.Id}/{x.c.Id}").ToList();
        // jjj-traditional-industry-upgrading tests a prefix of industry_code with substr: JSON only.
        Assert.Equal(["jjj-traditional-industry-upgrading/traditional-industry"], unmapped);
        Assert.True(all.Count > 100);
    }

    [Fact]
    public void Seeded_criteria_survive_the_form_round_trip_as_text()
    {
        foreach (var (measure, _, _) in Seeds.Measures)
        {
            for (var i = 0; i < measure.Criteria.Count; i++)
            {
                var c = measure.Criteria[i];
                var form = MeasureEditor.FromCriterion(c);
                var errors = new FormErrors();
                var rule = MeasureEditor.RuleOf(form, i, errors);
                Assert.True(errors.Count == 0, $"{measure.Id}/{c.Id}: {string.Join("; ", errors.All)}");
                Assert.Equal(c.Rule!.ToJsonString(), rule!.ToJsonString());
            }
        }
    }

    [Fact]
    public void Each_operator_makes_the_JsonLogic_the_engine_reads()
    {
        Assert.Equal("""{"==":[{"var":"district"},"昌平区"]}""", Json(C("district", BuilderOperator.Equal, "昌平区")));
        Assert.Equal("""{"!=":[{"var":"listing_status"},"listed"]}""", Json(C("listing_status", BuilderOperator.NotEqual, "listed")));
        Assert.Equal("""{">":[{"var":"employees"},10]}""", Json(C("employees", BuilderOperator.Greater, 10m)));
        Assert.Equal("""{">=":[{"var":"srdi_rank"},2]}""", Json(C("srdi_rank", BuilderOperator.GreaterOrEqual, 2m)));
        Assert.Equal("""{"<":[{"var":"age_years"},5]}""", Json(C("age_years", BuilderOperator.Less, 5m)));
        Assert.Equal("""{"<=":[{"var":"rd_intensity"},0.05]}""", Json(C("rd_intensity", BuilderOperator.LessOrEqual, 0.05m)));
        Assert.Equal("""{"in":["医药健康",{"var":"focus_areas"}]}""", Json(C("focus_areas", BuilderOperator.Contains, "医药健康")));
        Assert.Equal("""{"in":[{"var":"district"},["海淀区","昌平区"]]}""", Json(C("district", BuilderOperator.OneOf, new JsonArray("海淀区", "昌平区"))));
        Assert.Equal("""{"==":[{"var":"hightech_valid"},true]}""", Json(C("hightech_valid", BuilderOperator.IsTrue)));
        Assert.Equal("""{"==":[{"var":"tech_sme_year"},false]}""", Json(C("tech_sme_year", BuilderOperator.IsFalse)));
    }

    [Theory]
    [InlineData("""{"==":[{"var":"district"},"昌平区"]}""", "district", BuilderOperator.Equal)]
    [InlineData("""{"!=":[{"var":"srdi_level"},"none"]}""", "srdi_level", BuilderOperator.NotEqual)]
    [InlineData("""{">":[{"var":"invention_patents"},3]}""", "invention_patents", BuilderOperator.Greater)]
    [InlineData("""{">=":[{"var":"employees"},20]}""", "employees", BuilderOperator.GreaterOrEqual)]
    [InlineData("""{"<":[{"var":"established_on"},"2020-01-01"]}""", "established_on", BuilderOperator.Less)]
    [InlineData("""{"<=":[{"var":"revenue_last_year"},20000000.50]}""", "revenue_last_year", BuilderOperator.LessOrEqual)]
    [InlineData("""{"in":["未来科学城",{"var":"zones"}]}""", "zones", BuilderOperator.Contains)]
    [InlineData("""{"in":[{"var":"tech_sme_year"},[2024,2025]]}""", "tech_sme_year", BuilderOperator.OneOf)]
    [InlineData("""{"==":[{"var":"gazelle"},true]}""", "gazelle", BuilderOperator.IsTrue)]
    [InlineData("""{"==":[{"var":"hightech_certificate"},false]}""", "hightech_certificate", BuilderOperator.IsFalse)]
    public void Each_operator_reads_back_from_JsonLogic(string json, string fact, BuilderOperator op)
    {
        var read = CriteriaBuilder.Read(J(json));
        Assert.True(read.CanShow, read.Reason);
        var condition = Assert.IsType<RuleCondition>(Assert.Single(read.Root!.Items));
        Assert.Equal(fact, condition.Fact);
        Assert.Equal(op, condition.Operator);
        Assert.Equal(json, AuthoringJson.Compact(CriteriaBuilder.ToJsonLogic(read.Root)));
    }

    [Fact]
    public void Nested_groups_map_both_ways()
    {
        var tree = new RuleGroup(false,
        [
            C("in_beijing", BuilderOperator.IsTrue),
            new RuleGroup(true,
            [
                C("hightech_valid", BuilderOperator.IsTrue),
                new RuleGroup(false, [C("tech_sme_valid", BuilderOperator.IsTrue), C("employees", BuilderOperator.Less, 300m)]),
            ]),
        ]);
        var json = CriteriaBuilder.ToJsonLogic(tree);
        Assert.Equal("""
            {"and":[{"==":[{"var":"in_beijing"},true]},{"or":[{"==":[{"var":"hightech_valid"},true]},{"and":[{"==":[{"var":"tech_sme_valid"},true]},{"<":[{"var":"employees"},300]}]}]}]}
            """.Trim(), AuthoringJson.Compact(json));
        CompiledRule.Compile(json); // the engine accepts what the builder makes

        var read = CriteriaBuilder.Read(json);
        Assert.True(read.CanShow, read.Reason);
        Assert.False(read.Root!.IsOr);
        var or = Assert.IsType<RuleGroup>(read.Root.Items[1]);
        Assert.True(or.IsOr);
        Assert.IsType<RuleGroup>(or.Items[1]);
        Assert.True(JsonNode.DeepEquals(json, CriteriaBuilder.ToJsonLogic(read.Root)));
        Assert.Equal("注册在北京 为“是” 且 (高新技术企业资格有效 为“是” 或 (科技型中小企业本年度入库 为“是” 且 从业人数 小于 300))",
            CriteriaBuilder.Describe(read.Root, english: false));
    }

    [Fact]
    public void A_group_of_one_is_written_as_its_condition()
    {
        var tree = new RuleGroup(true, [new RuleGroup(false, [C("district", BuilderOperator.Equal, "海淀区")])]);
        Assert.Equal("""{"==":[{"var":"district"},"海淀区"]}""", Json(tree));
    }

    [Theory]
    [InlineData("""{"in":[{"substr":[{"var":"industry_code"},0,2]},["17","18"]]}""")] // a computed value
    [InlineData("""{"and":[{"==":[{"var":"district"},"海淀区"]}]}""")]             // a group of one would not come back the same
    [InlineData("""{"==":[{"var":"hightech_certificate.expires_on"},"2026-01-01"]}""")] // a path into a fact
    [InlineData("""{"==":[{"var":"nonsense"},1]}""")]                              // not a known fact
    [InlineData("""{"==":[{"var":["district","海淀区"]},"海淀区"]}""")]            // var with a default
    [InlineData("""{"==":[{"var":"employees"},"20"]}""")]                          // a string for a number
    [InlineData("""{"==":[{"var":"srdi_level"},"giant"]}""")]                      // not one of the ladder's values
    [InlineData("""{"==":[{"var":"district"}," 海淀区"]}""")]                      // text that would be trimmed
    [InlineData("""{"in":[{"var":"district"},["海淀区,昌平区"]]}""")]              // a value holding a separator
    [InlineData("""{"in":["海淀",{"var":"district"}]}""")]                         // "in" on a string is a substring test
    [InlineData("""{"!=":[{"var":"unicorn"},true]}""")]                            // booleans are "is true"/"is false"
    [InlineData("""{"missing":["district"]}""")]
    [InlineData("true")]
    public void Shapes_the_builder_cannot_show_are_left_as_JSON_with_a_reason(string json)
    {
        var read = CriteriaBuilder.Read(J(json));
        Assert.False(read.CanShow);
        Assert.False(string.IsNullOrWhiteSpace(read.Reason));
    }

    [Fact]
    public void Groups_deeper_than_the_builder_shows_are_left_as_JSON()
    {
        RuleNode node = C("gazelle", BuilderOperator.IsTrue);
        for (var depth = 0; depth <= CriteriaBuilder.MaxDepth; depth++)
        {
            node = new RuleGroup(depth % 2 == 0, [node, C("unicorn", BuilderOperator.IsTrue)]);
        }
        Assert.False(CriteriaBuilder.Read(CriteriaBuilder.ToJsonLogic(node)).CanShow);
    }

    [Theory]
    [InlineData("employees", BuilderOperator.GreaterOrEqual, "二十", false)]
    [InlineData("employees", BuilderOperator.GreaterOrEqual, "20.5", false)]
    [InlineData("employees", BuilderOperator.GreaterOrEqual, " 20 ", true)]
    [InlineData("rd_intensity", BuilderOperator.GreaterOrEqual, "0.03", true)]
    [InlineData("established_on", BuilderOperator.Less, "2020/01/01", false)]
    [InlineData("srdi_level", BuilderOperator.Equal, "little_giant", true)]
    [InlineData("srdi_level", BuilderOperator.Equal, "小巨人", false)]
    [InlineData("district", BuilderOperator.OneOf, "海淀区、昌平区，通州区", true)]
    [InlineData("district", BuilderOperator.OneOf, " 、 ", false)]
    [InlineData("district", BuilderOperator.Equal, "", false)]
    [InlineData("gazelle", BuilderOperator.IsTrue, "", true)]
    public void Typed_values_are_checked_by_the_fact_they_are_compared_with(string fact, BuilderOperator op, string text, bool ok)
    {
        var parsed = BuilderValues.Parse(Facts.Find(fact)!, op, text);
        Assert.Equal(ok, parsed.Error is null);
    }

    [Fact]
    public void A_list_typed_with_mixed_separators_becomes_a_JSON_array()
    {
        var parsed = BuilderValues.Parse(Facts.Find("district")!, BuilderOperator.OneOf, "海淀区、昌平区，通州区, 大兴区");
        Assert.Equal("""["海淀区","昌平区","通州区","大兴区"]""", AuthoringJson.Compact(parsed.Value));
    }

    [Fact]
    public void Every_fact_of_the_engine_is_offered_with_at_least_one_operator()
    {
        Assert.Equal(Facts.All.Select(f => f.Name), CriteriaBuilder.Facts.Select(f => f.Name));
    }

    private static string Json(RuleNode node) => AuthoringJson.Compact(CriteriaBuilder.ToJsonLogic(node));
}
