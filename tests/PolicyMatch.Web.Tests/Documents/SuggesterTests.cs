using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Documents;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Documents;

/// <summary>
/// The suggester on real sentences: from each of the five seeded plans, the four seeded notices (the
/// titles at the end of plan 000), and the district notice written for the tests. Each test says what
/// the sentence states and so what must (and must not) be suggested.
/// </summary>
public class SuggesterTests
{
    private static readonly string[] Changping = ["昌平区"];

    private static string PlanText(string prefix) =>
        File.ReadAllText(Directory.GetFiles(Path.Combine(Repo.Seeds, "plans"), prefix + "_*.txt").Single());

    /// <summary>The sentence as it is in the seeded text (so the test fails if the text changes).</summary>
    private static string Sentence(string plan, string startsWith) =>
        Suggester.Sentences(PlanText(plan)).First(s => s.StartsWith(startsWith, StringComparison.Ordinal));

    private static string Rule(SuggestedCriterion c) => AuthoringJson.Compact(c.Rule);

    private static SuggestedCriterion Criterion(Suggestion s, string id) => s.Criteria.Single(c => c.Id == id);

    // ---- the district notice written for the tests -------------------------------------------------

    private static readonly string Fixture = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Documents", "Fixtures", "district-notice.txt"));

    [Fact]
    public void Revenue_share_of_rd_qualification_ratio_and_cap_are_read_from_the_words_that_state_them()
    {
        var sentence = Suggester.Sentences(Fixture).Single(s => s.StartsWith("对上年度营业收入不低于2000万元", StringComparison.Ordinal));
        var s = Suggester.ForSentence("二(一)", sentence, Changping)!;

        Assert.Equal(["in-district", "srdi", "rd-intensity", "revenue"], s.Criteria.Select(c => c.Id));
        Assert.Equal("""{"==":[{"var":"district"},"昌平区"]}""", Rule(Criterion(s, "in-district")));
        Assert.Equal("文件适用地区:昌平区", Criterion(s, "in-district").From); // the sentence does not name it: the document does
        Assert.Equal("""{">=":[{"var":"srdi_rank"},2]}""", Rule(Criterion(s, "srdi")));
        Assert.Equal("专精特新中小企业", Criterion(s, "srdi").From);
        Assert.Equal("""{">=":[{"var":"rd_intensity"},0.05]}""", Rule(Criterion(s, "rd-intensity")));
        Assert.Equal("研发投入占比不低于5%", Criterion(s, "rd-intensity").From);
        Assert.Equal("""{">=":[{"var":"revenue_last_year"},20000000]}""", Rule(Criterion(s, "revenue")));
        Assert.Equal("上年度营业收入不低于2000万元", Criterion(s, "revenue").From);
        // The ratio and the cap are the amount; the revenue threshold (also 万元) is not.
        Assert.Equal("按其上年度研发投入的30%给予补贴,最高给予50万元", s.Amount);
        Assert.Equal("funding", s.Kind);
        Assert.Null(s.WindowCloses);
    }

    [Fact]
    public void Age_staff_and_qualification_of_a_start_up_measure()
    {
        var sentence = Suggester.Sentences(Fixture).Single(s => s.StartsWith("对成立不满3年", StringComparison.Ordinal));
        var s = Suggester.ForSentence("二(二)", sentence, Changping)!;

        Assert.Equal(["in-district", "tech-sme", "employees", "age"], s.Criteria.Select(c => c.Id));
        Assert.Equal("""{"<":[{"var":"age_years"},3]}""", Rule(Criterion(s, "age")));
        Assert.Equal("成立不满3年", Criterion(s, "age").From);
        Assert.Equal("""{"<=":[{"var":"employees"},50]}""", Rule(Criterion(s, "employees")));
        Assert.Equal("""{"==":[{"var":"tech_sme_valid"},true]}""", Rule(Criterion(s, "tech-sme")));
        Assert.Equal("给予最高20万元补贴", s.Amount);
    }

    [Fact]
    public void The_notice_text_gives_three_suggestions_and_its_window_but_nothing_for_headings_addressees_or_contacts()
    {
        var clauses = PolicyMatch.Web.Features.Plans.ClauseParser.Parse(Fixture);
        var all = Suggester.ForClauses(clauses.Select(c => (c.Ref, c.Text)), Changping);

        // The title (a notice's title counts), 二(一) and 二(二). Not: "为支持企业加大研发投入" (a purpose),
        // "注册在昌平区……的企业" (who may apply, nothing given), the headings, the window, the contact.
        Assert.Equal(["preamble", "二(一)", "二(二)"], all.Select(c => c.ClauseRef));
        Assert.All(all, c => Assert.Single(c.Suggestions));
        var title = all[0].Suggestions[0];
        Assert.StartsWith("关于开展2025年度昌平区", title.Sentence);
        Assert.Equal("昌平区", Criterion(title, "in-district").From);

        var window = Assert.Single(Suggester.DocumentWindows(clauses.Select(c => (c.Ref, c.Text))));
        Assert.Equal((new DateOnly(2025, 4, 7), new DateOnly(2025, 4, 30), "2025年4月7日至4月30日"), (window.Opens!.Value, window.Closes, window.From));
    }

    [Theory]
    [InlineData("申报时间为2025年4月7日至4月30日。", "2025-04-07", "2025-04-30")]
    [InlineData("受理时间:2024年12月20日至2025年1月10日。", "2024-12-20", "2025-01-10")]
    [InlineData("材料请于2025年5月31日前报送区科委。", null, "2025-05-31")]
    [InlineData("截至2025年6月30日。", null, "2025-06-30")]
    public void Windows_and_deadlines(string sentence, string? opens, string closes)
    {
        var (o, c, _) = Suggester.WindowOf(sentence);
        Assert.Equal(opens, o?.ToString("yyyy-MM-dd"));
        Assert.Equal(closes, c?.ToString("yyyy-MM-dd"));
    }

    [Theory]
    [InlineData("2025年2月30日至3月5日。")] // no such date
    [InlineData("2025年5月1日至4月1日。")]  // ends before it opens
    [InlineData("2019年1-7月份,全市新建提升生活性服务业网点1063个。")]
    public void Dates_that_are_not_a_window_give_none(string sentence) => Assert.Null(Suggester.WindowOf(sentence).Closes);

    // ---- the seeded plans --------------------------------------------------------------------------

    [Fact]
    public void Plan_000_a_hightech_condition_in_an_encouragement()
    {
        var s = Suggester.ForSentence("二(二)2", Sentence("000", "鼓励高新技术企业与高校"), Changping)!;
        Assert.Equal(["in-district", "hightech"], s.Criteria.Select(c => c.Id));
        Assert.Equal("""{"==":[{"var":"hightech_valid"},true]}""", Rule(Criterion(s, "hightech")));
        Assert.Null(s.Amount);
    }

    [Fact]
    public void Plan_001_zones_named_in_a_sentence_are_a_zone_condition()
    {
        var sentence = Sentence("001", "鼓励区内科技企业与高校");
        var s = Suggester.ForSentence("二(一)2", sentence, ["通州区"])!;
        Assert.Equal("in-district", s.Criteria[0].Id);
        Assert.Equal("区内(文件适用地区:通州区)", s.Criteria[0].From);
        // "达到18家以上" is a target for the district, not a condition on a company.
        Assert.DoesNotContain(s.Criteria, c => c.Id is "employees" or "revenue");
    }

    [Fact]
    public void Plan_001_a_talent_programme_is_suggested_without_inventing_a_size_threshold()
    {
        var s = Suggester.ForSentence("二(一)3", Sentence("001", "实施科技创新人才资助计划"), ["通州区"])!;
        Assert.Equal(["in-district"], s.Criteria.Select(c => c.Id)); // "30名左右杰出青年" is how many are funded, not a staff count
        Assert.Equal("funding", s.Kind);
    }

    [Fact]
    public void Plan_002_a_loan_interest_subsidy_for_technology_companies()
    {
        var s = Suggester.ForSentence("二(六)", Sentence("002", "强化科技信贷融资服务"), ["北京市"])!;
        Assert.Equal("loan_subsidy", s.Kind);
        Assert.Empty(s.Criteria); // 科技型企业 is not a qualification with a register; 北京市 is not a district
    }

    [Fact]
    public void Plan_003_a_qualification_as_a_goal_is_not_a_condition()
    {
        var s = Suggester.ForSentence("第二节一", Sentence("003", "深入实施海淀胚芽企业培育计划"), ["海淀区"])!;
        // 科技型中小企业 receive the support; “专精特新” is where they are led (向“专精特新”方向发展).
        Assert.Equal(["in-district", "tech-sme"], s.Criteria.Select(c => c.Id));
    }

    [Fact]
    public void Plan_003_bridge_loans_for_small_firms()
    {
        var s = Suggester.ForSentence("第四节", Sentence("003", "设立中小微企业应急转贷基金"), ["海淀区"])!;
        Assert.Equal("loan_subsidy", s.Kind);
    }

    [Fact]
    public void Plan_004_mutual_recognition_is_a_policy_to_study_not_support_given()
    {
        Assert.Null(Suggester.ForSentence("三(一)1", Sentence("004", "研究在京津冀区域内实现高新技术企业互认备案"), ["北京市", "天津市", "河北省"]));
    }

    [Theory]
    [InlineData("001", "全区R&D相比2023年力争实现倍增")]          // a district target stated as a percentage
    [InlineData("002", "中国通号、交控科技")]                   // companies that listed: a report, not support
    [InlineData("002", "加强“三城一区”生活性服务业网点建设")]      // 26% of the city: a statistic
    [InlineData("000", "注意:昌平发布大风橙色预警")]              // the wind warning among the notices
    [InlineData("000", "建立常态化联络对接机制")]                 // the government's own working method
    [InlineData("003", "建立关键核心技术攻关“揭榜挂帅”")]        // a mechanism, no company given anything
    [InlineData("000", "(五)公共服务提升工程")]                  // a heading
    public void Sentences_that_give_a_company_nothing_suggest_nothing(string plan, string startsWith)
    {
        var text = plan == "000" && startsWith.StartsWith("注意", StringComparison.Ordinal)
            ? File.ReadAllText(Directory.GetFiles(Path.Combine(Repo.Root, "..", "shared", "seeds"), "000_*.txt").Single())
            : PlanText(plan);
        var sentence = Suggester.Sentences(text).First(s => s.StartsWith(startsWith, StringComparison.Ordinal));
        Assert.Null(Suggester.ForSentence("x", sentence, ["北京市"]));
    }

    [Fact]
    public void Plan_002_percentages_in_a_report_are_not_thresholds_even_where_a_sentence_is_suggested()
    {
        foreach (var sentence in Suggester.Sentences(PlanText("002")))
        {
            var s = Suggester.ForSentence("x", sentence, ["北京市"]);
            Assert.True(s is null || s.Criteria.All(c => c.Id is not ("rd-intensity" or "revenue" or "employees" or "age")), sentence);
        }
    }

    // ---- the four seeded notices (titles at the end of plan 000) ---------------------------------------

    [Fact]
    public void Notice_certification_call_is_a_certification_for_changping_without_requiring_the_certificate()
    {
        var s = Suggester.ForSentence("x", "关于昌平区启动2025年度第一批高新技术企业认定管理工作的通知", Changping)!;
        Assert.Equal("certification", s.Kind);
        Assert.Equal(["in-district"], s.Criteria.Select(c => c.Id)); // 高新技术企业认定 is what is applied for
        Assert.Equal("昌平区", s.Criteria[0].From);
    }

    [Theory]
    [InlineData("关于领取《昌平区加快独角兽、专精特新企业培育发展支持办法》2024年政策资金的通知")]
    [InlineData("关于领取《昌平区加快高新技术企业培育发展支持办法》2024年政策资金的通知")]
    public void Notice_claim_calls_are_funding_and_the_title_of_the_measures_they_cite_sets_no_condition(string title)
    {
        var s = Suggester.ForSentence("x", title, Changping)!;
        Assert.Equal("funding", s.Kind);
        // Who may claim is in the 办法, not in this title: only the district, from the document.
        Assert.Equal(["in-district"], s.Criteria.Select(c => c.Id));
        Assert.Equal("文件适用地区:昌平区", s.Criteria[0].From);
    }

    [Fact]
    public void Notice_certificates_handed_out_name_no_company_and_are_not_suggested() =>
        Assert.Null(Suggester.ForSentence("x", "昌平区关于发放2024年度第二批补充高新证书的通知", Changping));

    // ---- the dictionary --------------------------------------------------------------------------------

    [Theory]
    [InlineData("对专精特新“小巨人”企业给予奖励。", "little-giant", """{">=":[{"var":"srdi_rank"},3]}""")]
    [InlineData("对创新型中小企业给予奖励。", "innovative-sme", """{">=":[{"var":"srdi_rank"},1]}""")]
    [InlineData("对独角兽企业给予奖励。", "unicorn", """{"==":[{"var":"unicorn"},true]}""")]
    [InlineData("对瞪羚企业给予奖励。", "gazelle", """{"==":[{"var":"gazelle"},true]}""")]
    [InlineData("对拟上市企业给予补贴。", "intends-to-list", """{"==":[{"var":"listing_status"},"intends"]}""")]
    [InlineData("对上市企业给予奖励。", "listed", """{"==":[{"var":"listing_status"},"listed"]}""")]
    [InlineData("对位于张家湾的企业给予支持。", "in-zone", """{"in":["张家湾",{"var":"zones"}]}""")]
    [InlineData("对集成电路企业给予支持。", "focus-area", """{"in":["集成电路",{"var":"focus_areas"}]}""")]
    [InlineData("对研发费用占营业收入比例达到3.5%以上的企业给予奖励。", "rd-intensity", """{">=":[{"var":"rd_intensity"},0.035]}""")]
    [InlineData("对年研发投入超过1亿元的企业给予奖励。", "rd-expense", """{">":[{"var":"rd_expense_last_year"},100000000]}""")]
    [InlineData("对从业人员300人以下的企业给予补贴。", "employees", """{"<=":[{"var":"employees"},300]}""")]
    [InlineData("对成立五年以上的企业给予奖励。", "age", """{">=":[{"var":"age_years"},5]}""")]
    [InlineData("对注册在通州区的企业给予奖励。", "in-district", """{"==":[{"var":"district"},"通州区"]}""")]
    public void Each_word_of_the_dictionary_gives_its_rule(string sentence, string id, string rule)
    {
        var s = Suggester.ForSentence("x", sentence, [])!;
        Assert.Equal(rule, Rule(Criterion(s, id)));
    }

    [Fact]
    public void Several_qualifications_in_one_sentence_are_alternatives()
    {
        var s = Suggester.ForSentence("x", "对独角兽、专精特新企业给予奖励。", [])!;
        var c = Assert.Single(s.Criteria);
        Assert.Equal("""{"or":[{"==":[{"var":"unicorn"},true]},{">=":[{"var":"srdi_rank"},2]}]}""", Rule(c));
        Assert.Equal("独角兽、专精特新企业", c.From);
    }

    [Fact]
    public void Suggested_rules_open_in_the_builder_not_as_json()
    {
        var sentence = Suggester.Sentences(Fixture).Single(s => s.StartsWith("对上年度营业收入不低于2000万元", StringComparison.Ordinal));
        foreach (var c in Suggester.ForSentence("二(一)", sentence, Changping)!.Criteria)
        {
            var form = MeasureEditor.FromCriterion(new PolicyMatch.Web.Features.Catalog.CriterionDocument { Id = c.Id, LabelZh = c.LabelZh, LabelEn = c.LabelEn, Rule = c.Rule });
            Assert.False(form.IsRaw, $"{c.Id}: {form.Note}");
        }
    }
}
