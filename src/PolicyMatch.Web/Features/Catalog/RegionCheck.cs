using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Features.Catalog;

/// <summary>
/// Whether a measure's regions (适用地区, what its page shows) and its criteria (what matching checks)
/// agree (issue 11): a company located in one of the regions must not fail the measure on location,
/// and a company located elsewhere must. A measure whose text lets companies from elsewhere take part
/// on a condition (moving to the district, being introduced there) states that condition as a
/// criterion a company can see, so the check holds for it too.
/// </summary>
/// <remarks>
/// It runs the measure's own criteria through the engine on probe profiles that carry only a
/// location, so it judges what matching would do, not how the JsonLogic happens to be written:
/// criteria on other facts are unknown for a probe and cannot decide the outcome.
/// </remarks>
public static class RegionCheck
{
    private const string Beijing = "北京市";
    private const string Jingjinji = "京津冀";

    /// <summary>A sentence per disagreement; empty when regions and criteria agree or the measure names no region.</summary>
    public static IReadOnlyList<string> Disagreements(MeasureDocument measure, EligibilityEngine engine)
    {
        var regions = measure.Regions ?? [];
        if (regions.Count == 0)
        {
            return [];
        }
        var problems = new List<string>();
        var unknown = regions.Where(r => !IsKnownRegion(r)).ToList();
        if (unknown.Count > 0)
        {
            problems.Add($"regions name places this check does not know: {string.Join(", ", unknown)}");
            return problems;
        }
        var rules = engine.Compile(new MeasureRuleSet(measure.Id, 1,
            (measure.Criteria ?? []).Select(c => new Criterion(c.Id, c.LabelZh, c.LabelEn, c.Rule ?? JsonValue.Create(true))).ToList()));
        var asOf = measure.Period?.From ?? new DateOnly(2024, 1, 1);
        Outcome Judge((string District, string? Zone) at) =>
            engine.Evaluate(rules, ProfileFacts.From(Probe(at.District, at.Zone), asOf)).Outcome;

        foreach (var inside in regions.SelectMany(Inside).Distinct())
        {
            if (Judge(inside) == Outcome.NotEligible)
            {
                problems.Add($"a company in {Describe(inside)} (inside the regions {string.Join("、", regions)}) fails the criteria on location");
            }
        }
        foreach (var district in Facts.Districts.Select(d => d.Name).Where(d => !Covers(regions, d)))
        {
            if (Judge((district, null)) != Outcome.NotEligible)
            {
                problems.Add($"a company in {district} (outside the regions {string.Join("、", regions)}) does not fail the criteria on location: " +
                    "check the location in a criterion, or state the condition that replaces it (e.g. moving there)");
            }
        }
        return problems;
    }

    private static bool IsKnownRegion(string region) =>
        region is Beijing or Jingjinji || IsDistrict(region) || Facts.ZoneList.Any(z => z.Name == region);

    private static bool IsDistrict(string region) => Facts.Districts.Any(d => d.Name == region);

    /// <summary>The places a company can be in and count as inside the region.</summary>
    private static IEnumerable<(string District, string? Zone)> Inside(string region)
    {
        if (region == Jingjinji)
        {
            return Facts.Districts.Select(d => (d.Name, (string?)null));
        }
        if (region == Beijing)
        {
            return Facts.BeijingDistricts.Select(d => (d, (string?)null));
        }
        if (IsDistrict(region))
        {
            return [(region, null)];
        }
        var zone = Facts.ZoneList.First(z => z.Name == region);
        return [(zone.District ?? zone.OutsideBeijingIn!, region)];
    }

    /// <summary>Whether a company in the district, in none of its zones, is inside the regions.</summary>
    private static bool Covers(IReadOnlyList<string> regions, string district) =>
        regions.Contains(district) || regions.Contains(Jingjinji)
        || (regions.Contains(Beijing) && Facts.BeijingDistricts.Contains(district));

    private static JsonObject Probe(string district, string? zone) => new()
    {
        ["district"] = district,
        ["zones"] = zone is null ? new JsonArray() : new JsonArray(zone),
    };

    private static string Describe((string District, string? Zone) at) => at.Zone is null ? at.District : $"{at.District}/{at.Zone}";
}
