using System.Text.Json;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

/// <summary>The catalog in seeds/, checked as files: what a policy person reviews.</summary>
public class SeedCatalogTests
{
    private static readonly SeedSet Seeds = Seeder.Read(Repo.Seeds);

    [Fact]
    public void The_seed_files_are_valid_every_quote_occurring_in_its_clause()
    {
        var problems = Seeder.Validate(Seeds);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_measure_quote_occurs_verbatim_in_the_plan_file_it_cites()
    {
        foreach (var (measure, plan, path) in Seeds.Measures)
        {
            var text = File.ReadAllText(Path.Combine(Repo.Seeds, "plans", plan));
            Assert.True(text.Contains(measure.Source.Quote, StringComparison.Ordinal), $"{path} ({measure.Id}): quote not in {plan}");
            Assert.Contains(ClauseParser.Parse(text), c => c.Ref == measure.Source.Clause);
        }
    }

    [Fact]
    public void The_five_plans_are_there_and_the_catalog_holds_40_to_70_measures()
    {
        Assert.Equal(["000", "001", "002", "003", "004"], Seeds.Plans.Select(p => p.Plan.Id));
        Assert.InRange(Seeds.Measures.Count, 40, 70);
        Assert.All(Seeds.Plans, p => Assert.Contains(Seeds.Measures, m => m.Plan == p.Plan.Document));
    }

    [Fact]
    public void Plan_texts_are_clean_of_web_page_noise()
    {
        foreach (var (plan, fullText, _) in Seeds.Plans)
        {
            // The closing attribution line may name the page the text was taken from; the text itself may not.
            var body = string.Join("\n", fullText.Split('\n').Where(l => !l.StartsWith("来源:", StringComparison.Ordinal) && !l.StartsWith("来源：", StringComparison.Ordinal)));
            Assert.True(body.Length < fullText.Length, $"{plan.Document} has no closing attribution line (来源:…)");
            foreach (var noise in new[] { "分享:", "字号", "当前位置", "医学资讯内容", "大风橙色预警", "Products" })
            {
                Assert.False(body.Contains(noise, StringComparison.Ordinal), $"{plan.Document} still contains '{noise}'");
            }
        }
    }

    [Fact]
    public void The_four_seed_notices_are_the_policy_notices_of_plan_000_with_their_dates()
    {
        Assert.Equal(4, Seeds.Notices.Count);
        Assert.DoesNotContain(Seeds.Notices, n => n.Title.Contains("预警", StringComparison.Ordinal));
        var original = File.ReadAllText(Path.Combine(Repo.Root, "..", "shared", "seeds", "000_1964764f133f43d3.txt"));
        foreach (var notice in Seeds.Notices)
        {
            Assert.Contains(notice.Title, original);
            Assert.Contains(notice.PublishedOn.ToString("yyyy-MM-dd"), original);
            Assert.NotEmpty(notice.Measures);
        }
    }

    [Fact]
    public void Every_measure_has_an_eligible_and_a_not_eligible_policy_case()
    {
        var cases = LoadCases();
        foreach (var (measure, _, path) in Seeds.Measures)
        {
            var mine = cases.Where(c => c.Case.Measure == measure.Id).Select(c => c.Case.Expected).ToList();
            Assert.True(mine.Contains("eligible") && mine.Contains("not_eligible"), $"{path} ({measure.Id}) needs an eligible and a not_eligible case; has [{string.Join(", ", mine)}]");
        }
        Assert.All(cases, c => Assert.Contains(Seeds.Measures, m => m.Measure.Id == c.Case.Measure));
    }

    /// <summary>Every policy case of seeds/cases/ through the real engine: one test runs them all.</summary>
    [Fact]
    public void Every_policy_case_gives_its_expected_outcome()
    {
        var engine = new EligibilityEngine();
        var measures = Seeds.Measures.ToDictionary(m => m.Measure.Id, m => engine.Compile(new MeasureRuleSet(
            m.Measure.Id, 1, m.Measure.Criteria.Select(c => new Criterion(c.Id, c.LabelZh, c.LabelEn, c.Rule!)).ToList())));
        var failures = new List<string>();
        var cases = LoadCases();
        foreach (var (file, c) in cases)
        {
            var result = engine.Evaluate(measures[c.Measure], ProfileFacts.From(c.Profile, c.AsOf));
            var outcome = result.Outcome switch { Outcome.Eligible => "eligible", Outcome.NeedsInformation => "needs_information", _ => "not_eligible" };
            if (outcome != c.Expected)
            {
                failures.Add($"{file} «{c.Name}» ({c.Measure}, as of {c.AsOf}): expected {c.Expected}, got {outcome} — " +
                    string.Join("; ", result.Criteria.Select(x => $"{x.Id}={x.Result}")));
            }
        }
        Assert.True(cases.Count >= 2 * Seeds.Measures.Count, $"only {cases.Count} cases");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static List<(string File, PolicyCase Case)> LoadCases() =>
        Directory.GetFiles(Path.Combine(Repo.Seeds, "cases"), "*.json").Order()
            .SelectMany(f => JsonSerializer.Deserialize<List<PolicyCase>>(File.ReadAllText(f), CatalogJson.Options)!.Select(c => (Path.GetFileName(f), c)))
            .ToList();
}
