using System.Collections.Concurrent;

namespace PolicyMatch.Rules;

/// <summary>Counts of one measure's criteria for one profile, without allocating (for impact previews and bulk runs).</summary>
public readonly record struct MeasureSummary(Outcome Outcome, int Met, int NotMet, int Unknown, int Total)
{
    public bool IsNearMiss => NotMet == 1 && Unknown == 0;
}

/// <summary>
/// Compiles measures once (cached per id and version) and evaluates profiles against them. Thread-safe; one
/// instance per application. A measure version is immutable: compiling the same (id, version) again returns the
/// cached compilation even if the criteria passed differ — publish changes as a new version.
/// </summary>
public sealed class EligibilityEngine
{
    private readonly ConcurrentDictionary<(string MeasureId, int Version), CompiledMeasure> _cache = new();

    /// <summary>Number of compiled measure versions held.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>
    /// Compiles a measure's criteria, or returns the cached compilation of that version. Throws
    /// <see cref="JsonLogicException"/> for a bad rule, with a path such as <c>$.criteria['in-beijing'].rule.and[0]</c>.
    /// </summary>
    public CompiledMeasure Compile(MeasureRuleSet measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var key = (measure.MeasureId, measure.Version);
        return _cache.TryGetValue(key, out var cached) ? cached : _cache.GetOrAdd(key, _ => CompileUncached(measure));
    }

    /// <summary>Compiles without caching (e.g. to validate a draft in the editor).</summary>
    public static CompiledMeasure CompileUncached(MeasureRuleSet measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        var criteria = new CompiledCriterion[measure.Criteria.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < criteria.Length; i++)
        {
            var c = measure.Criteria[i];
            var path = $"$.criteria['{c.Id}']";
            if (!seen.Add(c.Id))
            {
                throw new JsonLogicException($"duplicate criterion id '{c.Id}'", path, null);
            }

            criteria[i] = new CompiledCriterion(c, CompiledRule.Compile(c.Rule, path + ".rule"));
        }

        return new CompiledMeasure(measure, criteria);
    }

    public MeasureEvaluation Evaluate(CompiledMeasure measure, ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(facts);
        var compiled = measure.Compiled;
        var atoms = measure.Atoms;
        var slots = facts.Fast;
        var results = new CriterionEvaluation[compiled.Length];
        int met = 0, notMet = 0, unknown = 0;
        for (var i = 0; i < compiled.Length; i++)
        {
            var r = compiled[i].Result(atoms[i].Eval(slots, facts), facts);
            results[i] = r;
            switch (r.Result)
            {
                case CriterionResult.Met:
                    met++;
                    break;
                case CriterionResult.NotMet:
                    notMet++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        return new MeasureEvaluation(measure.MeasureId, measure.Version, OutcomeOf(notMet, unknown), met, compiled.Length, results);
    }

    public IReadOnlyList<MeasureEvaluation> EvaluateAll(IReadOnlyList<CompiledMeasure> measures, ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(measures);
        var result = new MeasureEvaluation[measures.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Evaluate(measures[i], facts);
        }

        return result;
    }

    /// <summary>The counts and outcome only: no allocation, no missing facts.</summary>
    public MeasureSummary Summarize(CompiledMeasure measure, ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(facts);
        int met = 0, notMet = 0;
        var slots = facts.Fast;
        var atoms = measure.Atoms;
        for (var i = 0; i < atoms.Length; i++)
        {
            var t = atoms[i].Eval(slots, facts);
            met += t == Evaluation.Tri.True ? 1 : 0;
            notMet += t == Evaluation.Tri.False ? 1 : 0;
        }

        var unknown = atoms.Length - met - notMet;
        return new MeasureSummary(OutcomeOf(notMet, unknown), met, notMet, unknown, atoms.Length);
    }

    /// <summary>The outcome only, stopping at the first criterion not met.</summary>
    public Outcome EvaluateOutcome(CompiledMeasure measure, ProfileFacts facts)
    {
        ArgumentNullException.ThrowIfNull(measure);
        ArgumentNullException.ThrowIfNull(facts);
        var unknown = false;
        var slots = facts.Fast;
        var atoms = measure.Atoms;
        for (var i = 0; i < atoms.Length; i++)
        {
            var t = atoms[i].Eval(slots, facts);
            if (t == Evaluation.Tri.False)
            {
                return Outcome.NotEligible;
            }

            unknown |= t == Evaluation.Tri.Unknown;
        }

        return unknown ? Outcome.NeedsInformation : Outcome.Eligible;
    }

    private static Outcome OutcomeOf(int notMet, int unknown) =>
        notMet > 0 ? Outcome.NotEligible : unknown > 0 ? Outcome.NeedsInformation : Outcome.Eligible;
}
