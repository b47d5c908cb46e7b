namespace PolicyMatch.Web.Features.Catalog;

/// <summary>Who receives what a measure gives (issue 11). Stored and exported as its <see cref="Beneficiary.Code"/>.</summary>
public enum BeneficiaryKind { Company, Talent, Institution, Government }

/// <summary>One beneficiary with its code in the catalog files and its Chinese/English label.</summary>
/// <param name="Matched">
/// Whether companies are matched against measures for this beneficiary. A measure for a company's
/// staff and talents is matched (the company is the employer that applies for them or passes it on);
/// one whose beneficiary is a university/institute or a government body/park gives a company nothing
/// to apply for, so it is not matched (it stays readable in the plan reader and search).
/// </param>
public sealed record Beneficiary(BeneficiaryKind Kind, string Code, string Zh, string En, bool Matched)
{
    public static readonly Beneficiary Company = new(BeneficiaryKind.Company, "company", "企业", "Companies", true);
    public static readonly Beneficiary Talent = new(BeneficiaryKind.Talent, "talent", "企业员工和人才", "Staff and talents", true);
    public static readonly Beneficiary Institution = new(BeneficiaryKind.Institution, "institution", "高校和科研机构", "Universities and institutes", false);
    public static readonly Beneficiary Government = new(BeneficiaryKind.Government, "government", "政府部门和园区", "Government bodies and parks", false);

    public static readonly IReadOnlyList<Beneficiary> All = [Company, Talent, Institution, Government];

    /// <summary>The beneficiary with this code, or null for an unknown one.</summary>
    public static Beneficiary? Parse(string? code) => All.FirstOrDefault(b => b.Code == code);

    /// <summary>A stored code (the database only holds valid ones); an unknown one reads as a company.</summary>
    public static Beneficiary Of(string? code) => Parse(code) ?? Company;

    public string Label(bool english) => english ? En : Zh;
}
