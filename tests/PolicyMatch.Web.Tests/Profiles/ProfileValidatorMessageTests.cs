using System.Globalization;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Profiles;

/// <summary>
/// The validator's words, fact by fact, in both languages. Its checks now go by the fact's type in the
/// vocabulary (a list of choices, a count, an amount, a code, yes/no) and the codes' message is written from the
/// vocabulary's list: these pin what a user reads, so the dispatch cannot send a fact to the wrong check unseen.
/// </summary>
public class ProfileValidatorMessageTests
{
    private static readonly ProfileValidator Validator =
        new(Industries.Load(Path.Combine(Repo.Seeds, "reference", "gbt4754-2017-industries.tsv")));

    private static string ErrorIn(string culture, string json, string fact)
    {
        var saved = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            var profile = JsonNode.Parse($$"""{ "district": "昌平区", {{json}} }""")!.AsObject();
            return Validator.Check(profile, requireIdentity: false).Errors[fact];
        }
        finally
        {
            CultureInfo.CurrentUICulture = saved;
        }
    }

    [Theory]
    [InlineData("\"srdi_level\": \"giant\"", "srdi_level", "应为 none、innovative_sme、specialized_sme、little_giant 之一", "must be none, innovative_sme, specialized_sme or little_giant")]
    [InlineData("\"listing_status\": 1", "listing_status", "应为 none、intends、listed 之一", "must be none, intends or listed")]
    [InlineData("\"focus_areas\": [\"火星\"]", "focus_areas", "“火星”不在可选范围内", "'火星' is not one of the choices")]
    [InlineData("\"zones\": \"未来科学城\"", "zones", "应为文本列表", "must be a list of strings")]
    [InlineData("\"invention_patents\": 1.5", "invention_patents", "应为整数", "must be a whole number")]
    [InlineData("\"employees\": -3", "employees", "不能为负数", "cannot be negative")]
    [InlineData("\"rd_expense_last_year\": \"9\"", "rd_expense_last_year", "应为数字(元)", "must be a number (yuan)")]
    [InlineData("\"revenue_last_year\": -1", "revenue_last_year", "不能为负数", "cannot be negative")]
    [InlineData("\"university_spinoff\": \"no\"", "university_spinoff", "应为 true 或 false", "must be true or false")]
    [InlineData("\"tech_sme_year\": true", "tech_sme_year", "应为入库年份(如 2025),或 false 表示不是", "must be the year registered (e.g. 2025), or false for no")]
    [InlineData("\"established_on\": \"1900-01-01\"", "established_on", "成立日期不合理", "the date is implausible")]
    [InlineData("\"industry_code\": \"9999\"", "industry_code", "行业代码应为 GB/T 4754-2017 中的代码(如 2720 或 C)", "industry_code must be a GB/T 4754-2017 code (e.g. 2720 or C)")]
    [InlineData("\"name\": \"\"", "name", "企业名称应为文本", "name must be text")]
    [InlineData("\"age_years\": 3", "age_years", "未知的字段 “age_years”", "unknown fact 'age_years'")]
    public void Each_kind_of_fact_is_refused_in_its_own_words(string json, string fact, string zh, string en)
    {
        Assert.Equal(zh, ErrorIn("zh-CN", json, fact));
        Assert.Equal(en, ErrorIn("en", json, fact));
    }

    [Fact]
    public void Valid_values_of_each_kind_are_kept_normalised()
    {
        var profile = JsonNode.Parse("""
            { "district": "110108", "zones": ["中关村科学城", "中关村科学城"], "focus_areas": ["人工智能"], "invention_patents": 3,
              "revenue_last_year": 1000000.5, "srdi_level": "little_giant", "listing_status": "intends", "gazelle": false,
              "tech_sme_year": false, "name": " 北京某某 " }
            """)!.AsObject();

        var check = Validator.Check(profile, requireIdentity: false);

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Equal(
            """{"district":"海淀区","zones":["中关村科学城"],"focus_areas":["人工智能"],"invention_patents":3,"revenue_last_year":1000000.5,"srdi_level":"little_giant","listing_status":"intends","gazelle":false,"tech_sme_year":false,"name":"北京某某"}""",
            check.Profile.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void The_form_reads_separators_answers_and_a_missing_registration_year()
    {
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        var check = Validator.FromForm(new ProfileForm
        {
            District = "昌平区", RevenueLastYear = "1，200,000", Employees = "12.5", TechSme = "yes", Gazelle = "perhaps",
            Zones = ["未来科学城", "", "未来科学城"], Hightech = "no",
        }, requireIdentity: false);

        Assert.Equal(1200000m, (decimal)check.Profile["revenue_last_year"]!);
        Assert.Equal("""["未来科学城"]""", check.Profile["zones"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.False((bool)check.Profile["hightech_certificate"]!);
        Assert.Equal("请输入整数", check.Errors["employees"]);
        Assert.Equal("请填写入库年份", check.Errors["tech_sme_year"]);
        Assert.Equal("请选择 是 / 否 / 未填写", check.Errors["gazelle"]);
        Assert.Equal(["employees", "gazelle", "tech_sme_year"], check.Errors.Keys.Order(StringComparer.Ordinal));
    }
}
