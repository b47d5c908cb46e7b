using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Tests;

/// <summary>The facts' vocabulary (<see cref="Facts"/>) as the engine reads it: district codes, Beijing, labels.</summary>
public class VocabularyTests
{
    private static readonly DateOnly AsOf = new(2025, 6, 30);

    [Fact]
    public void Every_district_code_of_the_vocabulary_is_read_as_its_name_and_in_beijing_follows_the_list()
    {
        foreach (var d in Facts.Districts)
        {
            var facts = ProfileFacts.From(new JsonObject { ["district"] = d.Code }, AsOf);
            Assert.Equal(d.Name, facts.GetValue(Facts.District)!.GetValue<string>());
            Assert.Equal(d.InBeijing, facts.InBeijing);
        }
    }

    [Theory]
    [InlineData(" 110114")] // the API's JSON is read exactly: only the profile form and the CSV trim
    [InlineData("昌平")]
    public void A_value_that_is_not_exactly_a_code_stays_as_stated(string district)
    {
        var facts = ProfileFacts.From(new JsonObject { ["district"] = district }, AsOf);
        Assert.Equal(district, facts.GetValue(Facts.District)!.GetValue<string>());
        Assert.False(facts.InBeijing);
    }

    [Fact]
    public void Every_fact_has_a_chinese_and_an_english_label_and_the_certificate_parts_too()
    {
        Assert.All(Facts.All, f => Assert.True(f.LabelZh.Length > 0 && f.LabelEn.Length > 0 && f.FormLabelZh.Length > 0 && f.FormLabelEn.Length > 0, f.Name));
        Assert.Equal(("有效期至", "Expires on"), Facts.LabelOf("hightech_certificate.expires_on"));
        Assert.Null(Facts.LabelOf("hightech_certificate.colour"));
        Assert.Null(Facts.LabelOf("as_of"));
        // Coded values are labelled, in the order their rank follows.
        Assert.Equal(Facts.SrdiLevels, Facts.Find(Facts.SrdiLevel)!.Choices.Select(c => c.Value));
        Assert.Equal(Facts.ListingStatuses, Facts.Find(Facts.ListingStatus)!.Choices.Select(c => c.Value));
    }
}
