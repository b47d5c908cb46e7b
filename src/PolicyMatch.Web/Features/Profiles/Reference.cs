namespace PolicyMatch.Web.Features.Profiles;

/// <summary>Fixed reference lists the profile form offers and the validator enforces.</summary>
public static class Reference
{
    /// <summary>Beijing's 16 districts with their GB/T 2260 codes; Tianjin and Hebei for 京津冀 measures.</summary>
    public static readonly IReadOnlyList<(string Code, string Name, string NameEn)> Districts =
    [
        ("110101", "东城区", "Dongcheng"), ("110102", "西城区", "Xicheng"), ("110105", "朝阳区", "Chaoyang"),
        ("110106", "丰台区", "Fengtai"), ("110107", "石景山区", "Shijingshan"), ("110108", "海淀区", "Haidian"),
        ("110109", "门头沟区", "Mentougou"), ("110111", "房山区", "Fangshan"), ("110112", "通州区", "Tongzhou"),
        ("110113", "顺义区", "Shunyi"), ("110114", "昌平区", "Changping"), ("110115", "大兴区", "Daxing"),
        ("110116", "怀柔区", "Huairou"), ("110117", "平谷区", "Pinggu"), ("110118", "密云区", "Miyun"),
        ("110119", "延庆区", "Yanqing"), ("120000", "天津市", "Tianjin"), ("130000", "河北省", "Hebei"),
    ];

    /// <summary>Zones and parks the plans name, with the district each lies in (null: outside Beijing or several).</summary>
    public static readonly IReadOnlyList<(string Name, string? District)> Zones =
    [
        ("中关村科学城", "海淀区"), ("未来科学城", "昌平区"), ("怀柔科学城", "怀柔区"), ("经开区", "大兴区"),
        ("城市副中心", "通州区"), ("生命科学园", "昌平区"), ("沙河高教园", "昌平区"), ("回天地区", "昌平区"),
        ("张家湾", "通州区"), ("西集", "通州区"), ("于家务", "通州区"), ("漷县", "通州区"), ("运河商务区", "通州区"),
        ("台湖", "通州区"), ("新机场临空经济区", "大兴区"), ("曹妃甸", null), ("滨海新区", null), ("张承", null),
    ];

    /// <summary>The plans' focus areas (their own words).</summary>
    public static readonly IReadOnlyList<string> FocusAreas =
    [
        "医药健康", "人工智能", "集成电路", "新一代信息技术", "先进能源", "智能制造", "数字经济", "现代金融",
        "现代种业", "新材料", "智能网联汽车", "科技服务", "节能环保", "航空航天", "商务服务",
    ];

    public static readonly IReadOnlyList<(string Value, string Zh, string En)> SrdiLevels =
    [
        ("none", "无", "None"), ("innovative_sme", "创新型中小企业", "Innovative SME"),
        ("specialized_sme", "专精特新中小企业", "Specialized SME (专精特新)"), ("little_giant", "专精特新“小巨人”", "Little giant (小巨人)"),
    ];

    public static readonly IReadOnlyList<(string Value, string Zh, string En)> ListingStatuses =
    [
        ("none", "未上市、无上市计划", "Not listed, no plan"), ("intends", "有上市意向", "Intends to list"), ("listed", "已上市", "Listed"),
    ];

    public static readonly IReadOnlyList<(string Value, string Zh, string En)> Kinds =
    [
        ("funding", "资金支持", "Funding"), ("award", "奖励", "Award"), ("certification", "资质认定", "Certification"),
        ("loan_subsidy", "贷款贴息与融资", "Loan subsidy / finance"), ("talent", "人才支持", "Talent"),
        ("space", "空间载体", "Space"), ("service", "服务", "Service"), ("procurement", "采购与应用", "Procurement"),
    ];

    public static bool IsDistrict(string name) => Districts.Any(d => d.Name == name);

    /// <summary>A district's name from its name or its GB/T 2260 code ("110114" → 昌平区); null if neither.</summary>
    public static string? NormaliseDistrict(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var v = value.Trim();
        return Districts.FirstOrDefault(d => d.Name == v || d.Code == v).Name;
    }

    /// <summary>The region names a measure may list that reach a company in the district.</summary>
    public static IReadOnlyCollection<string> RegionsReaching(string district)
    {
        var regions = new HashSet<string> { district };
        if (Districts.Take(16).Any(d => d.Name == district))
        {
            regions.Add("北京市");
            regions.Add("京津冀");
        }
        else
        {
            regions.Add("京津冀");
        }
        foreach (var zone in Zones.Where(z => z.District == district))
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
