using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>One measure's result for a profile: the evaluation plus what the page shows beside it.</summary>
public sealed record MatchItem(MeasureVersionRow Measure, MeasureEvaluation Evaluation, PeriodStatus Period, bool FailsOnLocationOnly)
{
    /// <summary>A near miss is one the company can act on: failing only on location is not.</summary>
    public MatchGroup Group => _group ??= MatchGroups.Of(Evaluation, FailsOnLocationOnly);

    private MatchGroup? _group;

    /// <summary>Measures that help meet the failing criterion of a near miss (empty otherwise).</summary>
    public IReadOnlyList<MeasureVersionRow> Helpers { get; init; } = [];
}

public enum MatchGroup { Eligible, NeedsInformation, NearMiss, NotEligible }

/// <summary>
/// When a company can act on a measure, as of the evaluation date: now (in force, its window open or
/// not yet open), later (the period has not started) or no longer (the period or the window is over).
/// Counts and the 符合条件 heading speak of <see cref="Current"/> measures only.
/// </summary>
public enum Standing { Current, Upcoming, Expired }

/// <summary>The one place that names a match's group and standing, so every page and the API agree.</summary>
public static class MatchGroups
{
    public static MatchGroup Of(MeasureEvaluation e, bool failsOnLocationOnly) => e.Outcome switch
    {
        Outcome.Eligible => MatchGroup.Eligible,
        Outcome.NeedsInformation => MatchGroup.NeedsInformation,
        _ when e.IsNearMiss && !failsOnLocationOnly => MatchGroup.NearMiss,
        _ => MatchGroup.NotEligible,
    };

    /// <summary>The group of one measure's evaluation, deciding "location only" from its criteria's rules.</summary>
    public static MatchGroup Of(MeasureEvaluation e, IReadOnlyList<Criterion> criteria) =>
        Of(e, e.NearMissCriterion is { } miss && criteria.FirstOrDefault(c => c.Id == miss.Id) is { } c
            && RuleFacts.VarsOf(c.Rule) is { Count: > 0 } vars && vars.All(Facts.LocationFacts.Contains));

    public static Standing StandingOf(MeasureVersionRow m, DateOnly asOf) =>
        m.PeriodStatusOn(asOf) switch
        {
            PeriodStatus.Upcoming => Standing.Upcoming,
            PeriodStatus.Expired => Standing.Expired,
            _ when m.WindowCloses is { } closes && closes < asOf => Standing.Expired,
            _ => Standing.Current,
        };

    /// <summary>The API's names (snake_case, stable).</summary>
    public static string Name(MatchGroup g) => g switch
    {
        MatchGroup.Eligible => "eligible",
        MatchGroup.NeedsInformation => "needs_information",
        MatchGroup.NearMiss => "near_miss",
        _ => "not_eligible",
    };

    public static string Name(Standing s) => s switch
    {
        Standing.Current => "current",
        Standing.Upcoming => "upcoming",
        _ => "expired",
    };

    /// <summary>The page's anchor and CSS names (kept from the first version of the page).</summary>
    public static string Css(MatchGroup g) => g switch
    {
        MatchGroup.Eligible => "eligible",
        MatchGroup.NeedsInformation => "needs-info",
        MatchGroup.NearMiss => "near-miss",
        _ => "not-eligible",
    };

    public static bool TryParse(string? value, out Standing standing)
    {
        standing = Standing.Current;
        switch (value)
        {
            case "current": return true;
            case "upcoming": standing = Standing.Upcoming; return true;
            case "expired": standing = Standing.Expired; return true;
            default: return false;
        }
    }
}

public sealed record MatchReport(DateOnly AsOf, ProfileFacts Facts, IReadOnlyList<MatchItem> Items)
{
    /// <summary>Every item of a group whatever its period (the incubator matrix counts these).</summary>
    public IEnumerable<MatchItem> In(MatchGroup group) => Items.Where(i => i.Group == group);

    public Standing StandingOf(MatchItem item) => MatchGroups.StandingOf(item.Measure, AsOf);

    /// <summary>The measures a company can act on now, of one group: what headings count.</summary>
    public IEnumerable<MatchItem> Current(MatchGroup group) => Items.Where(i => i.Group == group && StandingOf(i) == Standing.Current);

    /// <summary>Measures of a standing that are not "not eligible" (upcoming, or expired for reference).</summary>
    public IEnumerable<MatchItem> Relevant(Standing standing) =>
        Items.Where(i => i.Group != MatchGroup.NotEligible && StandingOf(i) == standing);

    /// <summary>Facts that would settle the most current "needs information" measures, most useful first.</summary>
    public IReadOnlyList<(string Fact, int Measures)> FactsToSupply() =>
        Current(MatchGroup.NeedsInformation)
            .SelectMany(i => i.Evaluation.MissingFacts.Distinct())
            .GroupBy(f => f)
            .Select(g => (g.Key, g.Count()))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal)
            .ToList();
}

/// <summary>Matches a profile against every published measure on a date.</summary>
public sealed class MatchService(CatalogCache catalog, EligibilityEngine engine)
{
    public async Task<MatchReport> MatchAsync(JsonObject profile, DateOnly asOf, CancellationToken ct = default)
    {
        var measures = await catalog.GetPublishedAsync(ct);
        var facts = ProfileFacts.From(profile, asOf);
        var items = new List<MatchItem>(measures.Count);
        foreach (var measure in measures)
        {
            items.Add(Match(measure, facts, asOf));
        }
        AddHelpers(items, measures, asOf);
        return new MatchReport(asOf, facts, Sort(items));
    }

    /// <summary>
    /// One measure against one profile's facts: the single place that decides a match's group. The
    /// matches page, the stored matches (<see cref="Rematch.RematchService"/>), the impact preview of a
    /// draft, the notice recipients and a measure's own page all call it, so they agree.
    /// </summary>
    public MatchItem Match(PublishedMeasure measure, ProfileFacts facts, DateOnly asOf)
    {
        var evaluation = engine.Evaluate(measure.Rules, facts);
        var locationOnly = evaluation.NearMissCriterion is { } miss && measure.LocationCriteria.Contains(miss.Id);
        return new MatchItem(measure.Row, evaluation, measure.Row.PeriodStatusOn(asOf), locationOnly);
    }

    /// <summary>
    /// The outcome alone (eligible, needs information, or not eligible: a near miss is not eligible), stopping at
    /// the first criterion not met: for counting many profiles, without the explanation <see cref="Match"/> builds.
    /// </summary>
    public Outcome OutcomeOf(PublishedMeasure measure, ProfileFacts facts) => engine.EvaluateOutcome(measure.Rules, facts);

    /// <summary>Whether the profile is eligible for the measure: <see cref="Match"/>'s group, nothing else.</summary>
    public bool IsEligible(PublishedMeasure measure, ProfileFacts facts, DateOnly asOf) =>
        Match(measure, facts, asOf).Group == MatchGroup.Eligible;

    /// <summary>
    /// A measure version ready for <see cref="Match"/>: published ones come compiled from the catalog
    /// cache; a draft, or a version no longer published, is compiled here.
    /// </summary>
    public PublishedMeasure Prepare(MeasureVersionRow version) => new(version, engine.Compile(version.RuleSet()));

    /// <summary>
    /// For each near miss, the measures that help meet its failing criterion — taken from the catalog,
    /// not from a list kept here: a certification measure (kind "certification") whose own criteria
    /// ask that the company does NOT yet hold a fact (e.g. 尚未持有有效的高新技术企业证书:
    /// <c>hightech_valid == false</c>) is one that works towards that fact, so it helps a criterion
    /// that reads the same fact. A helper is offered only when this company could use it now (current,
    /// and eligible or needing information).
    /// </summary>
    private static void AddHelpers(List<MatchItem> items, IReadOnlyList<PublishedMeasure> measures, DateOnly asOf)
    {
        if (!items.Any(i => i.Group == MatchGroup.NearMiss))
        {
            return;
        }
        var grants = Grants(measures);
        if (grants.Count == 0)
        {
            return;
        }
        var usable = items
            .Where(i => grants.ContainsKey(i.Measure.MeasureId) && i.Group is MatchGroup.Eligible or MatchGroup.NeedsInformation
                && MatchGroups.StandingOf(i.Measure, asOf) == Standing.Current)
            .ToList();
        if (usable.Count == 0)
        {
            return;
        }
        var rules = RulesOf(measures);
        for (var n = 0; n < items.Count; n++)
        {
            var item = items[n];
            if (item.Group != MatchGroup.NearMiss || item.Evaluation.NearMissCriterion is not { } miss
                || !rules.TryGetValue((item.Measure.MeasureId, miss.Id), out var reads))
            {
                continue;
            }
            var helpers = usable.Where(h => h.Measure.MeasureId != item.Measure.MeasureId && grants[h.Measure.MeasureId].Overlaps(reads))
                .Select(h => h.Measure).ToList();
            if (helpers.Count > 0)
            {
                items[n] = item with { Helpers = helpers };
            }
        }
    }

    // The published list is one instance per catalog load, so its analysis is done once per load.
    private static readonly ConditionalWeakTable<IReadOnlyList<PublishedMeasure>, Dictionary<string, HashSet<string>>> GrantsCache = new();
    private static readonly ConditionalWeakTable<IReadOnlyList<PublishedMeasure>, Dictionary<(string, string), IReadOnlySet<string>>> RulesCache = new();

    /// <summary>Certification measures and the facts each works towards (a criterion "fact == false").</summary>
    internal static Dictionary<string, HashSet<string>> Grants(IReadOnlyList<PublishedMeasure> measures) =>
        GrantsCache.GetValue(measures, list =>
        {
            var result = new Dictionary<string, HashSet<string>>();
            foreach (var m in list.Where(m => m.Row.Kind == "certification"))
            {
                var facts = m.Rules.Criteria.Select(c => NotYetHeld(c.Rule)).OfType<string>().ToHashSet();
                if (facts.Count > 0) result[m.Row.MeasureId] = facts;
            }
            return result;
        });

    private static Dictionary<(string, string), IReadOnlySet<string>> RulesOf(IReadOnlyList<PublishedMeasure> measures) =>
        RulesCache.GetValue(measures, list => list
            .SelectMany(m => m.Rules.Criteria.Select(c => (Key: (m.Row.MeasureId, c.Id), Vars: RuleFacts.VarsOf(c.Rule))))
            .ToDictionary(x => x.Key, x => x.Vars));

    /// <summary>The fact of a rule of the form <c>{"==": [{"var": F}, false]}</c>, else null.</summary>
    internal static string? NotYetHeld(JsonNode? rule) =>
        rule is JsonObject { Count: 1 } o && o["=="] is JsonArray { Count: 2 } args
        && args[0] is JsonObject { Count: 1 } v && v["var"] is JsonValue name && name.TryGetValue<string>(out var fact)
        && args[1] is JsonValue f && f.TryGetValue<bool>(out var b) && !b
            ? fact
            : null;

    /// <summary>
    /// Most useful first: measures in force before upcoming and expired ones, an open window closing
    /// soonest first, then the share of criteria met, then the catalog order.
    /// </summary>
    /// <summary>
    /// In force first, then upcoming, then expired; within each, the soonest deadline, the soonest end of
    /// the period, the larger share of criteria met, then plan and measure id (a total order, so the
    /// result does not depend on the sort's stability). Sorted in place with one comparison: sorting by
    /// key selectors allocated key arrays per request.
    /// </summary>
    private static List<MatchItem> Sort(List<MatchItem> items)
    {
        items.Sort(Compare);
        return items;
    }

    private static int Compare(MatchItem a, MatchItem b)
    {
        static int Rank(PeriodStatus p) => p switch { PeriodStatus.InForce => 0, PeriodStatus.Upcoming => 1, _ => 2 };
        var c = Rank(a.Period).CompareTo(Rank(b.Period));
        if (c == 0) c = (a.Measure.WindowCloses ?? DateOnly.MaxValue).CompareTo(b.Measure.WindowCloses ?? DateOnly.MaxValue);
        if (c == 0) c = (a.Measure.PeriodTo ?? DateOnly.MaxValue).CompareTo(b.Measure.PeriodTo ?? DateOnly.MaxValue);
        if (c == 0)
        {
            // met/total, larger first, compared exactly by cross-multiplying (no criteria counts as all met).
            var (am, at) = a.Evaluation.Total == 0 ? (1L, 1L) : (a.Evaluation.Met, (long)a.Evaluation.Total);
            var (bm, bt) = b.Evaluation.Total == 0 ? (1L, 1L) : (b.Evaluation.Met, (long)b.Evaluation.Total);
            c = (bm * at).CompareTo(am * bt);
        }
        if (c == 0) c = string.CompareOrdinal(a.Measure.PlanId, b.Measure.PlanId);
        if (c == 0) c = string.CompareOrdinal(a.Measure.MeasureId, b.Measure.MeasureId);
        return c;
    }
}

/// <summary>
/// A catalog row's departments, parsed once per row: rows are cached with the catalog, and the matches
/// page reads every measure's departments several times (cards, filter options and their counts).
/// </summary>
public static class Departments
{
    private static readonly ConditionalWeakTable<MeasureVersionRow, IReadOnlyList<string>> Parsed = new();

    public static IReadOnlyList<string> Of(MeasureVersionRow row) => Parsed.GetValue(row, r => r.Departments);
}
