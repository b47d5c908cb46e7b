namespace PolicyMatch.Rules;

/// <summary>
/// What one evaluation of a rule may spend. Rules come from outside (the anonymous <c>/api/rules/evaluate</c>,
/// catalog imports, authors), and a few hundred bytes of JsonLogic can otherwise loop for minutes or build
/// gigabytes (nested <c>reduce</c>, a <c>cat</c> doubling its accumulator).
/// </summary>
/// <param name="MaxSteps">
/// Work inside the collection operators (map, filter, reduce, all, none, some): each element costs the number of
/// nodes of the logic run for it. Work outside loops is already bounded by the rule's own size.
/// </param>
/// <param name="MaxValueSize">
/// Characters of strings built by <c>cat</c> plus elements of arrays built by map, filter and merge, summed over
/// the evaluation (so it bounds the largest value and the copying done to build it).
/// </param>
public sealed record EvaluationLimits(int MaxSteps, int MaxValueSize)
{
    /// <summary>
    /// 1,000,000 steps (about 20–60 ms of interpretation on one core) and 1,000,000 characters or elements: a
    /// criterion loops over a profile's short lists (a dozen focus areas), thousands of times below both.
    /// </summary>
    public static EvaluationLimits Default { get; } = new(1_000_000, 1_000_000);
}

/// <summary>Which limit of <see cref="EvaluationLimits"/> an evaluation reached.</summary>
public enum RuleLimit
{
    Steps,
    ValueSize,
}

/// <summary>An evaluation reached one of its <see cref="EvaluationLimits"/>; names the limit, the operator and where.</summary>
public sealed class RuleLimitException(RuleLimit limit, long allowed, string path, string op)
    : JsonLogicException(Describe(limit, allowed), path, op)
{
    public RuleLimit Limit { get; } = limit;

    /// <summary>The limit's value (steps, or characters and elements).</summary>
    public long Allowed { get; } = allowed;

    private static string Describe(RuleLimit limit, long allowed) => limit switch
    {
        RuleLimit.Steps => $"the rule exceeds the limit of {allowed:N0} steps per evaluation (steps: each element a map, filter, reduce, all, none or some runs its logic for, times that logic's size)",
        _ => $"the rule exceeds the limit of {allowed:N0} characters and array elements built per evaluation (cat, map, filter, merge)",
    };
}
