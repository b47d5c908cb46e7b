using System.Globalization;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;

namespace PolicyMatch.Benchmarks;

/// <summary>
/// Deterministic generator of criteria-shaped rules, measures and profiles, shared by the BenchmarkDotNet
/// benchmarks, the throughput run and the side-by-side comparison (which writes its output to a file the
/// JavaScript engines read). System.Random with a seed is stable across runs and .NET versions.
/// </summary>
public static class Workload
{
    public const int DefaultSeed = 20250630;

    public static readonly DateOnly AsOf = new(2025, 6, 30);

    private static readonly string[] Districts = [.. Facts.BeijingDistricts, .. Facts.OtherRegions];

    private static readonly string[] FocusAreas =
        ["医药健康", "人工智能", "集成电路", "先进能源", "智能制造", "数字经济", "现代金融", "现代种业"];

    private static readonly string[] Zones =
        ["中关村科学城", "未来科学城", "怀柔科学城", "经开区", "城市副中心", "生命科学园", "沙河高教园"];

    private static readonly string[] Flags =
        [Facts.Gazelle, Facts.Unicorn, Facts.UniversitySpinoff, Facts.PostdocWorkstation, Facts.UniversityJointLab, Facts.IncubatorTenant];

    /// <summary>One condition shaped like a real criterion (the six shapes of issue 3).</summary>
    public static JsonNode Condition(Random rng) => rng.Next(6) switch
    {
        0 => Op("==", Var(Facts.District), Districts[rng.Next(Districts.Length)]),
        1 => Op(">=", Var(Facts.Employees), new[] { 5, 10, 20, 50, 100, 300, 1000 }[rng.Next(7)]),
        2 => Op("in", FocusAreas[rng.Next(FocusAreas.Length)], Var(Facts.FocusAreas)),
        3 => Op(">=", Var(Facts.SrdiRank), 1 + rng.Next(3)),
        4 => Op("or", Var(Flags[rng.Next(Flags.Length)]), Op(">=", Var(Facts.InventionPatents), 1 + rng.Next(10))),
        _ => Between(rng),
    };

    private static JsonNode Between(Random rng)
    {
        var low = rng.Next(6);
        return Op("<", low, Var(Facts.AgeYears), low + 3 + rng.Next(12));
    }

    /// <summary>An "and" of 1–6 conditions.</summary>
    public static JsonNode Rule(Random rng)
    {
        var n = 1 + rng.Next(6);
        var conditions = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            conditions.Add(Condition(rng));
        }

        return new JsonObject { ["and"] = conditions };
    }

    public static List<JsonNode> Rules(int count, int seed = DefaultSeed)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Rule(rng))];
    }

    /// <summary>Measures with 1–6 criteria, each criterion one condition.</summary>
    public static List<MeasureRuleSet> Measures(int count, int seed = DefaultSeed)
    {
        var rng = new Random(seed);
        var result = new List<MeasureRuleSet>(count);
        for (var m = 0; m < count; m++)
        {
            var n = 1 + rng.Next(6);
            var criteria = new List<Criterion>(n);
            for (var c = 0; c < n; c++)
            {
                criteria.Add(new Criterion($"c{c}", $"条件{c}", $"Condition {c}", Condition(rng)));
            }

            result.Add(new MeasureRuleSet($"generated-{m:D4}", 1, criteria));
        }

        return result;
    }

    /// <summary>A company profile with public facts only; each fact is absent with a small probability.</summary>
    public static JsonObject Profile(Random rng, int index)
    {
        var p = new JsonObject
        {
            [Facts.Name] = $"企业{index:D6}",
            [Facts.Uscc] = $"91110000{index:D9}X",
            [Facts.District] = Districts[rng.Next(Districts.Length)],
        };
        if (Chance(rng, 0.95))
        {
            var areas = new JsonArray();
            foreach (var a in FocusAreas.OrderBy(_ => rng.Next()).Take(rng.Next(4)))
            {
                areas.Add(a);
            }

            p[Facts.FocusAreas] = areas;
        }

        if (Chance(rng, 0.9))
        {
            p[Facts.Zones] = new JsonArray(Zones[rng.Next(Zones.Length)]);
        }

        if (Chance(rng, 0.92))
        {
            var day = new DateOnly(1995, 1, 1).AddDays(rng.Next(30 * 365));
            p[Facts.EstablishedOn] = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (Chance(rng, 0.93))
        {
            p[Facts.Employees] = (int)Math.Round(Math.Exp(rng.NextDouble() * Math.Log(3000)));
        }

        if (Chance(rng, 0.85))
        {
            var revenue = (long)Math.Round(Math.Exp(12 + rng.NextDouble() * 9)) / 1000 * 1000;
            p[Facts.RevenueLastYear] = revenue;
            if (Chance(rng, 0.9))
            {
                p[Facts.RdExpenseLastYear] = revenue / 100 * rng.Next(1, 20);
            }
        }

        if (Chance(rng, 0.9))
        {
            p[Facts.SrdiLevel] = Facts.SrdiLevels[rng.Next(Facts.SrdiLevels.Count)];
        }

        if (Chance(rng, 0.9))
        {
            p[Facts.InventionPatents] = rng.Next(4) == 0 ? 0 : rng.Next(30);
        }

        foreach (var flag in Flags)
        {
            if (Chance(rng, 0.9))
            {
                p[flag] = Chance(rng, 0.25);
            }
        }

        if (Chance(rng, 0.9))
        {
            p[Facts.HightechCertificate] = Chance(rng, 0.5)
                ? false
                : new JsonObject
                {
                    ["number"] = $"GR20{rng.Next(19, 25)}1100{rng.Next(1000, 9999)}",
                    ["issued_on"] = AsOf.AddDays(-rng.Next(4 * 365)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                };
        }

        return p;
    }

    public static List<JsonObject> Profiles(int count, int seed = DefaultSeed + 1)
    {
        var rng = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i => Profile(rng, i))];
    }

    /// <summary>
    /// The profile as the JavaScript engines see it: the public facts plus the derived facts computed by
    /// <see cref="ProfileFacts"/> (JsonLogic engines have no notion of derived facts).
    /// </summary>
    public static JsonObject WithDerivedFacts(JsonObject profile, DateOnly asOf)
    {
        var facts = ProfileFacts.From(profile, asOf);
        var result = (JsonObject)profile.DeepClone();
        foreach (var d in Facts.Derived)
        {
            // rd_intensity is left out: its 28-digit decimal would round differently as a JavaScript double.
            if (d.Name != Facts.RdIntensity && facts.GetValue(d.Name) is { } v)
            {
                result[d.Name] = v.DeepClone();
            }
        }

        return result;
    }

    private static bool Chance(Random rng, double p) => rng.NextDouble() < p;

    private static JsonObject Var(string name) => new() { ["var"] = name };

    private static JsonObject Op(string op, params object[] args)
    {
        var arr = new JsonArray();
        foreach (var a in args)
        {
            arr.Add(a switch
            {
                JsonNode n => n,
                string s => JsonValue.Create(s),
                int i => JsonValue.Create(i),
                _ => throw new ArgumentException("unsupported literal"),
            });
        }

        return new JsonObject { [op] = arr };
    }
}
