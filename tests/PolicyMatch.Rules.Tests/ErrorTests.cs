using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>Bad rules fail at compile time with the operator and the path of the offending node.</summary>
public class ErrorTests
{
    [Theory]
    [InlineData("""{"foo":[1]}""", "$.foo", "foo", "unknown operator 'foo'")]
    [InlineData("""{"and":[true, {"bar":1}]}""", "$.and[1].bar", "bar", "unknown operator 'bar'")]
    [InlineData("""{"or":[{"and":[{">=":[{"var":"employees"}, {"log":1}]}]}]}""", "$.or[0].and[0]['>='][1].log", "log", "unknown operator 'log'")]
    [InlineData("""{"and":[{">=":[1]}]}""", "$.and[0]['>=']", ">=", "'>=' takes 2 arguments, got 1")]
    [InlineData("""{"<":[1,2,3,4]}""", "$['<']", "<", "'<' takes 2 to 3 arguments, got 4")]
    [InlineData("""{"!":[1,2]}""", "$['!']", "!", "'!' takes 1 argument, got 2")]
    [InlineData("""{"and":[]}""", "$.and", "and", "'and' takes at least 1 argument, got 0")]
    [InlineData("""{"var":["a", 1, 2]}""", "$.var", "var", "'var' takes 0 to 2 arguments, got 3")]
    [InlineData("""{"if":[{"missing_some":[1]}]}""", "$.if[0].missing_some", "missing_some", "'missing_some' takes 2 arguments, got 1")]
    [InlineData("""{"map":[[1,2]]}""", "$.map", "map", "'map' takes 2 arguments, got 1")]
    [InlineData("""{"substr":["abc"]}""", "$.substr", "substr", "'substr' takes 2 to 3 arguments, got 1")]
    public void UnknownOperatorsAndWrongArityNameTheOperatorAndPath(string rule, string path, string op, string reason)
    {
        var ex = Assert.Throws<JsonLogicException>(() => CompiledRule.Compile(J(rule)));
        Assert.Equal(path, ex.Path);
        Assert.Equal(op, ex.Operator);
        Assert.Equal(reason, ex.Reason);
        Assert.Contains(path, ex.Message);
    }

    [Theory]
    [InlineData("""{"==":[1,1], "!=":[1,2]}""", "$", "found 2 ('==', '!=')")]
    [InlineData("""{"and":[{}, true]}""", "$.and[0]", "an empty object is not an operation")]
    [InlineData("""{"in":["a", {"x":1, "y":2}]}""", "$.in[1]", "found 2")]
    public void ObjectsWithoutExactlyOneKeyAreMalformed(string rule, string path, string reasonPart)
    {
        var ex = Assert.Throws<JsonLogicException>(() => CompiledRule.Compile(J(rule)));
        Assert.Equal(path, ex.Path);
        Assert.Null(ex.Operator);
        Assert.Contains(reasonPart, ex.Reason);
    }

    [Fact]
    public void UnaryShorthandIsNotAnError()
    {
        // {"and": 1} is JsonLogic's unary sugar for {"and": [1]}: accepted, like {"!": true} in the official suite.
        Assert.Equal(1m, (decimal)JsonLogic.Apply(J("""{"and":1}"""), null)!);
    }

    [Fact]
    public void EngineErrorsNameTheCriterion()
    {
        var measure = new MeasureRuleSet("m", 1,
        [
            new Criterion("ok", "好", "ok", J("""{"var":"in_beijing"}""")!),
            new Criterion("bad-one", "坏", "bad", J("""{"or":[{"frobnicate":[1]}]}""")!),
        ]);
        var ex = Assert.Throws<JsonLogicException>(() => new EligibilityEngine().Compile(measure));
        Assert.Equal("$.criteria['bad-one'].rule.or[0].frobnicate", ex.Path);
        Assert.Equal("frobnicate", ex.Operator);
    }

    [Fact]
    public void DuplicateCriterionIdsAreRejected()
    {
        var measure = new MeasureRuleSet("m", 1,
        [
            new Criterion("a", "", "", J("true")!),
            new Criterion("a", "", "", J("false")!),
        ]);
        var ex = Assert.Throws<JsonLogicException>(() => new EligibilityEngine().Compile(measure));
        Assert.Equal("$.criteria['a']", ex.Path);
    }

    [Fact]
    public void AFailedCompileIsNotCached()
    {
        var engine = new EligibilityEngine();
        var bad = new MeasureRuleSet("m", 1, [new Criterion("a", "", "", J("""{"nope":1}""")!)]);
        Assert.Throws<JsonLogicException>(() => engine.Compile(bad));
        Assert.Equal(0, engine.CachedCount);
    }
}
