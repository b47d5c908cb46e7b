using System.Text.Json.Nodes;

namespace PolicyMatch.Rules;

/// <summary>One named condition of a measure: a JsonLogic rule over public and derived facts.</summary>
public sealed record Criterion(string Id, string LabelZh, string LabelEn, JsonNode Rule);

/// <summary>The criteria of one version of a measure, as the engine compiles and caches them.</summary>
public sealed record MeasureRuleSet(string MeasureId, int Version, IReadOnlyList<Criterion> Criteria);

/// <summary>The result of one criterion for one profile.</summary>
public sealed record CriterionEvaluation(
    string Id, string LabelZh, string LabelEn, CriterionResult Result, IReadOnlyList<string> MissingFacts);

/// <summary>The result of one measure for one profile on one date.</summary>
public sealed record MeasureEvaluation(
    string MeasureId, int Version, Outcome Outcome, int Met, int Total, IReadOnlyList<CriterionEvaluation> Criteria)
{
    private IReadOnlyList<string>? _missingFacts;

    /// <summary>Exactly one criterion is not met and none is unknown.</summary>
    public bool IsNearMiss => Met == Total - 1 && NotMetCount == 1;

    /// <summary>The criterion that failed when <see cref="IsNearMiss"/>, else null.</summary>
    public CriterionEvaluation? NearMissCriterion =>
        IsNearMiss ? Criteria.First(c => c.Result == CriterionResult.NotMet) : null;

    /// <summary>The distinct public facts to supply to resolve the unknown criteria, in criterion order.</summary>
    public IReadOnlyList<string> MissingFacts => _missingFacts ??= CollectMissing(Criteria);

    private int? _notMetCount;

    // Counted once, by index: a page asks each evaluation for its group several times, and an interface
    // foreach allocates an enumerator each time.
    private int NotMetCount => _notMetCount ??= CountNotMet(Criteria);

    private static int CountNotMet(IReadOnlyList<CriterionEvaluation> criteria)
    {
        var n = 0;
        for (var i = 0; i < criteria.Count; i++)
        {
            if (criteria[i].Result == CriterionResult.NotMet)
            {
                n++;
            }
        }

        return n;
    }

    private static IReadOnlyList<string> CollectMissing(IReadOnlyList<CriterionEvaluation> criteria)
    {
        List<string>? list = null;
        for (var i = 0; i < criteria.Count; i++)
        {
            var facts = criteria[i].MissingFacts;
            for (var j = 0; j < facts.Count; j++)
            {
                var f = facts[j];
                list ??= [];
                if (!list.Contains(f))
                {
                    list.Add(f);
                }
            }
        }

        return list is null ? [] : list.AsReadOnly();
    }
}
