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
    string Description);

/// <summary>The public fact names and types (PRODUCT.md §1) and the derived facts, with their inputs.</summary>
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

    /// <summary>The 16 districts of Beijing (GB/T 2260 names), in the order of the code list.</summary>
    public static IReadOnlyList<string> BeijingDistricts { get; } =
    [
        "东城区", "西城区", "朝阳区", "丰台区", "石景山区", "海淀区", "门头沟区", "房山区",
        "通州区", "顺义区", "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区",
    ];

    /// <summary>Districts outside Beijing accepted for 京津冀 measures.</summary>
    public static IReadOnlyList<string> OtherRegions { get; } = ["天津市", "河北省"];

    /// <summary>The SRDI ladder, lowest first; the index is <c>srdi_rank</c>.</summary>
    public static IReadOnlyList<string> SrdiLevels { get; } = ["none", "innovative_sme", "specialized_sme", "little_giant"];

    public static IReadOnlyList<string> ListingStatuses { get; } = ["none", "intends", "listed"];

    public static IReadOnlyList<string> SizeBands { get; } = ["micro", "small", "medium", "large"];

    /// <summary>Facts a company states in its profile.</summary>
    public static IReadOnlyList<FactDefinition> Public { get; } =
    [
        P(Name, FactType.String, "企业名称", "Company name"),
        P(Uscc, FactType.String, "统一社会信用代码", "Unified social credit code"),
        P(District, FactType.String, "注册区", "District", "a Beijing district's name, or 天津市 / 河北省"),
        P(Zones, FactType.StringArray, "所在园区", "Zones / parks"),
        P(IndustryCode, FactType.String, "国民经济行业代码", "Industry code", "GB/T 4754-2017, any level"),
        P(FocusAreas, FactType.StringArray, "重点领域", "Focus areas"),
        P(EstablishedOn, FactType.Date, "成立日期", "Established on", "YYYY-MM-DD"),
        P(Employees, FactType.Integer, "从业人员数", "Employees"),
        P(RevenueLastYear, FactType.Number, "上年度营业收入（元）", "Revenue last year (yuan)"),
        P(RdExpenseLastYear, FactType.Number, "上年度研发费用（元）", "R&D expense last year (yuan)"),
        P(HightechCertificate, FactType.CertificateOrFalse, "高新技术企业证书", "High-tech enterprise certificate",
            "{ number, issued_on, expires_on } or false"),
        P(TechSmeYear, FactType.YearOrFalse, "科技型中小企业入库年度", "Tech-based SME registration year", "integer or false"),
        P(SrdiLevel, FactType.Enum, "专精特新梯度", "SRDI ladder level", values: SrdiLevels),
        P(Unicorn, FactType.Boolean, "独角兽企业", "Unicorn"),
        P(Gazelle, FactType.Boolean, "瞪羚企业", "Gazelle"),
        P(ListingStatus, FactType.Enum, "上市情况", "Listing status", values: ListingStatuses),
        P(InventionPatents, FactType.Integer, "发明专利数", "Invention patents"),
        P(PostdocWorkstation, FactType.Boolean, "博士后工作站", "Post-doctoral workstation"),
        P(UniversityJointLab, FactType.Boolean, "与高校共建实验室", "Joint lab with a university"),
        P(IncubatorTenant, FactType.Boolean, "孵化器在孵企业", "Incubator tenant"),
        P(UniversitySpinoff, FactType.Boolean, "高校衍生企业", "University spin-off"),
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
            "district is one of the 16 Beijing districts"),
    ];

    /// <summary>Public then derived facts.</summary>
    public static IReadOnlyList<FactDefinition> All { get; } = [.. Public, .. Derived];

    private static readonly Dictionary<string, FactDefinition> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The definition of a fact by name, or null for a name the engine does not know.</summary>
    public static FactDefinition? Find(string name) => ByName.GetValueOrDefault(name);


    private static FactDefinition P(string name, FactType type, string zh, string en, string description = "",
        IReadOnlyList<string>? values = null) =>
        new(name, type, false, [], values ?? [], zh, en, description);

    private static FactDefinition D(string name, FactType type, IReadOnlyList<string> inputs, string zh, string en,
        string description, IReadOnlyList<string>? values = null) =>
        new(name, type, true, inputs, values ?? [], zh, en, description);
}
