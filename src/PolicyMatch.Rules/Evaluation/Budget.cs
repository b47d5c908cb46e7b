namespace PolicyMatch.Rules.Evaluation;

/// <summary>
/// What one evaluation has left of its <see cref="EvaluationLimits"/>. Created per evaluation by the entry points
/// (never shared across threads) and carried in the <see cref="Scope"/>. It is charged only where work or memory
/// can grow beyond the rule's own size — per element of a collection operator and per string or array built — so
/// rules without loops pay nothing per node.
/// </summary>
internal sealed class Budget(EvaluationLimits limits, CancellationToken cancellation)
{
    private long _steps = limits.MaxSteps;
    private long _size = limits.MaxValueSize;

    /// <summary>One element of a collection operator, costing the size of the logic run for it.</summary>
    public void Step(int cost, OpNode at)
    {
        if ((_steps -= cost) < 0)
        {
            throw new RuleLimitException(RuleLimit.Steps, limits.MaxSteps, at.Path, at.Name);
        }

        // Checked per element: a cancelled request (the client went away) stops within one element's work.
        cancellation.ThrowIfCancellationRequested();
    }

    /// <summary>A value about to be built: its characters (a string) or elements (an array).</summary>
    public void Build(long size, OpNode at)
    {
        if ((_size -= size) < 0)
        {
            throw new RuleLimitException(RuleLimit.ValueSize, limits.MaxValueSize, at.Path, at.Name);
        }
    }

    /// <summary>Nodes in a subtree: the step cost of running it once.</summary>
    public static int CostOf(Node node) => node switch
    {
        OpNode op => 1 + op.Args.Sum(CostOf),
        ArrayNode a => 1 + a.Items.Sum(CostOf),
        _ => 1,
    };

    /// <summary>Whether a rule has anything the budget charges (a collection operator, cat or merge).</summary>
    public static bool IsCharged(Node node) => node switch
    {
        OpNode op => op.Name is "map" or "filter" or "reduce" or "all" or "none" or "some" or "cat" or "merge"
            || op.Args.Any(IsCharged),
        ArrayNode a => a.Items.Any(IsCharged),
        _ => false,
    };
}
