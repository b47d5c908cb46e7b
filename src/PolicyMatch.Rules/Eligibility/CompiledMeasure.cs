using System.Collections.Concurrent;
using PolicyMatch.Rules.Evaluation;

namespace PolicyMatch.Rules;

/// <summary>A measure version whose criteria are compiled; obtained from <see cref="EligibilityEngine.Compile"/>.</summary>
public sealed class CompiledMeasure
{
    internal CompiledMeasure(MeasureRuleSet source, CompiledCriterion[] criteria)
    {
        MeasureId = source.MeasureId;
        Version = source.Version;
        Criteria = source.Criteria;
        Compiled = criteria;
        Atoms = [.. criteria.Select(c => FastCompiler.ToAtom(c.Rule.KleenePred))];
        FactsRead = FactSelection.Of(criteria.Select(c => c.Rule));
    }

    /// <summary>The profile facts the criteria can read; null when a criterion reads data it names only while running.</summary>
    public FactSelection? FactsRead { get; }

    public string MeasureId { get; }

    public int Version { get; }

    public IReadOnlyList<Criterion> Criteria { get; }

    internal CompiledCriterion[] Compiled { get; }

    /// <summary>
    /// The criteria's three-valued predicates as inline atoms, side by side for the evaluation loops: most
    /// criteria are one fact-versus-constant condition, evaluated without a virtual call.
    /// </summary>
    internal Atom[] Atoms { get; }
}

/// <summary>
/// One criterion, compiled. The results without missing facts are allocated once here; unknown results are
/// cached by the set of missing facts, so evaluating a catalog allocates next to nothing per criterion.
/// </summary>
internal sealed class CompiledCriterion
{
    private readonly ConcurrentDictionary<ulong, CriterionEvaluation> _unknownByMask = new();

    public CompiledCriterion(Criterion source, CompiledRule rule)
    {
        Source = source;
        Rule = rule;
        MetResult = new(source.Id, source.LabelZh, source.LabelEn, CriterionResult.Met, []);
        NotMetResult = new(source.Id, source.LabelZh, source.LabelEn, CriterionResult.NotMet, []);
    }

    public Criterion Source { get; }

    public CompiledRule Rule { get; }

    public CriterionEvaluation MetResult { get; }

    public CriterionEvaluation NotMetResult { get; }

    /// <summary>The result for the predicate's answer <paramref name="tri"/>.</summary>
    public CriterionEvaluation Result(int tri, ProfileFacts facts) => tri switch
    {
        Tri.True => MetResult,
        Tri.False => NotMetResult,
        _ => Unknown(facts),
    };

    /// <summary>The compiled predicate says unknown; the interpreter works out which facts are missing.</summary>
    private CriterionEvaluation Unknown(ProfileFacts facts)
    {
        var v = Rule.EvalKleene(facts);
        if (!v.IsUnknown)
        {
            // Cannot happen while the two paths agree (the tests check they do); trust the interpreter.
            return Js.Truthy(v) ? MetResult : NotMetResult;
        }

        var missing = v.Missing ?? MissingSet.Empty;
        if (!missing.MaskExact)
        {
            return Make(missing);
        }

        return _unknownByMask.TryGetValue(missing.Mask, out var cached)
            ? cached
            : _unknownByMask.GetOrAdd(missing.Mask, _ => Make(missing));
    }

    private CriterionEvaluation Make(MissingSet missing) =>
        new(Source.Id, Source.LabelZh, Source.LabelEn, CriterionResult.Unknown, missing.Names);
}
