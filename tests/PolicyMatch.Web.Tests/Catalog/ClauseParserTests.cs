using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Catalog;

public class ClauseParserTests
{
    [Fact]
    public void Nested_headings_build_references_in_the_plans_own_numbering()
    {
        var clauses = ClauseParser.Parse("""
            前言文字
            一、总体要求
            (一)指导思想
            坚持创新。
            二、实施五大工程
            (一)科技创新引领工程
            1.服务保障国家战略科技力量建设。鼓励支持。
            2.推动关键核心技术攻关。第二段。
            续行文字
            （二）人才工程
            """);
        Assert.Equal(["preamble", "一", "一(一)", "二", "二(一)", "二(一)1", "二(一)2", "二(二)"], clauses.Select(c => c.Ref));
        var item = clauses.Single(c => c.Ref == "二(一)2");
        Assert.Equal("2.推动关键核心技术攻关", item.Heading);
        Assert.Contains("续行文字", item.Text);
        Assert.Equal(2, item.Depth);
    }

    [Fact]
    public void Sections_of_plan_003_start_their_own_references()
    {
        var clauses = ClauseParser.Parse("第三章  加快建设\n\n第二节  充分激发创新主体活力\n  一、进一步强化企业创新主体地位\n  支持企业。\n第三节  人才\n  一、造就人才梯队\n");
        Assert.Equal(["第三章", "第二节", "第二节一", "第三节", "第三节一"], clauses.Select(c => c.Ref));
    }

    [Fact]
    public void A_reference_met_twice_gets_a_suffix_so_anchors_stay_unique()
    {
        var clauses = ClauseParser.Parse("一、甲\n1.乙\n1.丙\n");
        Assert.Equal(["一", "一1", "一1-2"], clauses.Select(c => c.Ref));
    }

    [Fact]
    public void Subtree_of_a_clause_includes_its_sub_clauses_only()
    {
        var clauses = ClauseParser.Parse("一、甲\n(一)乙\n1.丙\n二、丁\n");
        Assert.Equal(["一(一)", "一(一)1"], ClauseParser.Subtree(clauses, "一(一)").Select(c => c.Ref));
    }

    [Theory]
    [InlineData("000_1964764f133f43d3.txt", "二(一)3")]
    [InlineData("000_1964764f133f43d3.txt", "二(二)2")]
    [InlineData("001_81294c04e34c34ca.txt", "二(一)4")]
    [InlineData("002_fe27a2d5279c6e1c.txt", "二(六)")]
    [InlineData("003_d5e47850c8435024.txt", "第二节一")]
    [InlineData("004_646dccf05e87f42d.txt", "三(一)1")]
    public void The_seeded_plans_have_the_clauses_the_seeds_README_names(string document, string reference)
    {
        var clauses = ClauseParser.Parse(File.ReadAllText(Path.Combine(Repo.Seeds, "plans", document)));
        Assert.Contains(clauses, c => c.Ref == reference);
        Assert.Equal(clauses.Count, clauses.Select(c => c.Ref).Distinct().Count());
    }
}
