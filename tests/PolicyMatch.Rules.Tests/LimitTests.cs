using System.Text.Json.Nodes;
using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>
/// Every evaluation has a step budget (work inside map/filter/reduce/all/none/some) and a bound on the size of the
/// strings and arrays it builds, so a small rule cannot keep a core busy or exhaust memory (issue 14, item 1).
/// </summary>
public class LimitTests
{
    private static readonly JsonArray Range1000 = new([.. Enumerable.Range(0, 1000).Select(i => (JsonNode?)i)]);

    /// <summary>Three nested reduces over 1,000 elements: 10^9 iterations without a budget.</summary>
    private static JsonNode NestedReduces()
    {
        JsonNode body = J("""{"+":[{"var":"accumulator"},1]}""")!;
        for (var i = 0; i < 3; i++)
        {
            body = new JsonObject { ["reduce"] = new JsonArray(Range1000.DeepClone(), body, 0) };
        }

        return body;
    }

    /// <summary>A reduce whose accumulator doubles a string 40 times: 2^40 characters without a bound.</summary>
    private static JsonNode DoublingString() =>
        J("""{"reduce":[[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40],{"cat":[{"var":"accumulator"},{"var":"accumulator"}]},"ab"]}""")!;

    [Fact]
    public void NestedLoopsStopAtTheStepBudgetNamingIt()
    {
        var rule = CompiledRule.Compile(NestedReduces());
        var ex = Assert.Throws<RuleLimitException>(() => rule.Apply(J("{}")));
        Assert.Equal(RuleLimit.Steps, ex.Limit);
        Assert.Equal(EvaluationLimits.Default.MaxSteps, ex.Allowed);
        Assert.Contains("steps", ex.Message);
        Assert.StartsWith("$.reduce", ex.Path);
    }

    [Fact]
    public void AStringDoubledInAReduceStopsAtTheSizeBound()
    {
        var rule = CompiledRule.Compile(DoublingString());
        var ex = Assert.Throws<RuleLimitException>(() => rule.Apply(J("{}")));
        Assert.Equal(RuleLimit.ValueSize, ex.Limit);
        Assert.Equal("cat", ex.Operator);
        Assert.Equal(EvaluationLimits.Default.MaxValueSize, ex.Allowed);
    }

    [Fact]
    public void ArraysBuiltByMapAndMergeCountTowardsTheSizeBound()
    {
        var limits = new EvaluationLimits(MaxSteps: 1_000_000, MaxValueSize: 1_500);
        var map = CompiledRule.Compile(J("""{"map":[{"var":"xs"},{"var":""}]}"""));
        var data = new JsonObject { ["xs"] = Range1000.DeepClone() };
        Assert.Equal(1000, map.Apply(data, limits, CancellationToken.None)!.AsArray().Count);
        var twice = CompiledRule.Compile(J("""{"merge":[{"map":[{"var":"xs"},{"var":""}]},{"map":[{"var":"xs"},{"var":""}]}]}"""));
        var ex = Assert.Throws<RuleLimitException>(() => twice.Apply(data, limits, CancellationToken.None));
        Assert.Equal(RuleLimit.ValueSize, ex.Limit);
    }

    [Fact]
    public void TheBudgetIsPerEvaluationSoSiblingLoopsShareIt()
    {
        // Each reduce alone takes 1,000 iterations of a 3-node body; together they exceed 5,000 steps.
        var one = """{"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},1]},0]}""";
        var limits = new EvaluationLimits(MaxSteps: 5_000, MaxValueSize: 1_000_000);
        var data = new JsonObject { ["xs"] = Range1000.DeepClone() };
        Assert.Equal(1000m, (decimal)CompiledRule.Compile(J(one)).Apply(data, limits, CancellationToken.None)!);
        var two = CompiledRule.Compile(J($$"""{"+":[{{one}},{{one}}]}"""));
        Assert.Throws<RuleLimitException>(() => two.Apply(data, limits, CancellationToken.None));
    }

    [Fact]
    public void ProfilesAreBoundedToo_ThroughTheFastPathAndTheEngine()
    {
        var facts = ProfileFacts.From(O("""{"district":"昌平区"}"""), new DateOnly(2026, 1, 1));
        var rule = CompiledRule.Compile(NestedReduces());
        Assert.Throws<RuleLimitException>(() => rule.IsTruthy(facts));
        Assert.Throws<RuleLimitException>(() => rule.ApplyThreeValued(facts));
        var doubling = CompiledRule.Compile(new JsonObject { ["!!"] = DoublingString() });
        Assert.Throws<RuleLimitException>(() => doubling.IsTruthy(facts));
    }

    [Fact]
    public void ACancelledEvaluationStops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var rule = CompiledRule.Compile(J("""{"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},1]},0]}"""));
        var data = new JsonObject { ["xs"] = Range1000.DeepClone() };
        Assert.Throws<OperationCanceledException>(() => rule.Apply(data, EvaluationLimits.Default, cts.Token));
    }

    [Fact]
    public void OrdinaryRulesWithLoopsStayWellInsideTheLimits()
    {
        var rule = CompiledRule.Compile(J("""{"some":[{"var":"focus_areas"},{"in":[{"var":""},["人工智能","集成电路"]]}]}"""));
        Assert.True((bool)rule.Apply(J("""{"focus_areas":["医药健康","人工智能"]}"""))!);
    }
}
