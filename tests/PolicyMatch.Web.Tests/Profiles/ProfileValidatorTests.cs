using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Profiles;

public class ProfileValidatorTests
{
    private static readonly ProfileValidator Validator =
        new(Industries.Load(Path.Combine(Repo.Seeds, "reference", "gbt4754-2017-industries.tsv")));

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void A_full_form_becomes_a_profile_of_public_facts()
    {
        var check = Validator.FromForm(new ProfileForm
        {
            Name = "北京某某科技有限公司", Uscc = "91110000600037341l".ToUpperInvariant(), District = "昌平区", Zones = ["未来科学城"],
            IndustryCode = "2720", FocusAreas = ["医药健康"], EstablishedOn = "2019-05-01", Employees = "45",
            RevenueLastYear = "12,000,000", RdExpenseLastYear = "900000", Hightech = "yes", HightechNumber = "GR202411000123",
            HightechIssuedOn = "2024-12-01", HightechExpiresOn = "2027-11-30", TechSme = "no", SrdiLevel = "specialized_sme",
            Unicorn = "no", ListingStatus = "intends", InventionPatents = "3", PostdocWorkstation = "yes",
        }, requireIdentity: true);

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        var p = check.Profile;
        Assert.Equal("昌平区", (string?)p["district"]);
        Assert.Equal(45, (long)p["employees"]!);
        Assert.Equal(12000000m, (decimal)p["revenue_last_year"]!);
        Assert.Equal("2027-11-30", (string?)p["hightech_certificate"]!["expires_on"]);
        Assert.False((bool)p["tech_sme_year"]!);
        Assert.False((bool)p["unicorn"]!);
        Assert.True((bool)p["postdoc_workstation"]!);
        Assert.False(p.ContainsKey("gazelle")); // not answered stays unknown, never false
    }

    [Fact]
    public void Bad_input_gets_one_message_per_field()
    {
        var check = Validator.FromForm(new ProfileForm
        {
            Uscc = "91110000600037341X", District = "", EstablishedOn = "2019/05/32", Employees = "四十五",
            RevenueLastYear = "-5", IndustryCode = "9999", Hightech = "yes", HightechIssuedOn = "2024-12-01",
            HightechExpiresOn = "2023-01-01", TechSme = "yes", Unicorn = "maybe",
        }, requireIdentity: true);

        Assert.False(check.IsValid);
        Assert.Equal(
            ["district", "employees", "established_on", "hightech_certificate.expires_on", "industry_code", "name", "revenue_last_year", "tech_sme_year", "unicorn", "uscc"],
            check.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("校验位", check.Errors["uscc"]);
    }

    [Fact]
    public void The_quick_check_needs_only_the_district()
    {
        Assert.True(Validator.FromForm(new ProfileForm { District = "海淀区" }, requireIdentity: false).IsValid);
        Assert.Equal(["district"], Validator.FromForm(new ProfileForm { Employees = "5" }, requireIdentity: false).Errors.Keys);
    }

    [Fact]
    public void The_API_accepts_a_district_code_and_null_as_unknown()
    {
        var check = Validator.Check(Json("""{ "district": "110114", "employees": null, "hightech_certificate": false }"""), requireIdentity: false);
        Assert.True(check.IsValid);
        Assert.Equal("昌平区", (string?)check.Profile["district"]);
        Assert.False(check.Profile.ContainsKey("employees"));
    }

    [Theory]
    [InlineData("""{ "district": "昌平区", "employees": "45" }""", "employees")]
    [InlineData("""{ "district": "昌平区", "employees": 4.5 }""", "employees")]
    [InlineData("""{ "district": "昌平区", "employees": -1 }""", "employees")]
    [InlineData("""{ "district": "昌平区", "zones": "未来科学城" }""", "zones")]
    [InlineData("""{ "district": "昌平区", "zones": ["火星"] }""", "zones")]
    [InlineData("""{ "district": "昌平区", "srdi_level": "giant" }""", "srdi_level")]
    [InlineData("""{ "district": "昌平区", "unicorn": "yes" }""", "unicorn")]
    [InlineData("""{ "district": "昌平区", "hightech_certificate": true }""", "hightech_certificate")]
    [InlineData("""{ "district": "昌平区", "hightech_certificate": { "issued_on": "2024-13-01" } }""", "hightech_certificate.issued_on")]
    [InlineData("""{ "district": "昌平区", "tech_sme_year": 1890 }""", "tech_sme_year")]
    [InlineData("""{ "district": "上海市" }""", "district")]
    [InlineData("""{ "district": "昌平区", "favourite_colour": "red" }""", "favourite_colour")]
    public void The_API_rejects_wrong_types_and_values_by_fact(string json, string fact)
    {
        var check = Validator.Check(Json(json), requireIdentity: false);
        Assert.Contains(fact, check.Errors.Keys);
    }
}
