using System.Text.Json.Nodes;
using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>Measure outcomes, k of n, near misses, missing facts, caching and thread safety.</summary>
public class EligibilityTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    // A 昌平 high-tech measure: in Changping, a valid high-tech certificate, at least 10 employees.
    private static readonly MeasureRuleSet Measure = new("cp-hightech-award", 1,
    [
        new Criterion("in-changping", "注册在昌平区", "Registered in Changping", J("""{"==":[{"var":"district"},"昌平区"]}""")!),
        new Criterion("hightech", "高新技术企业资格在有效期内", "Valid high-tech certificate", J("""{"var":"hightech_valid"}""")!),
        new Criterion("employees", "从业人员不少于10人", "At least 10 employees", J("""{">=":[{"var":"employees"},10]}""")!),
    ]);

    private static ProfileFacts Profile(string json) => ProfileFacts.From(O(json), AsOf);

    private static MeasureEvaluation Evaluate(string profile) =>
        new EligibilityEngine().Evaluate(new EligibilityEngine().Compile(Measure), Profile(profile));

    [Fact]
    public void AllMetIsEligible()
    {
        var e = Evaluate("""{"district":"昌平区","hightech_certificate":{"issued_on":"2024-01-01"},"employees":12}""");
        Assert.Equal(Outcome.Eligible, e.Outcome);
        Assert.Equal((3, 3), (e.Met, e.Total));
        Assert.False(e.IsNearMiss);
        Assert.Empty(e.MissingFacts);
    }

    [Fact]
    public void UnknownWithoutFailureNeedsInformationAndListsTheFacts()
    {
        // The certificate is unknown (not answered) and so is the head count.
        var e = Evaluate("""{"district":"昌平区"}""");
        Assert.Equal(Outcome.NeedsInformation, e.Outcome);
        Assert.Equal((1, 3), (e.Met, e.Total));
        Assert.Equal(["hightech_certificate", "employees"], e.MissingFacts);
        Assert.Equal(CriterionResult.Unknown, e.Criteria[1].Result);
        Assert.Equal(["hightech_certificate"], e.Criteria[1].MissingFacts);
        Assert.False(e.IsNearMiss);
    }

    [Fact]
    public void ExactlyOneFailureAndNoUnknownIsANearMiss()
    {
        var e = Evaluate("""{"district":"昌平区","hightech_certificate":false,"employees":12}""");
        Assert.Equal(Outcome.NotEligible, e.Outcome);
        Assert.Equal((2, 3), (e.Met, e.Total));
        Assert.True(e.IsNearMiss);
        Assert.Equal("hightech", e.NearMissCriterion!.Id);
        Assert.Equal("高新技术企业资格在有效期内", e.NearMissCriterion.LabelZh);
    }

    [Fact]
    public void OneFailureWithAnUnknownIsNotANearMiss()
    {
        var e = Evaluate("""{"district":"昌平区","hightech_certificate":false}""");
        Assert.Equal(Outcome.NotEligible, e.Outcome);
        Assert.False(e.IsNearMiss);
        Assert.Null(e.NearMissCriterion);
        Assert.Equal(["employees"], e.MissingFacts);
    }

    [Fact]
    public void TwoFailuresAreNotANearMiss()
    {
        var e = Evaluate("""{"district":"海淀区","hightech_certificate":false,"employees":12}""");
        Assert.Equal(Outcome.NotEligible, e.Outcome);
        Assert.Equal(1, e.Met);
        Assert.False(e.IsNearMiss);
    }

    [Fact]
    public void AMeasureWithNoCriteriaIsEligible()
    {
        var engine = new EligibilityEngine();
        var e = engine.Evaluate(engine.Compile(new MeasureRuleSet("open", 1, [])), Profile("{}"));
        Assert.Equal(Outcome.Eligible, e.Outcome);
        Assert.Equal((0, 0), (e.Met, e.Total));
        Assert.False(e.IsNearMiss);
    }

    [Fact]
    public void MissingFactsAreDistinctAcrossCriteria()
    {
        var measure = new MeasureRuleSet("m", 1,
        [
            new Criterion("a", "", "", J("""{">=":[{"var":"employees"},10]}""")!),
            new Criterion("b", "", "", J("""{"==":[{"var":"size_band"},"small"]}""")!),
        ]);
        var engine = new EligibilityEngine();
        var e = engine.Evaluate(engine.Compile(measure), Profile("{}"));
        Assert.Equal(["employees", "revenue_last_year"], e.MissingFacts);
    }

    [Fact]
    public void UnexpectedValueTypesDoNotCrashAndCompareAsJsonLogic()
    {
        var e = Evaluate("""{"district":123,"hightech_certificate":"yes","employees":"12"}""");
        // "12" >= 10 is true in JavaScript; 123 == "昌平区" is false; a string certificate cannot be checked.
        Assert.Equal(CriterionResult.NotMet, e.Criteria[0].Result);
        Assert.Equal(CriterionResult.Unknown, e.Criteria[1].Result);
        Assert.Equal(CriterionResult.Met, e.Criteria[2].Result);
    }

    [Fact]
    public void SummaryAndOutcomeAgreeWithTheFullEvaluation()
    {
        var engine = new EligibilityEngine();
        var m = engine.Compile(Measure);
        foreach (var json in new[]
        {
            """{"district":"昌平区","hightech_certificate":{"issued_on":"2024-01-01"},"employees":12}""",
            """{"district":"昌平区"}""",
            """{"district":"昌平区","hightech_certificate":false,"employees":12}""",
            """{}""",
        })
        {
            var f = Profile(json);
            var full = engine.Evaluate(m, f);
            var summary = engine.Summarize(m, f);
            Assert.Equal(full.Outcome, summary.Outcome);
            Assert.Equal(full.Outcome, engine.EvaluateOutcome(m, f));
            Assert.Equal(full.Met, summary.Met);
            Assert.Equal(full.IsNearMiss, summary.IsNearMiss);
        }
    }

    [Fact]
    public void CompilationIsCachedPerMeasureVersion()
    {
        var engine = new EligibilityEngine();
        var first = engine.Compile(Measure);
        Assert.Same(first, engine.Compile(Measure));
        Assert.Same(first, engine.Compile(Measure with { Criteria = [.. Measure.Criteria] }));
        var v2 = engine.Compile(Measure with { Version = 2 });
        Assert.NotSame(first, v2);
        Assert.Equal(2, v2.Version);
        Assert.Equal(2, engine.CachedCount);
    }

    [Fact]
    public void RepeatedResultsAreShared()
    {
        // Evaluating a catalog allocates the measure results, not one object per criterion.
        var engine = new EligibilityEngine();
        var m = engine.Compile(Measure);
        var a = engine.Evaluate(m, Profile("""{"district":"昌平区"}"""));
        var b = engine.Evaluate(m, Profile("""{"district":"昌平区"}"""));
        Assert.Same(a.Criteria[0], b.Criteria[0]);
        Assert.Same(a.Criteria[1], b.Criteria[1]);
    }

    [Fact]
    public void EvaluateAllReturnsOneResultPerMeasureInOrder()
    {
        var engine = new EligibilityEngine();
        var measures = new[] { engine.Compile(Measure), engine.Compile(new MeasureRuleSet("open", 1, [])) };
        var results = engine.EvaluateAll(measures, Profile("""{"district":"昌平区"}"""));
        Assert.Equal(["cp-hightech-award", "open"], results.Select(r => r.MeasureId));
    }

    [Fact]
    public void ThreadSafetySmokeTest()
    {
        var engine = new EligibilityEngine();
        var profiles = Enumerable.Range(0, 64).Select(i => Profile($$"""
            {"district":"{{(i % 2 == 0 ? "昌平区" : "海淀区")}}","employees":{{i}},
             "hightech_certificate":{{(i % 3 == 0 ? "false" : "{\"issued_on\":\"2024-01-01\"}")}}}
            """)).ToArray();
        var expected = profiles.Select(p => new EligibilityEngine().Evaluate(new EligibilityEngine().Compile(Measure), p).Outcome).ToArray();
        var failures = 0;
        var instances = new System.Collections.Concurrent.ConcurrentDictionary<CompiledMeasure, byte>();
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            // Compile concurrently too: every thread must get the one cached instance per version.
            var m = engine.Compile(Measure with { Version = 1 + (i % 4) });
            instances.TryAdd(m, 0);
            var p = i % profiles.Length;
            if (engine.Evaluate(m, profiles[p]).Outcome != expected[p])
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
        Assert.Equal(4, engine.CachedCount);
        Assert.Equal(4, instances.Count);
    }
}
