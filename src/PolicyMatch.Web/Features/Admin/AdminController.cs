using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Admin;

public sealed record AdminHomeView(IReadOnlyList<MeasureState> Measures, IReadOnlyList<AuditEntry> Recent)
{
    public List<MeasureState> Drafts => [.. Measures.Where(m => m.Status == MeasureStatus.Draft)];

    /// <summary>Published or retired measures with a newer draft waiting.</summary>
    public List<MeasureState> PendingDrafts => [.. Measures.Where(m => m.Status != MeasureStatus.Draft && m.HasDraft)];

    public List<MeasureState> Published => [.. Measures.Where(m => m.Status == MeasureStatus.Published)];

    public List<MeasureState> Retired => [.. Measures.Where(m => m.Status == MeasureStatus.Retired)];
}

public sealed record AuditView(
    IReadOnlyList<AuditEntry> Entries, IReadOnlyList<string> Entities, AuditFilterForm Form, IReadOnlyDictionary<string, string> Errors, long? NextBefore)
{
    /// <summary>The next page: the same filters as typed, entries older than <paramref name="before"/>.</summary>
    public string PageUrl(long before) => Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/admin/audit",
        new Dictionary<string, string?>
        {
            ["entity"] = Form.Entity, ["id"] = Form.Id, ["who"] = Form.Who, ["action"] = Form.Action,
            ["from"] = Form.From, ["to"] = Form.To, ["before"] = before.ToString(CultureInfo.InvariantCulture),
        }.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)));
}

/// <summary>The administrators' landing page (the catalog by status, recent changes) and the audit log.</summary>
[Authorize(Roles = Roles.Admin)]
public sealed class AdminController(CatalogRepository catalog, AuditLog audit) : Controller
{
    [HttpGet("/admin")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new AdminHomeView(await catalog.GetMeasureStatesAsync(ct), await audit.ListAsync(limit: 10, ct: ct)));

    [HttpGet("/admin/audit")]
    public async Task<IActionResult> Audit([FromQuery] AuditFilterForm form, long? before, CancellationToken ct)
    {
        var (filter, errors) = AuditFilter.Parse(form);
        var entities = await audit.EntitiesAsync(ct);
        if (filter is null)
        {
            // Nothing is listed under a filter that could not be read; the form keeps what was typed.
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new AuditView([], entities, form, errors, null));
        }
        var entries = await audit.ListAsync(filter, before, AuditLog.PageSize + 1, ct);
        var next = entries.Count > AuditLog.PageSize ? entries[AuditLog.PageSize - 1].Id : (long?)null;
        return View(new AuditView(entries.Take(AuditLog.PageSize).ToList(), entities, form, errors, next));
    }
}

/// <summary>How the admin pages name statuses, actions and times.</summary>
public static class AdminText
{
    /// <summary>What kind of thing an entry is about, as a person reads it (audit_log.entity).</summary>
    public static string Entity(string entity) => entity switch
    {
        "measure" => T("措施", "Measure"),
        "document" => T("政策文件", "Policy document"),
        "notice" => T("通知", "Notice"),
        "notice_delivery" => T("邮件投递", "Email delivery"),
        "incubator" => T("孵化器", "Incubator"),
        "company" => T("企业", "Company"),
        _ => entity,
    };

    /// <summary>The entry's details in a line: "第 3 版 · 改动: title, criteria".</summary>
    public static string Details(AuditEntry e)
    {
        var d = e.Details();
        var parts = new List<string>();
        if (d["version"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number) parts.Add(T($"第 {v} 版", $"version {v}"));
        if (d["previous_version"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number) parts.Add(T($"此前公开第 {p} 版", $"previously version {p}"));
        if (d["changed"] is JsonArray changed && changed.Count > 0) parts.Add(T("改动:", "changed: ") + string.Join(T("、", ", "), changed.Select(c => FieldName(c?.ToString() ?? ""))));
        if (d["companies"] is JsonValue n) parts.Add(T($"{n} 家企业", $"{n} companies"));
        foreach (var (key, value) in d.Where(kv => kv.Key is not ("version" or "previous_version" or "changed" or "companies" or "title" or "previous_status")))
        {
            parts.Add($"{key}: {(value is JsonValue s && s.GetValueKind() == JsonValueKind.String ? s.GetValue<string>() : value?.ToJsonString(CatalogJson.Compact))}");
        }
        return string.Join(" · ", parts);
    }

    private static readonly Dictionary<string, (string Zh, string En)> FieldNames = new()
    {
        ["title"] = ("标题", "title"),
        ["title_en"] = ("英文标题", "English title"),
        ["summary"] = ("摘要", "summary"),
        ["kind"] = ("支持方式", "kind"),
        ["amount"] = ("金额", "amount"),
        ["departments"] = ("责任单位", "departments"),
        ["regions"] = ("适用地区", "regions"),
        ["focus_areas"] = ("重点领域", "focus areas"),
        ["period"] = ("执行期", "period"),
        ["window"] = ("申报时间", "application window"),
        ["source.clause"] = ("条款", "clause"),
        ["source.quote"] = ("原文摘录", "quote"),
        ["notes"] = ("说明", "notes"),
        ["criteria"] = ("申请条件", "criteria"),
    };

    /// <summary>A measure field's catalog name ("focus_areas") as a person reads it.</summary>
    public static string FieldName(string name) => FieldNames.TryGetValue(name, out var n) ? T(n.Zh, n.En) : name;
}
