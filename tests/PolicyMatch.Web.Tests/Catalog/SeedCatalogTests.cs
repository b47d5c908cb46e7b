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
    public void The_five_plans_and_the_four_notice_documents_are_there_and_the_catalog_holds_40_to_70_measures()
    {
        // 005–008: the four notices at the end of plan 000, each a document of its own (issue 12 item 5).
        Assert.Equal(["000", "001", "002", "003", "004", "005", "006", "007", "008"], Seeds.Plans.Select(p => p.Plan.Id));
        // 40–70 drawn from the five plans, and one from each notice document.
        Assert.InRange(Seeds.Measures.Count(m => string.CompareOrdinal(m.Plan, "005") < 0), 40, 70);
        Assert.Equal(4, Seeds.Measures.Count(m => string.CompareOrdinal(m.Plan, "005") >= 0));
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

    /// <summary>
    /// Issue 12 item 5: each seeded notice is a document of its own (its title, date and issuer, nothing
    /// more than plan 000 states), and is linked to the measure drawn from that document, which cites it.
    /// </summary>
    [Fact]
    public void Each_seed_notice_is_a_document_of_its_own_linked_to_the_measure_citing_it()
    {
        var original = File.ReadAllText(Path.Combine(Repo.Root, "..", "shared", "seeds", "000_1964764f133f43d3.txt"));
        foreach (var notice in Seeds.Notices)
        {
            var (plan, text, _) = Seeds.Plans.Single(p => p.Plan.Document == notice.Source!.Document);
            Assert.Equal(notice.Title, plan.Title);
            Assert.Equal(notice.PublishedOn, plan.PublishedOn);
            Assert.Equal(notice.PublishedOn, plan.Period!.From);
            Assert.Null(plan.Period.To);          // the title states no end
            Assert.Null(plan.DocumentNumber);     // nor a 文号
            Assert.Null(notice.Window);           // nor a window
            Assert.Equal(["昌平区"], plan.Regions!);
            Assert.StartsWith(notice.Title + "\n发布日期:" + notice.PublishedOn.ToString("yyyy-MM-dd") + "\n来源:", text);
            Assert.Contains(notice.Title, original);
            var measure = Assert.Single(Seeds.Measures, m => m.Plan == plan.Document).Measure;
            Assert.Equal([measure.Id], notice.Measures);
            Assert.Equal(notice.Title, measure.Source.Quote);
            Assert.Null(measure.Window);
            Assert.Null(measure.Amount);
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

    /// <summary>
    /// Issue 11: the regions a measure's page shows (适用地区) and what matching checks must agree, or a
    /// company in Chaoyang is told it is eligible for a Tongzhou measure.
    /// </summary>
    [Fact]
    public void Every_measure_s_regions_and_criteria_agree()
    {
        var engine = new EligibilityEngine();
        var problems = Seeds.Measures
            .SelectMany(m => RegionCheck.Disagreements(m.Measure, engine).Select(p => $"{m.Path} ({m.Measure.Id}): {p}"))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_region_check_fails_the_encodings_issue_11_found()
    {
        var engine = new EligibilityEngine();
        // tz-digital-scenarios before the review: 适用地区 通州区, and no criterion on location at all.
        var scenarios = Seeds.Measures.Single(m => m.Measure.Id == "tz-digital-scenarios").Measure;
        var before = scenarios with { Criteria = scenarios.Criteria.Where(c => c.Id != "in-or-moving-to-tongzhou").ToList() };
        Assert.Contains(RegionCheck.Disagreements(before, engine), p => p.Contains("朝阳区", StringComparison.Ordinal) && p.Contains("outside", StringComparison.Ordinal));
        // cp-materials-facility-open-access before: 适用地区 昌平区, but only 未来科学城 companies pass.
        var facility = Seeds.Measures.Single(m => m.Measure.Id == "cp-materials-facility-open-access").Measure;
        Assert.Contains(RegionCheck.Disagreements(facility with { Regions = ["昌平区"] }, engine), p => p.Contains("inside", StringComparison.Ordinal));
        // A region the check cannot place is a problem too, not a silent pass.
        Assert.NotEmpty(RegionCheck.Disagreements(facility with { Regions = ["火星"] }, engine));
    }

    [Fact]
    public void Every_measure_states_who_benefits_and_only_the_reviewed_ones_give_a_company_nothing()
    {
        Assert.All(Seeds.Measures, m => Assert.True(Beneficiary.Parse(m.Measure.Beneficiary) is not null, $"{m.Path} ({m.Measure.Id}): no beneficiary"));
        // The measures that are not matched against companies (issue 11 review; reasons in their notes).
        Assert.Equal(
            ["jjj-high-end-industry-cultivation", "jjj-traditional-industry-upgrading", "tz-industry-park-siting"],
            Seeds.Measures.Where(m => !Beneficiary.Of(m.Measure.Beneficiary).Matched).Select(m => m.Measure.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void How_to_apply_and_amounts_appear_only_where_the_source_states_them()
    {
        // The five plans state no application window, channel, contact, document list or amount for
        // any measure, and the four notices give only a title and a date: so every one is empty, and
        // the measure page says so. A value added here must come with a source that states it.
        Assert.All(Seeds.Measures, m =>
        {
            Assert.True(m.Measure.Apply is null || m.Measure.Apply.IsEmpty, $"{m.Measure.Id}: how to apply filled without a source");
            Assert.Null(m.Measure.Window);
            Assert.Null(m.Measure.Amount);
        });
        Assert.All(Seeds.Notices, n => Assert.Null(n.Window));
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
