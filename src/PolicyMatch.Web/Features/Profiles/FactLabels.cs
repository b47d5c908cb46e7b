using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Profiles;

/// <summary>How each public fact is named to a person (missing-facts lists, errors).</summary>
public static class FactLabels
{
    private static readonly Dictionary<string, (string Zh, string En)> Labels = new()
    {
        ["name"] = ("企业名称", "Company name"),
        ["uscc"] = ("统一社会信用代码", "Unified social credit code"),
        ["district"] = ("所在区", "District"),
        ["zones"] = ("所在园区/功能区", "Zones and parks"),
        ["industry_code"] = ("国民经济行业代码", "Industry code (GB/T 4754)"),
        ["focus_areas"] = ("重点领域", "Focus areas"),
        ["established_on"] = ("成立日期", "Date established"),
        ["employees"] = ("从业人数", "Employees"),
        ["revenue_last_year"] = ("上年营业收入(元)", "Last year's revenue (yuan)"),
        ["rd_expense_last_year"] = ("上年研发费用(元)", "Last year's R&D spending (yuan)"),
        ["hightech_certificate"] = ("高新技术企业证书", "High-tech enterprise certificate"),
        ["hightech_certificate.number"] = ("证书编号", "Certificate number"),
        ["hightech_certificate.issued_on"] = ("发证日期", "Issued on"),
        ["hightech_certificate.expires_on"] = ("有效期至", "Expires on"),
        ["tech_sme_year"] = ("科技型中小企业入库年份", "Year registered as tech SME"),
        ["srdi_level"] = ("专精特新梯度", "SRDI (专精特新) level"),
        ["unicorn"] = ("独角兽企业", "Unicorn"),
        ["gazelle"] = ("瞪羚企业", "Gazelle"),
        ["listing_status"] = ("上市情况", "Listing status"),
        ["invention_patents"] = ("发明专利数", "Invention patents"),
        ["postdoc_workstation"] = ("博士后工作站", "Post-doctoral workstation"),
        ["university_joint_lab"] = ("与高校共建实验室", "Joint lab with a university"),
        ["incubator_tenant"] = ("孵化器在孵企业", "Incubator tenant"),
        ["university_spinoff"] = ("高校衍生企业", "University spin-off"),
    };

    public static string Of(string fact) => Labels.TryGetValue(fact, out var l) ? T(l.Zh, l.En) : fact;
}
