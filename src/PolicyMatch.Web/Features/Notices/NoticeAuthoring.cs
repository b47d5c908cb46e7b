using PolicyMatch.Web.Infrastructure.Time;
using System.Globalization;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Shared;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>The authoring form as posted. Dates stay text until checked, so a bad one is re-shown as typed.</summary>
public sealed class NoticeForm
{
    [RequiredText("请选择通知类型", "Choose the kind of notice")]
    public string? Kind { get; set; }

    [RequiredText("请填写标题", "Enter a title")]
    [LengthText(1, 200, "标题不超过 200 个字", "The title has at most 200 characters")]
    public string? Title { get; set; }

    [RequiredText("请填写正文", "Enter the text of the notice")]
    [LengthText(1, 20000, "正文不超过 20000 个字", "The text has at most 20,000 characters")]
    public string? Body { get; set; }

    /// <summary>Measure ids (checkboxes), or typed ids separated by commas/spaces in <see cref="MeasureIds"/>.</summary>
    public List<string> Measures { get; set; } = [];

    public string? MeasureIds { get; set; }

    /// <summary>The document (plan id) the notice is written from, if any: its regions are the notice's when none is typed.</summary>
    public string? Document { get; set; }

    /// <summary>Where the notice is for (区、园区 or 北京市), separated by 、; blank: its document's regions, else its measures'.</summary>
    public string? Regions { get; set; }

    public string? WindowOpens { get; set; }

    public string? WindowCloses { get; set; }

    /// <summary>Beijing time, as a datetime-local input sends it: 2026-12-01T09:00.</summary>
    [RequiredText("请填写发送时间", "Enter when to send it")]
    public string? SendAt { get; set; }

    /// <summary>"preview" shows the recipients; "schedule" stores the notice.</summary>
    public string? Intent { get; set; }

    public IReadOnlyList<string> AllMeasures() =>
        Measures.Concat((MeasureIds ?? "").Split([',', ' ', '\n', '\r', '\t', '\uFF0C', '\u3001'], StringSplitOptions.RemoveEmptyEntries))
            .Select(m => m.Trim()).Where(m => m.Length > 0).Distinct(StringComparer.Ordinal).ToList();
}

/// <summary>
/// Checks a notice before it is previewed or scheduled: the field rules the attributes cannot say
/// (known kind, existing published measures, a window that closes after it opens and after the
/// notice goes out, a send time not in the past). Errors are keyed by field, in the request's language.
/// </summary>
public sealed class NoticeAuthoring(CatalogCache catalog, CatalogRepository repository, TimeProvider clock)
{
    /// <summary>A send time this close to now still counts as "now" (the form took a moment to fill).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(2);

    public async Task<(NewNotice? Notice, Dictionary<string, string> Errors)> CheckAsync(NoticeForm form, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string>();
        if (form.Kind is { Length: > 0 } kind && !NoticeKind.IsAuthored(kind))
        {
            errors[nameof(NoticeForm.Kind)] = T("未知的通知类型", "Unknown kind of notice");
        }

        var measures = form.AllMeasures();
        if (measures.Count == 0)
        {
            errors[nameof(NoticeForm.Measures)] = T("请至少关联一项政策措施:收件人按这些措施的条件确定", "Link at least one measure: recipients are the companies eligible for them");
        }
        else
        {
            var published = (await catalog.GetPublishedAsync(ct)).Select(m => m.Row.MeasureId).ToHashSet(StringComparer.Ordinal);
            var known = (await repository.GetAllMeasureIdsAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var unknown = measures.Where(m => !known.Contains(m)).ToList();
            var unpublished = measures.Where(m => known.Contains(m) && !published.Contains(m)).ToList();
            if (unknown.Count > 0)
            {
                errors[nameof(NoticeForm.Measures)] = T($"未知的政策措施:{string.Join("、", unknown)}", $"Unknown measure: {string.Join(", ", unknown)}");
            }
            else if (unpublished.Count > 0)
            {
                errors[nameof(NoticeForm.Measures)] = T($"政策措施未发布,无法确定收件人:{string.Join("、", unpublished)}",
                    $"Not published, so nobody can be matched against it: {string.Join(", ", unpublished)}");
            }
        }

        PlanRow? document = null;
        if (form.Document is { Length: > 0 } documentId)
        {
            document = await repository.GetPlanAsync(documentId.Trim(), ct);
            if (document is null)
            {
                errors[nameof(NoticeForm.Document)] = T($"未知的政策文件:{documentId}", $"Unknown document: {documentId}");
            }
        }

        // The regions: as typed, else those of the document it is written from, else those of the linked
        // measures (a notice about Changping measures is for Changping). Recipients are eligible companies
        // in these regions only.
        var regions = (form.Regions ?? "").Split([',', '，', '、', ';', '；', ' ', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        var unknownRegions = regions.Where(r => !Documents.DocumentForm.KnownRegions.Contains(r)).ToList();
        if (unknownRegions.Count > 0)
        {
            errors[nameof(NoticeForm.Regions)] = T($"不认识的地区:{string.Join("、", unknownRegions)}", $"Unknown regions: {string.Join(", ", unknownRegions)}");
        }
        else if (regions.Count == 0 && document is { Regions.Count: > 0 })
        {
            regions = document.Regions.ToList();
        }
        else if (regions.Count == 0 && !errors.ContainsKey(nameof(NoticeForm.Measures)))
        {
            var linked = (await catalog.GetPublishedAsync(ct)).Where(m => measures.Contains(m.Row.MeasureId)).ToList();
            regions = linked.SelectMany(m => m.Row.Regions).Distinct().ToList();
            if (regions.Count == 0)
            {
                errors[nameof(NoticeForm.Regions)] = T("请填写通知面向的地区(所关联的措施没有写明地区)", "Enter the regions the notice is for (its measures state none)");
            }
        }

        var opens = ParseDate(form.WindowOpens, nameof(NoticeForm.WindowOpens), errors);
        var closes = ParseDate(form.WindowCloses, nameof(NoticeForm.WindowCloses), errors);
        if (opens is { } o && closes is { } c && c < o)
        {
            errors[nameof(NoticeForm.WindowCloses)] = T("截止日期不能早于开始日期", "The window cannot close before it opens");
        }

        DateTimeOffset? sendAt = null;
        if (form.SendAt is { Length: > 0 } text)
        {
            if (!DateTime.TryParseExact(text.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                errors[nameof(NoticeForm.SendAt)] = T("发送时间格式应为 YYYY-MM-DD HH:MM(北京时间)", "Enter the send time as YYYY-MM-DD HH:MM (Beijing time)");
            }
            else
            {
                sendAt = BeijingTime.FromLocal(local);
                if (sendAt < clock.GetUtcNow() - Grace)
                {
                    errors[nameof(NoticeForm.SendAt)] = T("发送时间已经过去,请选择将来的时间", "The send time is in the past: choose a time to come");
                }
                else if (closes is { } close && close < BeijingTime.DateOf(sendAt.Value) && !errors.ContainsKey(nameof(NoticeForm.WindowCloses)))
                {
                    errors[nameof(NoticeForm.WindowCloses)] = T("申报截止日期早于发送时间:企业收到通知时已无法申报", "The window closes before the notice goes out");
                }
            }
        }

        if (errors.Count > 0 || form.Kind is not { Length: > 0 } || string.IsNullOrWhiteSpace(form.Title) || string.IsNullOrWhiteSpace(form.Body) || sendAt is null)
        {
            return (null, errors);
        }
        return (new NewNotice(form.Kind, form.Title.Trim(), form.Body.Trim().Replace("\r\n", "\n"), measures, opens, closes, sendAt.Value, regions) { SourceDocument = document?.Document }, errors);
    }

    private static DateOnly? ParseDate(string? text, string field, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        errors[field] = T("日期格式应为 YYYY-MM-DD", "Enter the date as YYYY-MM-DD");
        return null;
    }
}
