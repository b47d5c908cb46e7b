using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>
/// One column of the tenant import file. <see cref="Key"/> is the header the template writes (a public
/// fact name in snake_case); <see cref="ErrorKeys"/> are the <see cref="ProfileValidator"/> error keys
/// reported against it, so a validator message lands on the column the user typed into.
/// </summary>
public sealed record TenantColumn(string Key, string Zh, string En, string ValuesZh, string ValuesEn, bool Required, params string[] ErrorKeys)
{
    public string Values => T(ValuesZh, ValuesEn);
}

/// <summary>The import file's column set: the public facts of PRODUCT.md §1, the certificate split into columns.</summary>
public static class TenantColumns
{
    private const string YesNoZh = "是 / 否(也可写 yes/no、true/false);留空为未知";
    private const string YesNoEn = "是 / 否 (or yes/no, true/false); blank = unknown";
    private const string DateZh = "日期,如 2019-05-01(也接受 2019/5/1)";
    private const string DateEn = "a date such as 2019-05-01 (2019/5/1 also works)";

    public static readonly IReadOnlyList<TenantColumn> All =
    [
        Fact("name", "必填,最多200字", "required, 200 characters at most", required: true),
        Fact("uscc", "必填,18位;在 Excel 中请把此列设为“文本”,以免被改成科学计数法", "required, 18 characters; in Excel format the column as Text so it is not turned into a number", required: true),
        Fact("district", "必填,北京市16区之一(或天津市、河北省),也可填行政区划代码如 110114", "required: one of Beijing's 16 districts (or 天津市 / 河北省), or its code such as 110114", required: true),
        Fact("zones", "多个用 ; 或 、 分隔,如 中关村科学城;未来科学城", "several separated by ; or 、, e.g. 中关村科学城;未来科学城"),
        Fact("industry_code", "GB/T 4754-2017 代码,如 2720 或 C;在 Excel 中请设为“文本”以保留开头的 0", "a GB/T 4754-2017 code such as 2720 or C; format as Text in Excel to keep leading zeros"),
        Fact("focus_areas", "多个用 ; 或 、 分隔,如 医药健康、人工智能", "several separated by ; or 、, e.g. 医药健康、人工智能"),
        Fact("established_on", DateZh, DateEn),
        Fact("employees", "整数", "a whole number"),
        Fact("revenue_last_year", "数字,单位元", "a number, in yuan"),
        Fact("rd_expense_last_year", "数字,单位元", "a number, in yuan"),
        new("hightech", "高新技术企业", "High-tech enterprise", "是 / 否;填写了证书编号或日期时可留空(视为“是”)", "是 / 否; may be left blank when a certificate number or date is given (then yes)", false, "hightech_certificate"),
        new("hightech_number", "高新证书编号", "High-tech certificate number", "文本", "text", false, "hightech_certificate.number"),
        new("hightech_issued_on", "高新证书发证日期", "High-tech certificate issued on", DateZh, DateEn, false, "hightech_certificate.issued_on"),
        new("hightech_expires_on", "高新证书有效期至", "High-tech certificate expires on", DateZh, DateEn, false, "hightech_certificate.expires_on"),
        Fact("tech_sme_year", "年份如 2025;“否”表示不是科技型中小企业", "a year such as 2025; 否 (no) if not registered"),
        Fact("srdi_level", "无 / 创新型中小企业 / 专精特新中小企业 / 专精特新“小巨人”(或 none、innovative_sme、specialized_sme、little_giant)", "无 / 创新型中小企业 / 专精特新中小企业 / 专精特新“小巨人” (or none, innovative_sme, specialized_sme, little_giant)"),
        Fact("unicorn", YesNoZh, YesNoEn),
        Fact("gazelle", YesNoZh, YesNoEn),
        Fact("listing_status", "未上市 / 有上市意向 / 已上市(或 none、intends、listed)", "未上市 / 有上市意向 / 已上市 (or none, intends, listed)"),
        Fact("invention_patents", "整数", "a whole number"),
        Fact("postdoc_workstation", YesNoZh, YesNoEn),
        Fact("university_joint_lab", YesNoZh, YesNoEn),
        Fact("incubator_tenant", "是 / 否;留空时视为“是”(由孵化器导入即为在孵企业)", "是 / 否; blank counts as yes (an incubator is importing it)"),
        Fact("university_spinoff", YesNoZh, YesNoEn),
    ];

    /// <summary>A column that is one public fact, headed by the fact's label in the vocabulary.</summary>
    private static TenantColumn Fact(string fact, string valuesZh, string valuesEn, bool required = false) =>
        Facts.LabelOf(fact) is { } label
            ? new(fact, label.Zh, label.En, valuesZh, valuesEn, required, fact)
            : throw new ArgumentException($"'{fact}' is not a fact of the vocabulary", nameof(fact));

    private static readonly Dictionary<string, TenantColumn> ByHeader = BuildHeaders();

    private static readonly Dictionary<string, TenantColumn> ByErrorKey =
        All.SelectMany(c => c.ErrorKeys.Select(k => (k, c))).ToDictionary(x => x.k, x => x.c);

    /// <summary>The column a header names: the snake_case key, or a Chinese or English label (ours or the vocabulary's, <see cref="Facts"/>).</summary>
    public static TenantColumn? ForHeader(string header) => ByHeader.GetValueOrDefault(NormaliseHeader(header));

    public static TenantColumn? ForErrorKey(string key) => ByErrorKey.GetValueOrDefault(key);

    /// <summary>
    /// Headers compared loosely: case, spaces, underscores vs hyphens and full-width vs half-width
    /// brackets differ between what people (and Excel) type, never in meaning.
    /// </summary>
    public static string NormaliseHeader(string header) =>
        new string(header.Trim().Trim('\uFEFF').ToLowerInvariant()
            .Replace('（', '(').Replace('）', ')').Replace('-', '_')
            .Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static Dictionary<string, TenantColumn> BuildHeaders()
    {
        var headers = new Dictionary<string, TenantColumn>();
        void Add(string header, TenantColumn column) => headers.TryAdd(NormaliseHeader(header), column);
        foreach (var column in All)
        {
            Add(column.Key, column);
            Add(column.Zh, column);
            Add(column.En, column);
        }
        // The vocabulary's labels of the facts a column reports are accepted too (what the profile pages show),
        // in both languages whatever the request's language; where two columns share a fact (the
        // certificate), the first column keeps the label.
        foreach (var column in All)
        {
            foreach (var key in column.ErrorKeys)
            {
                if (Facts.LabelOf(key) is { } label)
                {
                    Add(label.Zh, column);
                    Add(label.En, column);
                }
            }
        }
        return headers;
    }
}
