using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>One measure's result for a profile: the evaluation plus what the page shows beside it.</summary>
public sealed record MatchItem(MeasureVersionRow Measure, MeasureEvaluation Evaluation, PeriodStatus Period, bool FailsOnLocationOnly)
{
    /// <summary>A near miss is one the company can act on: failing only on location is not.</summary>
    public MatchGroup Group => Evaluation.Outcome switch
    {
        Outcome.Eligible => MatchGroup.Eligible,
        Outcome.NeedsInformation => MatchGroup.NeedsInformation,
        _ when Evaluation.IsNearMiss && !FailsOnLocationOnly => MatchGroup.NearMiss,
        _ => MatchGroup.NotEligible,
    };
}

public enum MatchGroup { Eligible, NeedsInformation, NearMiss, NotEligible }

public sealed record MatchReport(DateOnly AsOf, ProfileFacts Facts, IReadOnlyList<MatchItem> Items)
{
    public IEnumerable<MatchItem> In(MatchGroup group) => Items.Where(i => i.Group == group);

    /// <summary>Facts that would settle the most "needs information" measures, most useful first.</summary>
    public IReadOnlyList<(string Fact, int Measures)> FactsToSupply() =>
        Items.Where(i => i.Group == MatchGroup.NeedsInformation)
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
        return new MatchReport(asOf, facts, Sort(items));
    }

    /// <summary>
    /// One measure against one profile's facts: the single place that decides a match's group, shared by
    /// the matches page and the stored matches (<see cref="Rematch.RematchService"/>), so both agree.
    /// </summary>
    public MatchItem Match(PublishedMeasure measure, ProfileFacts facts, DateOnly asOf)
    {
        var evaluation = engine.Evaluate(measure.Rules, facts);
        var locationOnly = evaluation.NearMissCriterion is { } miss && measure.LocationCriteria.Contains(miss.Id);
        return new MatchItem(measure.Row, evaluation, measure.Row.PeriodStatusOn(asOf), locationOnly);
    }

    /// <summary>
    /// Most useful first: measures in force before upcoming and expired ones, an open window closing
    /// soonest first, then the share of criteria met, then the catalog order.
    /// </summary>
    private static List<MatchItem> Sort(List<MatchItem> items) =>
        items.OrderBy(i => i.Period switch { PeriodStatus.InForce => 0, PeriodStatus.Upcoming => 1, _ => 2 })
            .ThenBy(i => i.Measure.WindowCloses ?? DateOnly.MaxValue)
            .ThenByDescending(i => i.Evaluation.Total == 0 ? 1m : (decimal)i.Evaluation.Met / i.Evaluation.Total)
            .ThenBy(i => i.Measure.PlanId, StringComparer.Ordinal)
            .ThenBy(i => i.Measure.MeasureId, StringComparer.Ordinal)
            .ToList();
}
