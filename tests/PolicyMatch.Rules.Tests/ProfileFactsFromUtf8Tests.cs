using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// <see cref="ProfileFacts.TryRead"/> (the impact preview reads 100,000 stored profiles with it, in one pass
/// over their UTF-8 text) gives the facts <see cref="ProfileFacts.From(JsonObject, DateOnly)"/> gives for the
/// same JSON: every value, every derived fact, what each unknown fact needs, and how rules decide on them; and
/// it refuses exactly the text a document that disallows a name twice refuses.
/// </summary>
public class ProfileFactsFromUtf8Tests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    /// <summary>A profile stating every kind of public fact, with Chinese text.</summary>
    private static JsonObject Full => new()
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
    };

    public static TheoryData<string> Profiles() => new(ProfileTexts);

    private static readonly string[] ProfileTexts =
    [
        "{}",
        // The portal writes profiles with Chinese unescaped; profiles written before that have it escaped
        // (JsonNode.ToJsonString's default): both.
        Full.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) }),
        Full.ToJsonString(),
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
        AssertSameFacts(json, ProfileFacts.From(JsonNode.Parse(json)!.AsObject(), AsOf), Read(json, AsOf));
    }

    [Fact]
    public void A_reader_gives_each_profile_its_own_facts_whatever_it_read_before()
    {
        // Every profile after every other and after text it refuses, in both orders, through one reader.
        const string refused = """{"district":"通州区","district":"昌平区"}""";
        var texts = ProfileTexts;
        var reader = new ProfileFactsReader();
        foreach (var json in texts.Concat(Enumerable.Reverse(texts)).SelectMany(t => new[] { t, refused, t }))
        {
            var read = reader.TryRead(Encoding.UTF8.GetBytes(json), AsOf, null, out var facts);
            Assert.Equal(json != refused, read);
            if (read)
            {
                AssertSameFacts(json, ProfileFacts.From(JsonNode.Parse(json)!.AsObject(), AsOf), facts!);
            }
        }
    }

    [Fact]
    public void A_name_read_as_bytes_finds_its_slot_and_nothing_else_does()
    {
        for (var slot = 0; slot < Facts.All.Count; slot++)
        {
            var name = Facts.All[slot].Name;
            Assert.Equal(slot, Evaluation.FactSlots.IndexOfUtf8(Encoding.UTF8.GetBytes(name)));
            Assert.Equal(slot, Evaluation.FactSlots.IndexOf(name));
            // Near misses: one byte short, one more, another case, another last letter.
            foreach (var other in new[] { name[..^1], name + "s", name.ToUpperInvariant(), name[..^1] + (char)(name[^1] + 1) })
            {
                Assert.Equal(-1, Evaluation.FactSlots.IndexOfUtf8(Encoding.UTF8.GetBytes(other)));
            }
        }

        foreach (var other in new[] { "", "区", "所在区", "district\0", new string('x', 200) })
        {
            Assert.Equal(-1, Evaluation.FactSlots.IndexOfUtf8(Encoding.UTF8.GetBytes(other)));
        }
    }

    private static void AssertSameFacts(string json, ProfileFacts fromNode, ProfileFacts fromUtf8)
    {
        Assert.Equal(fromNode.ToJson().ToJsonString(), fromUtf8.ToJson().ToJsonString());
        var names = Facts.All.Select(f => f.Name).Concat(JsonNode.Parse(json)!.AsObject().Select(p => p.Key)).Distinct();
        foreach (var name in names)
        {
            Assert.Equal(fromNode.GetValue(name)?.ToJsonString(), fromUtf8.GetValue(name)?.ToJsonString());
            Assert.Equal(fromNode.MissingInputsOf(name), fromUtf8.MissingInputsOf(name));
        }
        Assert.Equal(
            (fromNode.AgeYears, fromNode.SizeBand, fromNode.IsSme, fromNode.RdIntensity, fromNode.HightechValid, fromNode.HightechExpiresOn, fromNode.HightechExpiresInDays, fromNode.TechSmeValid, fromNode.SrdiRank, fromNode.InBeijing),
            (fromUtf8.AgeYears, fromUtf8.SizeBand, fromUtf8.IsSme, fromUtf8.RdIntensity, fromUtf8.HightechValid, fromUtf8.HightechExpiresOn, fromUtf8.HightechExpiresInDays, fromUtf8.TechSmeValid, fromUtf8.SrdiRank, fromUtf8.InBeijing));

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
        var byUtf8 = engine.Evaluate(measure, fromUtf8);
        Assert.Equal(byNode.Outcome, byUtf8.Outcome);
        Assert.Equal(byNode.Criteria.Select(c => (c.Id, c.Result.ToString(), string.Join(",", c.MissingFacts))), byUtf8.Criteria.Select(c => (c.Id, c.Result.ToString(), string.Join(",", c.MissingFacts))));
    }

    /// <summary>The facts of a profile the reader must accept.</summary>
    internal static ProfileFacts Read(string json, DateOnly asOf, FactSelection? only = null)
    {
        Assert.True(ProfileFacts.TryRead(Encoding.UTF8.GetBytes(json), asOf, only, out var facts), json);
        return facts;
    }

    /// <summary>A selection of no value at all (a rule that reads no fact), and one of the name "a" alone.</summary>
    private static readonly FactSelection Nothing = FactSelection.Of([CompiledRule.Compile(JsonNode.Parse("""{"==":[1,1]}"""))])!;
    private static readonly FactSelection OnlyA = FactSelection.Of([CompiledRule.Compile(JsonNode.Parse("""{"==":[{"var":"a.b"},1]}"""))])!;

    public static TheoryData<string> Texts()
    {
        var wide = string.Join(",", Enumerable.Range(0, 20).Select(i => $"\"n{i}\":{i}"));
        return
        [
            // Not JSON, or not one object.
            "", " ", "{", """{"name":""", "[]", "3", "\"通州区\"", "null", "{} x", "{}{}", """{"a":1,}""", "{/* note */}", "{'a':1}",
            // Readable: white space after, the same name in different objects, many names.
            "{} \n", """{"a":{"x":1},"b":{"x":1},"c":[{"x":1},{"x":2}]}""", "{\"a\":{" + wide + "}}", "{\"a\":[{" + wide + "}]}",
            // A name twice: a fact, a derived fact, a name outside the schema, one written escaped, in a nested
            // object (one the selection reads, and one it does not), in an object in an array, past the names held inline.
            """{"district":"通州区","district":"通州区"}""",
            """{"age_years":1,"age_years":2}""",
            """{"custom":1,"custom":2}""",
            """{"\u0064istrict":"x","district":"y"}""",
            """{"caf\u00e9":1,"café":2}""",
            """{"a":{"b":1,"b":2}}""",
            """{"z":{"b":1,"b":2}}""",
            """{"a":{"b":1,"\u0062":2}}""",
            """{"q":[{"x":1},{"x":1,"x":2}]}""",
            "{\"z\":{" + wide + ",\"n3\":1}}",
            "{\"z\":{" + wide + ",\"n19\":1}}",
            "{\"a\":{" + wide + ",\"n19\":1}}",
        ];
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_text_is_refused_exactly_when_a_document_without_duplicate_names_refuses_it(string json)
    {
        bool readable;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
            readable = document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            readable = false;
        }

        var utf8 = Encoding.UTF8.GetBytes(json);
        foreach (var only in new[] { null, Nothing, OnlyA })
        {
            Assert.Equal(readable, ProfileFacts.TryRead(utf8, AsOf, only, out var facts));
            Assert.Equal(readable, facts is not null);
        }
    }

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_refused_whether_the_measure_reads_them_or_not()
    {
        // "é" in Latin-1, in a value read, in one not read, and in a name. A document accepts such text and
        // fails only when the string is read: here it is refused whatever the selection.
        foreach (var json in new[] { "{\"a\":\"\u00e9\"}", "{\"z\":\"\u00e9\"}", "{\"\u00e9\":1}" })
        {
            var latin1 = Encoding.Latin1.GetBytes(json);
            Assert.Contains((byte)0xE9, latin1);
            foreach (var only in new[] { null, Nothing, OnlyA })
            {
                Assert.False(ProfileFacts.TryRead(latin1, AsOf, only, out _), json);
            }
        }
    }
}
