using Microsoft.Extensions.Primitives;
using PolicyMatch.Rules;
using PolicyMatch.Web.Components;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Matching;

/// <summary>
/// The matches page's model: the report and what the page adds around it — the judged profile, the
/// filters, the difference from the result it was changed from (what-if), and the company it belongs to.
/// </summary>
public sealed record MatchesView(ProfileForm Form, string ProfileQuery, MatchReport Report)
{
    /// <summary>The company whose saved profile (or a what-if of it) this is.</summary>
    public long? CompanyId { get; init; }

    /// <summary>When the company's profile was saved (Beijing time), for a company's saved result.</summary>
    public string? SavedAt { get; init; }

    /// <summary>Whether the user may save this (changed) profile to <see cref="CompanyId"/>.</summary>
    public bool CanSave { get; init; }

    public MatchFilters Filters { get; init; } = MatchFilters.None;

    /// <summary>What changed compared with the result the what-if started from.</summary>
    public MatchDiff? Diff { get; init; }

    /// <summary>Notices about the measures the company is eligible for now.</summary>
    public IReadOnlyList<NoticeCardModel> Notices { get; init; } = [];

    /// <summary>The open notices of the near misses' helper measures, by measure id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<NoticeLink>> HelperNotices { get; init; } = new Dictionary<string, IReadOnlyList<NoticeLink>>();

    /// <summary>The what-if form, filled with every judged fact.</summary>
    public string WhatIfHref => "/check/edit" + Append(ProfileQuery, CompanyId is { } id ? $"company={id}" : null);

    /// <summary>The deadlines as .ics: of the company's saved profile, or of the profile in the link (a what-if included).</summary>
    public string CalendarHref => CompanyId is { } id && Diff is null
        ? $"/companies/{id}/calendar.ics" + (Form.AsOf is { Length: > 0 } a ? "?asOf=" + Uri.EscapeDataString(a) : "")
        : "/check/calendar.ics" + ProfileQuery;

    /// <summary>A link to this result (the profile, the company, the filters).</summary>
    public string Link(MatchFilters filters) => "/check" + Append(Append(ProfileQuery, CompanyId is { } id ? $"company={id}" : null), filters.Query);

    private static string Append(string query, string? more) =>
        string.IsNullOrEmpty(more) ? query : string.IsNullOrEmpty(query) ? "?" + more : query + "&" + more;

    public IReadOnlyList<(string Fact, string Value)> Summary => ProfileSummary.Of(Form);
}

/// <summary>The result filters (kind of support, department, standing), as typed, with one message per bad one.</summary>
public sealed record MatchFilters(string? Kind, string? Department, string? Status, IReadOnlyDictionary<string, string> Errors)
{
    public static readonly MatchFilters None = new(null, null, null, new Dictionary<string, string>());

    public bool Any => Kind is not null || Department is not null || Status is not null;

    public string? Query => !Any ? null : QueryString.Create(new[]
    {
        new KeyValuePair<string, string?>("kind", Kind),
        new KeyValuePair<string, string?>("dept", Department),
        new KeyValuePair<string, string?>("status", Status),
    }.Where(kv => kv.Value is not null)).ToString()[1..];

    /// <summary>
    /// How many measures each filter option would list with it chosen and the other filters kept, in one
    /// pass over the report: every department the report's measures name appears, with 0 when the other
    /// filters exclude all of its measures. (Counting per option instead read every measure's departments
    /// once per department: the busiest part of the matches page.)
    /// </summary>
    public FilterCounts Count(MatchReport report)
    {
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        var departments = new Dictionary<string, int>(StringComparer.Ordinal);
        var standings = new Dictionary<Standing, int>();
        foreach (var item in report.Items)
        {
            var itemDepartments = Departments.Of(item.Measure);
            var standing = report.StandingOf(item);
            var kindKept = Kind is null || item.Measure.Kind == Kind;
            var departmentKept = Department is null || itemDepartments.Contains(Department);
            var statusKept = Status is null || MatchGroups.Name(standing) == Status;
            if (departmentKept && statusKept)
            {
                kinds[item.Measure.Kind] = kinds.GetValueOrDefault(item.Measure.Kind) + 1;
            }
            // A measure that names a department twice counts once under it.
            foreach (var department in itemDepartments.Count > 1 ? itemDepartments.Distinct(StringComparer.Ordinal) : itemDepartments)
            {
                departments[department] = departments.GetValueOrDefault(department) + (kindKept && statusKept ? 1 : 0);
            }
            if (kindKept && departmentKept)
            {
                standings[standing] = standings.GetValueOrDefault(standing) + 1;
            }
        }
        // Counted in a hash table, sorted once: the page lists departments in order, and a sorted tree
        // took a search and often a rebalance for each of the result's hundred-odd department mentions.
        return new FilterCounts(kinds, new SortedDictionary<string, int>(departments, StringComparer.Ordinal), standings);
    }

    public bool Keeps(MatchItem item, MatchReport report, bool ignoreKind = false, bool ignoreDepartment = false, bool ignoreStatus = false) =>
        (ignoreKind || Kind is null || item.Measure.Kind == Kind)
        && (ignoreDepartment || Department is null || Departments.Of(item.Measure).Contains(Department))
        && (ignoreStatus || Status is null || MatchGroups.Name(report.StandingOf(item)) == Status);

    /// <summary>
    /// Reads the filters from the query. A value that is not one the catalog has is refused with a
    /// message naming it (and the page answers 422), never silently ignored or passed on to a query.
    /// </summary>
    public static MatchFilters Parse(StringValues kind, StringValues department, StringValues status, IReadOnlyList<PublishedMeasure> catalog)
    {
        var errors = new Dictionary<string, string>();
        string? One(StringValues values, string name)
        {
            if (values.Count > 1) { errors[name] = T("只能选择一项", "Choose one value only"); return null; }
            var v = values.ToString().Trim();
            return v.Length == 0 ? null : v.Length > 100 ? v[..100] : v;
        }
        var k = One(kind, "kind");
        var d = One(department, "dept");
        var s = One(status, "status");
        if (k is not null && Reference.Kinds.All(x => x.Value != k)) errors["kind"] = T($"支持方式“{k}”不存在,请从列表中选择", $"There is no kind of support \"{k}\": choose one from the list");
        if (d is not null && !catalog.Any(m => Departments.Of(m.Row).Contains(d))) errors["dept"] = T($"没有责任单位为“{d}”的措施,请从列表中选择", $"No measure has the department \"{d}\": choose one from the list");
        if (s is not null && !MatchGroups.TryParse(s, out _)) errors["status"] = T($"状态“{s}”无效,可选:可办理、即将开始、已到期", $"\"{s}\" is not a status: current, upcoming or expired");
        // A bad value is shown back in its message and dropped from the filter, so the page still answers.
        return new MatchFilters(errors.ContainsKey("kind") ? null : k, errors.ContainsKey("dept") ? null : d, errors.ContainsKey("status") ? null : s, errors) { Typed = (k, d, s) };
    }

    /// <summary>What was typed, kept for the form when a value is refused.</summary>
    public (string? Kind, string? Department, string? Status) Typed { get; init; }

    public static string StatusLabel(Standing s) => s switch
    {
        Standing.Current => T("可办理", "Current"),
        Standing.Upcoming => T("即将开始", "Upcoming"),
        _ => T("已到期", "Expired"),
    };
}

/// <summary>How a what-if result differs from the result it was changed from.</summary>
public sealed record MatchDiff(
    IReadOnlyList<(string Fact, string? Before, string? After)> ChangedFacts,
    IReadOnlyList<MatchItem> NewlyEligible,
    IReadOnlyList<MatchItem> NoLongerEligible,
    IReadOnlyList<MatchItem> StillNeedingInformation,
    string BaseLink)
{
    /// <summary>Compares two results of the same catalog; only measures a company can act on now count.</summary>
    public static MatchDiff Between(ProfileForm beforeForm, MatchReport before, ProfileForm afterForm, MatchReport after, string baseLink)
    {
        var was = before.Items.ToDictionary(i => i.Measure.MeasureId, i => i.Group);
        var current = after.Items.Where(i => after.StandingOf(i) == Standing.Current).ToList();
        var newly = current.Where(i => i.Group == MatchGroup.Eligible && was.GetValueOrDefault(i.Measure.MeasureId, MatchGroup.NotEligible) != MatchGroup.Eligible).ToList();
        var lost = current.Where(i => i.Group != MatchGroup.Eligible && was.GetValueOrDefault(i.Measure.MeasureId) == MatchGroup.Eligible).ToList();
        var still = current.Where(i => i.Group == MatchGroup.NeedsInformation).ToList();
        var a = ProfileSummary.Of(beforeForm).ToDictionary(x => x.Fact, x => x.Value);
        var b = ProfileSummary.Of(afterForm).ToDictionary(x => x.Fact, x => x.Value);
        var changed = ProfileSummary.Order
            .Where(f => a.GetValueOrDefault(f) != b.GetValueOrDefault(f))
            .Select(f => (f, a.GetValueOrDefault(f), b.GetValueOrDefault(f)))
            .ToList();
        return new MatchDiff(changed, newly, lost, still, baseLink);
    }
}

/// <summary>The judged profile in words: each answered fact with its label and value, in form order.</summary>
public static class ProfileSummary
{
    /// <summary>Every fact the form can carry, in the order the form asks them.</summary>
    public static readonly IReadOnlyList<string> Order =
    [
        "name", "uscc", "district", "zones", "industry_code", "focus_areas", "established_on", "employees",
        "revenue_last_year", "rd_expense_last_year", "invention_patents", "hightech_certificate", "tech_sme_year",
        "srdi_level", "listing_status", "unicorn", "gazelle", "postdoc_workstation", "university_joint_lab",
        "incubator_tenant", "university_spinoff",
    ];

    public static IReadOnlyList<(string Fact, string Value)> Of(ProfileForm f)
    {
        static string? Tri(string? v) => v switch { "yes" => T("是", "yes"), "no" => T("否", "no"), _ => null };
        static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();
        string? Hightech() => f.Hightech switch
        {
            "yes" => T("有证书", "certified") + (Blank(f.HightechExpiresOn) is { } e ? T($",有效期至 {e}", $", expires {e}") : ""),
            "no" => T("否", "no"),
            _ => null,
        };
        string? TechSme() => f.TechSme switch
        {
            "yes" => T("是", "yes") + (Blank(f.TechSmeYear) is { } y ? T($"({y} 年入库)", $" (registered {y})") : ""),
            "no" => T("否", "no"),
            _ => Blank(f.TechSmeYear) is { } y2 ? T($"{y2} 年入库", $"registered {y2}") : null,
        };
        var values = new Dictionary<string, string?>
        {
            ["name"] = Blank(f.Name),
            ["uscc"] = Blank(f.Uscc),
            ["district"] = Blank(f.District) is { } d ? (English && Facts.Districts.FirstOrDefault(x => x.Name == d) is { NameEn: { } en } ? $"{en} {d}" : d) : null,
            ["zones"] = f.Zones.Count > 0 ? string.Join("、", f.Zones) : null,
            ["industry_code"] = Blank(f.IndustryCode),
            ["focus_areas"] = f.FocusAreas.Count > 0 ? string.Join("、", f.FocusAreas) : null,
            ["established_on"] = Blank(f.EstablishedOn),
            ["employees"] = Blank(f.Employees),
            ["revenue_last_year"] = Blank(f.RevenueLastYear),
            ["rd_expense_last_year"] = Blank(f.RdExpenseLastYear),
            ["invention_patents"] = Blank(f.InventionPatents),
            ["hightech_certificate"] = Hightech(),
            ["tech_sme_year"] = TechSme(),
            ["srdi_level"] = Blank(f.SrdiLevel) is { } s ? FactLabels.OfValue(Facts.SrdiLevel, s) : null,
            ["listing_status"] = Blank(f.ListingStatus) is { } l ? FactLabels.OfValue(Facts.ListingStatus, l) : null,
            ["unicorn"] = Tri(f.Unicorn),
            ["gazelle"] = Tri(f.Gazelle),
            ["postdoc_workstation"] = Tri(f.PostdocWorkstation),
            ["university_joint_lab"] = Tri(f.UniversityJointLab),
            ["incubator_tenant"] = Tri(f.IncubatorTenant),
            ["university_spinoff"] = Tri(f.UniversitySpinoff),
        };
        return Order.Where(k => values[k] is not null).Select(k => (k, values[k]!)).ToList();
    }

    /// <summary>How many of the facts a matching uses were left unanswered (they count as unknown).</summary>
    public static int Unanswered(ProfileForm f) => Order.Count(k => k is not ("name" or "uscc")) - Of(f).Count(x => x.Fact is not ("name" or "uscc"));
}

/// <summary>A profile form from a query string (the <c>was</c> of a what-if: the result it started from).</summary>
public static class ProfileQuery
{
    private static readonly System.Reflection.PropertyInfo[] Properties =
        typeof(ProfileForm).GetProperties().Where(p => p.CanWrite).ToArray();

    public static ProfileForm Parse(string query)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.StartsWith('?') ? query : "?" + query);
        var form = new ProfileForm();
        foreach (var p in Properties)
        {
            if (!parsed.TryGetValue(p.Name, out var values)) continue;
            if (p.PropertyType == typeof(List<string>))
            {
                p.SetValue(form, values.Where(v => v is not null).Select(v => v!).ToList());
            }
            else
            {
                p.SetValue(form, values.ToString());
            }
        }
        return form;
    }
}

/// <summary>What <see cref="MatchFilters.Count"/> found: per kind, per department (all, in order), per standing.</summary>
public sealed record FilterCounts(
    IReadOnlyDictionary<string, int> Kinds, IReadOnlyDictionary<string, int> Departments, IReadOnlyDictionary<Standing, int> Standings);
