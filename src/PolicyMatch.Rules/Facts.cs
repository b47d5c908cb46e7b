namespace PolicyMatch.Rules;

/// <summary>The JSON type a fact has in a profile (and in rules).</summary>
public enum FactType
{
    String,
    StringArray,

    /// <summary>A date as a string "YYYY-MM-DD".</summary>
    Date,
    Integer,
    Number,
    Boolean,

    /// <summary>One of a fixed list of strings (see <see cref="FactDefinition.AllowedValues"/>).</summary>
    Enum,

    /// <summary>hightech_certificate: an object { number, issued_on, expires_on }, or false.</summary>
    CertificateOrFalse,

    /// <summary>tech_sme_year: an integer year, or false.</summary>
    YearOrFalse,
}

/// <summary>
/// A fact rules can read with <c>{"var": name}</c>. Public facts come from the company profile; derived facts
/// are computed by <see cref="ProfileFacts.From"/> for the as-of date from the public facts in <see cref="Inputs"/>.
/// </summary>
public sealed record FactDefinition(
    string Name,
    FactType Type,
    bool IsDerived,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> AllowedValues,
    string LabelZh,
    string LabelEn,
    string Description)
{
    /// <summary>
    /// The fact only says where the company is. Failing a criterion on such facts alone is not a near miss a
    /// company can act on (it will not move district for a measure).
    /// </summary>
    public bool IsLocation { get; init; }

    /// <summary>The labels of <see cref="AllowedValues"/> for a fact whose values are codes (srdi_level, listing_status).</summary>
    public IReadOnlyList<Choice> Choices { get; init; } = [];

    /// <summary>How the profile form asks for the fact where that differs from its label ("设有博士后工作站").</summary>
    public string FormLabelZh { get; init; } = LabelZh;

    public string FormLabelEn { get; init; } = LabelEn;
}

/// <summary>A district a profile may state: its GB/T 2260 code, its name (what rules compare) and its English name.</summary>
public sealed record District(string Code, string Name, string NameEn, bool InBeijing);

/// <summary>
/// A zone or park the plans name, with the Beijing district it lies in (null: outside Beijing, or several districts);
/// a zone outside Beijing names the province or city it lies in (the profile's district value there).
/// </summary>
public sealed record Zone(string Name, string? District, string? OutsideBeijingIn = null);

/// <summary>A coded value with its labels (e.g. little_giant, 专精特新“小巨人”).</summary>
public sealed record Choice(string Value, string Zh, string En);

/// <summary>
/// The one vocabulary of facts: every fact's name, type, Chinese and English labels, the closed lists of values
/// (districts, zones, focus areas, coded levels) and which facts are about location. The profile form and its
/// validator, the labels on every page, the tenant CSV, the criteria builder, the catalog and the API all read it
/// from here; <c>VocabularyHomeTests</c> fails when a district list or a fact-label table appears anywhere else.
/// </summary>
/// <remarks>Labels of public facts are the profile form's wording (PRODUCT.md §1 names the facts).</remarks>
public static class Facts
{
    // Public facts.
    public const string Name = "name";
    public const string Uscc = "uscc";
    public const string District = "district";
    public const string Zones = "zones";
    public const string IndustryCode = "industry_code";
    public const string FocusAreas = "focus_areas";
    public const string EstablishedOn = "established_on";
    public const string Employees = "employees";
    public const string RevenueLastYear = "revenue_last_year";
    public const string RdExpenseLastYear = "rd_expense_last_year";
    public const string HightechCertificate = "hightech_certificate";
    public const string TechSmeYear = "tech_sme_year";
    public const string SrdiLevel = "srdi_level";
    public const string Unicorn = "unicorn";
    public const string Gazelle = "gazelle";
    public const string ListingStatus = "listing_status";
    public const string InventionPatents = "invention_patents";
    public const string PostdocWorkstation = "postdoc_workstation";
    public const string UniversityJointLab = "university_joint_lab";
    public const string IncubatorTenant = "incubator_tenant";
    public const string UniversitySpinoff = "university_spinoff";

    // Derived facts.
    public const string AgeYears = "age_years";
    public const string SizeBand = "size_band";
    public const string IsSme = "is_sme";
    public const string RdIntensity = "rd_intensity";
    public const string HightechValid = "hightech_valid";
    public const string HightechExpiresInDays = "hightech_expires_in_days";
    public const string TechSmeValid = "tech_sme_valid";
    public const string SrdiRank = "srdi_rank";
    public const string InBeijing = "in_beijing";

    /// <summary>Beijing's 16 districts (GB/T 2260 names and codes, in the order of the code list); Tianjin and Hebei for 京津冀 measures.</summary>
    public static IReadOnlyList<District> Districts { get; } =
    [
        new("110101", "东城区", "Dongcheng", true), new("110102", "西城区", "Xicheng", true), new("110105", "朝阳区", "Chaoyang", true),
        new("110106", "丰台区", "Fengtai", true), new("110107", "石景山区", "Shijingshan", true), new("110108", "海淀区", "Haidian", true),
        new("110109", "门头沟区", "Mentougou", true), new("110111", "房山区", "Fangshan", true), new("110112", "通州区", "Tongzhou", true),
        new("110113", "顺义区", "Shunyi", true), new("110114", "昌平区", "Changping", true), new("110115", "大兴区", "Daxing", true),
        new("110116", "怀柔区", "Huairou", true), new("110117", "平谷区", "Pinggu", true), new("110118", "密云区", "Miyun", true),
        new("110119", "延庆区", "Yanqing", true), new("120000", "天津市", "Tianjin", false), new("130000", "河北省", "Hebei", false),
    ];

    /// <summary>The names of the 16 districts of Beijing.</summary>
    public static IReadOnlyList<string> BeijingDistricts { get; } = [.. Districts.Where(d => d.InBeijing).Select(d => d.Name)];

    /// <summary>Districts outside Beijing accepted for 京津冀 measures.</summary>
    public static IReadOnlyList<string> OtherRegions { get; } = [.. Districts.Where(d => !d.InBeijing).Select(d => d.Name)];

    /// <summary>Zones and parks the plans name, with the district each lies in.</summary>
    public static IReadOnlyList<Zone> ZoneList { get; } =
    [
        new("中关村科学城", "海淀区"), new("未来科学城", "昌平区"), new("怀柔科学城", "怀柔区"), new("经开区", "大兴区"),
        new("城市副中心", "通州区"), new("生命科学园", "昌平区"), new("沙河高教园", "昌平区"), new("回天地区", "昌平区"),
        new("张家湾", "通州区"), new("西集", "通州区"), new("于家务", "通州区"), new("漷县", "通州区"), new("运河商务区", "通州区"),
        new("台湖", "通州区"), new("新机场临空经济区", "大兴区"), new("曹妃甸", null, "河北省"), new("滨海新区", null, "天津市"), new("张承", null, "河北省"),
    ];

    /// <summary>The plans' focus areas (their own words).</summary>
    public static IReadOnlyList<string> FocusAreaList { get; } =
    [
        "医药健康", "人工智能", "集成电路", "新一代信息技术", "先进能源", "智能制造", "数字经济", "现代金融",
        "现代种业", "新材料", "智能网联汽车", "科技服务", "节能环保", "航空航天", "商务服务",
    ];

    /// <summary>The SRDI ladder, lowest first, with labels; the index is <c>srdi_rank</c>.</summary>
    public static IReadOnlyList<Choice> SrdiLevelChoices { get; } =
    [
        new("none", "无", "None"), new("innovative_sme", "创新型中小企业", "Innovative SME"),
        new("specialized_sme", "专精特新中小企业", "Specialized SME (专精特新)"), new("little_giant", "专精特新“小巨人”", "Little giant (小巨人)"),
    ];

    public static IReadOnlyList<Choice> ListingStatusChoices { get; } =
    [
        new("none", "未上市、无上市计划", "Not listed, no plan"), new("intends", "有上市意向", "Intends to list"), new("listed", "已上市", "Listed"),
    ];

    /// <summary>The parts of <c>hightech_certificate</c>, labelled as the form labels them (keys "hightech_certificate.number" …).</summary>
    public static IReadOnlyList<Choice> CertificateParts { get; } =
    [
        new("number", "证书编号", "Certificate number"), new("issued_on", "发证日期", "Issued on"), new("expires_on", "有效期至", "Expires on"),
    ];

    /// <summary>The SRDI ladder, lowest first; the index is <c>srdi_rank</c>.</summary>
    public static IReadOnlyList<string> SrdiLevels { get; } = [.. SrdiLevelChoices.Select(c => c.Value)];

    public static IReadOnlyList<string> ListingStatuses { get; } = [.. ListingStatusChoices.Select(c => c.Value)];

    public static IReadOnlyList<string> SizeBands { get; } = ["micro", "small", "medium", "large"];

    /// <summary>Facts a company states in its profile.</summary>
    public static IReadOnlyList<FactDefinition> Public { get; } =
    [
        P(Name, FactType.String, "企业名称", "Company name"),
        P(Uscc, FactType.String, "统一社会信用代码", "Unified social credit code"),
        P(District, FactType.String, "所在区", "District", "a Beijing district's name, or 天津市 / 河北省",
            values: [.. Districts.Select(d => d.Name)]) with { IsLocation = true },
        P(Zones, FactType.StringArray, "所在园区/功能区", "Zones and parks", values: [.. ZoneList.Select(z => z.Name)]) with { IsLocation = true },
        P(IndustryCode, FactType.String, "国民经济行业代码", "Industry code (GB/T 4754)", "GB/T 4754-2017, any level")
            with { FormLabelZh = "国民经济行业代码(GB/T 4754-2017)", FormLabelEn = "Industry code (GB/T 4754-2017)" },
        P(FocusAreas, FactType.StringArray, "重点领域", "Focus areas", values: FocusAreaList),
        P(EstablishedOn, FactType.Date, "成立日期", "Date established", "YYYY-MM-DD"),
        P(Employees, FactType.Integer, "从业人数", "Employees"),
        P(RevenueLastYear, FactType.Number, "上年营业收入(元)", "Last year's revenue (yuan)"),
        P(RdExpenseLastYear, FactType.Number, "上年研发费用(元)", "Last year's R&D spending (yuan)"),
        P(HightechCertificate, FactType.CertificateOrFalse, "高新技术企业证书", "High-tech enterprise certificate",
            "{ number, issued_on, expires_on } or false") with { FormLabelZh = "高新技术企业", FormLabelEn = "High-tech enterprise (高新技术企业)" },
        P(TechSmeYear, FactType.YearOrFalse, "科技型中小企业入库年份", "Year registered as tech SME", "integer or false")
            with { FormLabelZh = "科技型中小企业", FormLabelEn = "Registered tech SME (科技型中小企业)" },
        P(SrdiLevel, FactType.Enum, "专精特新梯度", "SRDI (专精特新) level", values: SrdiLevels) with { Choices = SrdiLevelChoices },
        P(Unicorn, FactType.Boolean, "独角兽企业", "Unicorn"),
        P(Gazelle, FactType.Boolean, "瞪羚企业", "Gazelle"),
        P(ListingStatus, FactType.Enum, "上市情况", "Listing status", values: ListingStatuses)
            with { Choices = ListingStatusChoices, FormLabelEn = "Listing" },
        P(InventionPatents, FactType.Integer, "发明专利数", "Invention patents"),
        P(PostdocWorkstation, FactType.Boolean, "博士后工作站", "Post-doctoral workstation") with { FormLabelZh = "设有博士后工作站" },
        P(UniversityJointLab, FactType.Boolean, "与高校共建实验室", "Joint lab with a university") with { FormLabelZh = "与高校共建实验室/研发机构" },
        P(IncubatorTenant, FactType.Boolean, "孵化器在孵企业", "Incubator tenant") with { FormLabelZh = "孵化器/众创空间在孵企业" },
        P(UniversitySpinoff, FactType.Boolean, "高校衍生企业", "University spin-off") with { FormLabelZh = "高校院所衍生企业" },
    ];

    /// <summary>Facts computed by <see cref="ProfileFacts.From"/> for the as-of date (see the library README).</summary>
    public static IReadOnlyList<FactDefinition> Derived { get; } =
    [
        D(AgeYears, FactType.Integer, [EstablishedOn], "成立年限", "Age in years",
            "whole years from established_on to the as-of date"),
        D(SizeBand, FactType.Enum, [Employees, RevenueLastYear], "企业规模", "Size band",
            "micro/small/medium/large by 工信部联企业〔2011〕300号 (industrial thresholds)", SizeBands),
        D(IsSme, FactType.Boolean, [Employees, RevenueLastYear], "中小企业", "SME", "size_band is not large"),
        D(RdIntensity, FactType.Number, [RdExpenseLastYear, RevenueLastYear], "研发投入强度", "R&D intensity",
            "rd_expense_last_year / revenue_last_year (unknown when revenue is 0)"),
        D(HightechValid, FactType.Boolean, [HightechCertificate], "高新技术企业资格有效", "High-tech certificate valid",
            "issued_on ≤ as-of ≤ expires_on; false when hightech_certificate is false"),
        D(HightechExpiresInDays, FactType.Integer, [HightechCertificate], "高新证书剩余天数", "Days until the high-tech certificate expires",
            "days from the as-of date to expires_on, negative when expired"),
        D(TechSmeValid, FactType.Boolean, [TechSmeYear], "科技型中小企业本年度入库", "Tech-based SME registered this year",
            "tech_sme_year equals the as-of year; false when tech_sme_year is false"),
        D(SrdiRank, FactType.Integer, [SrdiLevel], "专精特新梯度等级", "SRDI ladder rank",
            "none 0, innovative_sme 1, specialized_sme 2, little_giant 3"),
        D(InBeijing, FactType.Boolean, [District], "注册在北京", "Registered in Beijing",
            "district is one of the 16 Beijing districts") with { IsLocation = true },
    ];

    /// <summary>Public then derived facts.</summary>
    public static IReadOnlyList<FactDefinition> All { get; } = [.. Public, .. Derived];

    private static readonly Dictionary<string, FactDefinition> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The definition of a fact by name, or null for a name the engine does not know.</summary>
    public static FactDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The facts that only say where the company is (district, zones, in_beijing).</summary>
    public static IReadOnlySet<string> LocationFacts { get; } = All.Where(f => f.IsLocation).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The label of a fact, or of a part of the certificate ("hightech_certificate.expires_on"); null for a name
    /// outside the vocabulary.
    /// </summary>
    public static (string Zh, string En)? LabelOf(string key)
    {
        if (Find(key) is { } fact)
        {
            return (fact.LabelZh, fact.LabelEn);
        }
        var prefix = HightechCertificate + ".";
        return key.StartsWith(prefix, StringComparison.Ordinal)
            && CertificateParts.FirstOrDefault(p => p.Value == key[prefix.Length..]) is { } part
            ? (part.Zh, part.En)
            : null;
    }

    /// <summary>A district's name from its name or its GB/T 2260 code ("110114" → 昌平区), trimmed; null if neither.</summary>
    public static string? NormaliseDistrict(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var v = value.Trim();
        return Districts.FirstOrDefault(d => d.Name == v || d.Code == v)?.Name;
    }

    /// <summary>The district with this GB/T 2260 code, exactly; null for any other string.</summary>
    public static string? DistrictOfCode(string code) => DistrictsByCode.GetValueOrDefault(code);

    private static readonly Dictionary<string, string> DistrictsByCode = Districts.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);


    private static FactDefinition P(string name, FactType type, string zh, string en, string description = "",
        IReadOnlyList<string>? values = null) =>
        new(name, type, false, [], values ?? [], zh, en, description);

    private static FactDefinition D(string name, FactType type, IReadOnlyList<string> inputs, string zh, string en,
        string description, IReadOnlyList<string>? values = null) =>
        new(name, type, true, inputs, values ?? [], zh, en, description);
}
