using PolicyMatch.Web.Infrastructure.Time;
using System.Globalization;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Infrastructure.Data;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Admin;

/// <summary>The audit log's filters as typed in the query string (every field kept as typed, to show back).</summary>
public sealed record AuditFilterForm
{
    public string? Entity { get; init; }
    public string? Id { get; init; }
    public string? Who { get; init; }
    public string? Action { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

/// <summary>
/// The checked filters: an actor (part of a name or email), an action, and Beijing dates as the instants
/// that bound them — a day in Beijing runs from 16:00 UTC the day before, so a day picked on the page
/// is the day the administrator lived, whatever the server's zone.
/// </summary>
public sealed record AuditFilter
{
    public const int MaxWho = 100;

    public string? Entity { get; init; }
    public string? EntityId { get; init; }
    public string? Who { get; init; }
    public AuditAction? Action { get; init; }

    /// <summary>Inclusive lower bound (Stamp text), the start of the From day in Beijing.</summary>
    public string? Since { get; init; }

    /// <summary>Exclusive upper bound (Stamp text), the start of the day after the To day in Beijing.</summary>
    public string? Until { get; init; }

    public static readonly AuditFilter None = new();

    /// <summary>The filter, or the problems keyed by field (who, action, from, to), each in the user's language.</summary>
    public static (AuditFilter? Filter, IReadOnlyDictionary<string, string> Errors) Parse(AuditFilterForm form)
    {
        var errors = new Dictionary<string, string>();
        var who = AuditFilterForm.Blank(form.Who);
        if (who is { Length: > MaxWho }) errors["who"] = T($"操作人最多 {MaxWho} 个字", $"Who: {MaxWho} characters at most");
        var action = AuditFilterForm.Blank(form.Action);
        var known = AuditAction.Find(action);
        if (action is not null && known is null) errors["action"] = T("没有这种操作类型,请从列表中选择", "There is no such action: choose one from the list");
        var from = Date(form.From, "from", errors);
        var to = Date(form.To, "to", errors);
        if (from is { } f && to is { } t && f > t) errors["to"] = T("结束日期不能早于开始日期", "The end date is before the start date");
        if (errors.Count > 0) return (null, errors);
        return (new AuditFilter
        {
            Entity = AuditFilterForm.Blank(form.Entity),
            EntityId = AuditFilterForm.Blank(form.Id),
            Who = who,
            Action = known,
            Since = from is { } s ? StartOf(s) : null,
            Until = to is { } u ? StartOf(u.AddDays(1)) : null,
        }, errors);
    }

    private static string StartOf(DateOnly beijingDay) => Stamp.Of(BeijingTime.FromLocal(beijingDay.ToDateTime(TimeOnly.MinValue)));

    private static DateOnly? Date(string? text, string key, Dictionary<string, string> errors)
    {
        if (AuditFilterForm.Blank(text) is not { } s) return null;
        if (DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        errors[key] = T($"“{s}”不是有效日期,请按 年-月-日 填写,例如 2026-12-05", $"“{s}” is not a date: write it as year-month-day, e.g. 2026-12-05");
        return null;
    }

    /// <summary>The LIKE pattern for the actor: lower case, with %, _ and the escape character taken literally.</summary>
    public string? WhoPattern => Who is null ? null
        : "%" + Who.ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
