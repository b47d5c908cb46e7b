using static PolicyMatch.Rules.Tests.JsonTestHelpers;

namespace PolicyMatch.Rules.Tests;

/// <summary>The derived facts ProfileFacts computes for the as-of date, at their boundaries.</summary>
public class DerivedFactsTests
{
    private static ProfileFacts Facts(string json, string asOf = "2025-06-30") =>
        ProfileFacts.From(O(json), DateOnly.Parse(asOf, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2019-05-01", "2024-04-30", 4)] // the day before the anniversary
    [InlineData("2019-05-01", "2024-05-01", 5)] // on the anniversary
    [InlineData("2020-02-29", "2021-02-28", 0)] // a 29 February start has its anniversary on 1 March
    [InlineData("2020-02-29", "2021-03-01", 1)]
    [InlineData("2020-02-29", "2024-02-29", 4)]
    [InlineData("2025-01-01", "2024-12-31", -1)] // established after the as-of date
    [InlineData("2024-06-30T08:00:00", "2025-06-30", 1)] // the date part of a timestamp
    public void AgeInWholeYearsAcrossTheAnniversary(string established, string asOf, int years)
    {
        Assert.Equal(years, Facts($$"""{"established_on":"{{established}}"}""", asOf).AgeYears);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"established_on":"2019-13-01"}""")]
    [InlineData("""{"established_on":20190501}""")]
    public void AgeIsUnknownWithoutAValidDate(string profile)
    {
        var f = Facts(profile);
        Assert.Null(f.AgeYears);
        Assert.Equal(["established_on"], f.MissingInputsOf("age_years"));
    }

    [Theory]
    [InlineData(19, 1_000_000_000, "micro")] // employees < 20
    [InlineData(20, 2_999_999, "micro")] // revenue < 3,000,000
    [InlineData(20, 3_000_000, "small")]
    [InlineData(299, 20_000_000, "small")]
    [InlineData(300, 19_999_999, "small")]
    [InlineData(300, 20_000_000, "medium")]
    [InlineData(999, 400_000_000, "medium")]
    [InlineData(1000, 399_999_999, "medium")]
    [InlineData(1000, 400_000_000, "large")]
    public void SizeBandAtTheThresholds(int employees, long revenue, string band)
    {
        var f = Facts($$"""{"employees":{{employees}},"revenue_last_year":{{revenue}}}""");
        Assert.Equal(band, f.SizeBand);
        Assert.Equal(band != "large", f.IsSme);
    }

    [Theory]
    [InlineData("""{"employees":5}""", "micro", true, "")]
    [InlineData("""{"revenue_last_year":1000000}""", "micro", true, "")]
    [InlineData("""{"employees":50}""", null, true, "revenue_last_year")] // small or medium or micro: depends on revenue; never large
    [InlineData("""{"revenue_last_year":5000000}""", null, true, "employees")]
    [InlineData("""{"employees":1500}""", null, null, "revenue_last_year")]
    [InlineData("""{"revenue_last_year":500000000}""", null, null, "employees")]
    [InlineData("""{}""", null, null, "employees,revenue_last_year")]
    [InlineData("""{"employees":"many","revenue_last_year":5000000}""", null, true, "employees")] // an unusable value counts as missing
    public void SizeBandFromPartialFacts(string profile, string? band, bool? sme, string missing)
    {
        var f = Facts(profile);
        Assert.Equal(band, f.SizeBand);
        Assert.Equal(sme, f.IsSme);
        if (band is null)
        {
            Assert.Equal(missing.Split(','), f.MissingInputsOf("size_band"));
        }
    }

    [Fact]
    public void RdIntensityIsExpenseOverRevenue()
    {
        Assert.Equal(0.05m, Facts("""{"rd_expense_last_year":500000,"revenue_last_year":10000000}""").RdIntensity);
        Assert.Null(Facts("""{"rd_expense_last_year":500000,"revenue_last_year":0}""").RdIntensity);
        Assert.Null(Facts("""{"rd_expense_last_year":500000}""").RdIntensity);
        Assert.Equal(["revenue_last_year"], Facts("""{"rd_expense_last_year":500000}""").MissingInputsOf("rd_intensity"));
        // Revenue 0 is stated: nothing is absent, so both inputs are named for the user to check.
        Assert.Equal(["revenue_last_year", "rd_expense_last_year"],
            Facts("""{"rd_expense_last_year":1,"revenue_last_year":0}""").MissingInputsOf("rd_intensity"));
    }

    [Theory]
    [InlineData("2026-10-25", true, 0)] // issued 2023-10-26: valid until issued + 3 years − 1 day
    [InlineData("2026-10-26", false, -1)] // the day after expiry
    [InlineData("2023-10-26", true, 1095)] // the day of issue
    [InlineData("2023-10-25", false, 1096)] // before the certificate was issued
    public void HightechCertificateDefaultsToThreeYearsMinusOneDay(string asOf, bool valid, int days)
    {
        var f = Facts("""{"hightech_certificate":{"number":"GR202311001234","issued_on":"2023-10-26"}}""", asOf);
        Assert.Equal(valid, f.HightechValid);
        Assert.Equal(days, f.HightechExpiresInDays);
        Assert.Equal(new DateOnly(2026, 10, 25), f.HightechExpiresOn);
    }

    [Fact]
    public void HightechCertificateStatedExpiryWins()
    {
        var f = Facts("""{"hightech_certificate":{"issued_on":"2023-10-26","expires_on":"2025-06-29"}}""");
        Assert.False(f.HightechValid);
        Assert.Equal(-1, f.HightechExpiresInDays);
    }

    [Fact]
    public void NoCertificateIsAKnownNo()
    {
        var f = Facts("""{"hightech_certificate":false}""");
        Assert.False(f.HightechValid);
        Assert.Null(f.HightechExpiresInDays); // no certificate, no expiry date
        var absent = Facts("""{}""");
        Assert.Null(absent.HightechValid);
        Assert.Equal(["hightech_certificate"], absent.MissingInputsOf("hightech_valid"));
    }

    [Theory]
    [InlineData("2025", true)]
    [InlineData("2024", false)] // 入库 is annual: last year's registration has lapsed
    [InlineData("false", false)]
    [InlineData("null", null)]
    [InlineData("\"2025\"", null)]
    public void TechSmeValidForTheAsOfYear(string year, bool? valid)
    {
        Assert.Equal(valid, Facts($$"""{"tech_sme_year":{{year}}}""").TechSmeValid);
    }

    [Theory]
    [InlineData("none", 0)]
    [InlineData("innovative_sme", 1)]
    [InlineData("specialized_sme", 2)]
    [InlineData("little_giant", 3)]
    [InlineData("giant", null)]
    public void SrdiLadderRank(string level, int? rank)
    {
        Assert.Equal(rank, Facts($$"""{"srdi_level":"{{level}}"}""").SrdiRank);
    }

    [Theory]
    [InlineData("昌平区", true)]
    [InlineData("延庆区", true)]
    [InlineData("天津市", false)]
    [InlineData("河北省", false)]
    [InlineData("110108", true)] // GB/T 2260 code for 海淀区
    public void InBeijing(string district, bool inBeijing)
    {
        Assert.Equal(inBeijing, Facts($$"""{"district":"{{district}}"}""").InBeijing);
    }

    [Fact]
    public void DistrictCodesAreNormalisedToNames()
    {
        var f = Facts("""{"district":"110114"}""");
        Assert.Equal("昌平区", (string)f.GetValue("district")!);
        Assert.Equal(CriterionResult.Met,
            CompiledRule.Compile(J("""{"==":[{"var":"district"},"昌平区"]}""")).ApplyThreeValued(f).Result);
    }

    [Fact]
    public void DerivedAndNormalisedStringsMatchRulesCompiledEarlier()
    {
        // Rules parsed from JSON text have their own string instances; compile them before building the profile.
        var size = CompiledRule.Compile(J("""{"==":[{"var":"size_band"},"micro"]}"""));
        var district = CompiledRule.Compile(J("""{"in":[{"var":"district"},["昌平区","海淀区"]]}"""));
        var districtEq = CompiledRule.Compile(J("""{"==":[{"var":"district"},"昌平区"]}"""));
        var f = Facts("""{"employees":3,"district":"110114"}""");
        Assert.True(size.IsTruthy(f));
        Assert.True(district.IsTruthy(f));
        Assert.True(districtEq.IsTruthy(f));
        Assert.Equal(CriterionResult.Met, size.ApplyThreeValued(f).Result);
        Assert.Equal(CriterionResult.Met, districtEq.ApplyThreeValued(f).Result);
    }

    [Fact]
    public void DerivedNamesInTheInputAreIgnored()
    {
        var f = Facts("""{"established_on":"2020-06-30","age_years":99,"srdi_rank":3}""");
        Assert.Equal(5, f.AgeYears);
        Assert.Null(f.SrdiRank);
    }

    [Fact]
    public void ToJsonHasKnownPublicAndDerivedFacts()
    {
        var json = Facts("""{"district":"海淀区","employees":5,"extra":"kept"}""").ToJson();
        Assert.Equal("海淀区", (string)json["district"]!);
        Assert.Equal("micro", (string)json["size_band"]!);
        Assert.True((bool)json["in_beijing"]!);
        Assert.Equal("kept", (string)json["extra"]!);
        Assert.False(json.ContainsKey("age_years"));
    }

    [Fact]
    public void FactsCatalogListsEveryDerivedFactWithItsInputs()
    {
        Assert.Equal(
            ["age_years", "size_band", "is_sme", "rd_intensity", "hightech_valid", "hightech_expires_in_days", "tech_sme_valid", "srdi_rank", "in_beijing"],
            Rules.Facts.Derived.Select(d => d.Name));
        Assert.All(Rules.Facts.Derived, d => Assert.All(d.Inputs, i => Assert.False(Rules.Facts.Find(i)!.IsDerived)));
        Assert.Equal(21, Rules.Facts.Public.Count);
    }
}
