using PolicyMatch.Rules;

namespace PolicyMatch.Web.Features.Profiles;

/// <summary>
/// The kinds of support a measure gives, and which regions reach a district. The facts' own lists (districts,
/// zones, focus areas, levels) are in the one vocabulary, <see cref="Facts"/>.
/// </summary>
public static class Reference
{
    public static readonly IReadOnlyList<(string Value, string Zh, string En)> Kinds =
    [
        ("funding", "资金支持", "Funding"), ("award", "奖励", "Award"), ("certification", "资质认定", "Certification"),
        ("loan_subsidy", "贷款贴息与融资", "Loan subsidy / finance"), ("talent", "人才支持", "Talent"),
        ("space", "空间载体", "Space"), ("service", "服务", "Service"), ("procurement", "采购与应用", "Procurement"),
    ];

    /// <summary>The region names a measure may list that reach a company in the district.</summary>
    public static IReadOnlyCollection<string> RegionsReaching(string district)
    {
        var regions = new HashSet<string> { district };
        if (Facts.BeijingDistricts.Contains(district))
        {
            regions.Add("北京市");
            regions.Add("京津冀");
        }
        else
        {
            regions.Add("京津冀");
        }
        foreach (var zone in Facts.ZoneList.Where(z => z.District == district))
        {
            regions.Add(zone.Name);
        }
        return regions;
    }

    public static string KindLabel(string kind, bool english)
    {
        foreach (var k in Kinds)
        {
            if (k.Value == kind)
            {
                return english ? k.En : k.Zh;
            }
        }
        return kind;
    }
}
