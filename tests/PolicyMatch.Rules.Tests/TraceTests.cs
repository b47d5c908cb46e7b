using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

public class TraceTests
{
    [Fact]
    public void TraceShowsEveryOperationWithItsValue()
    {
        var rule = CompiledRule.Compile(J("""
            {"and": [{"==": [{"var": "district"}, "昌平区"]}, {">=": [{"var": "employees"}, 10]},
                     {"some": [{"var": "focus_areas"}, {"==": [{"var": ""}, "医药健康"]}]}]}
            """));
        var facts = ProfileFacts.From(O("""{"district":"昌平区","focus_areas":["医药健康"]}"""), new DateOnly(2025, 6, 30));
        var steps = rule.Trace(facts);
        Assert.Equal(
            ["$.and", "$.and[0]['==']", "$.and[0]['=='][0].var", "$.and[1]['>=']", "$.and[1]['>='][0].var", "$.and[2].some", "$.and[2].some[0].var"],
            steps.Select(s => s.Path));
        Assert.Equal([0, 1, 2, 1, 2, 1, 2], steps.Select(s => s.Depth));
        Assert.True(steps[0].IsUnknown);
        Assert.Equal(["employees"], steps[0].MissingFacts);
        Assert.True((bool)steps[1].Value!);
        Assert.Equal("昌平区", (string)steps[2].Value!);
        Assert.True(steps[4].IsUnknown);
        Assert.Equal(["employees"], steps[4].MissingFacts);
        Assert.True((bool)steps[5].Value!);
    }

    [Fact]
    public void TraceInPlainModeReadsAbsentFactsAsNull()
    {
        var rule = CompiledRule.Compile(J("""{">=": [{"var": "employees"}, 10]}"""));
        var steps = rule.Trace(ProfileFacts.From(O("{}"), new DateOnly(2025, 6, 30)), threeValued: false);
        Assert.False((bool)steps[0].Value!);
        Assert.Null(steps[1].Value);
        Assert.False(steps[1].IsUnknown);
    }
}
