using PolicyMatch.Web.Infrastructure.Data;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// What the portal tells users, one subscription per kind. The first three are written by
/// administrators; the others the jobs write on their own.
/// </summary>
public static class NoticeKinds
{
    public const string ClaimCall = "claim_call";
    public const string CertificationCall = "certification_call";
    public const string General = "general";
    public const string DeadlineReminder = "deadline_reminder";
    public const string QualificationExpiry = "qualification_expiry";
    public const string Digest = "digest";

    /// <summary>
    /// Requests that need the user's decision (an incubator asking to link a company, someone asking to
    /// join it, a verification result). Not a subscription: they are sent whatever the user subscribed
    /// to, so it is not in <see cref="All"/> and cannot be unsubscribed from.
    /// </summary>
    public const string Account = "account";

    /// <summary>Kinds an administrator can write (the CHECK of notices.kind).</summary>
    public static readonly IReadOnlyList<string> Authored = [ClaimCall, CertificationCall, General];

    public static readonly IReadOnlyList<string> All = [ClaimCall, CertificationCall, General, DeadlineReminder, QualificationExpiry, Digest];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind);

    public static string Label(string kind) => kind switch
    {
        ClaimCall => T("资金领取/兑现通知", "Funding claim calls"),
        CertificationCall => T("认定申报通知", "Certification calls"),
        General => T("一般通知", "General notices"),
        DeadlineReminder => T("申报截止提醒", "Deadline reminders"),
        QualificationExpiry => T("资质到期提醒", "Qualification expiry reminders"),
        Digest => T("新匹配政策周报", "Weekly digest of new matches"),
        Account => T("待处理事项", "Needs your decision"),
        _ => kind,
    };

    /// <summary>The label as emails show it: always Chinese.</summary>
    public static string ChineseLabel(string kind) => kind switch
    {
        ClaimCall => "资金领取/兑现通知",
        CertificationCall => "认定申报通知",
        General => "一般通知",
        DeadlineReminder => "申报截止提醒",
        QualificationExpiry => "资质到期提醒",
        Digest => "新匹配政策周报",
        Account => "待处理事项",
        _ => kind,
    };

    /// <summary>What subscribing means, said plainly on the subscriptions page.</summary>
    public static string WhatItSends(string kind, int reminderDays) => kind switch
    {
        ClaimCall => T(
            "管理员发布资金领取或兑现通知、且您所在企业符合其中任一政策条件时,发送一条站内信和一封邮件。",
            "When an administrator publishes a call to claim or cash funds and your company qualifies for any measure it concerns: one inbox message and one email."),
        CertificationCall => T(
            "管理员发布认定申报通知(如高新技术企业认定)、且您所在企业符合条件时,发送一条站内信和一封邮件。",
            "When an administrator publishes a certification call (e.g. high-tech enterprise) your company qualifies for: one inbox message and one email."),
        General => T(
            "管理员发布与您所在企业符合条件的政策相关的其他通知时,发送一条站内信和一封邮件。",
            "Other notices about measures your company qualifies for: one inbox message and one email each."),
        DeadlineReminder => T(
            $"通知的申报窗口关闭前 {reminderDays} 天,如果您所在企业符合条件而您还没有在站内信中确认已读,发送一次提醒(站内信和邮件)。",
            $"{reminderDays} days before a notice's window closes, if your company qualifies and you have not confirmed the notice in your inbox: one reminder (inbox and email)."),
        QualificationExpiry => T(
            "您所在企业的高新技术企业证书在 6 个月内到期时,每张证书提醒一次(站内信和邮件)。",
            "When your company's high-tech enterprise certificate expires within 6 months: one reminder per certificate (inbox and email)."),
        Digest => T(
            "每周一上午,如果您所在企业有新符合条件的政策,发送一份清单(站内信和邮件);没有新政策时不发送。",
            "Every Monday morning, if your company newly qualifies for measures: one list (inbox and email). Nothing when there is nothing new."),
        _ => "",
    };
}

/// <summary>
/// Dates and times as the portal's users read them: Beijing time (UTC+8, no daylight saving).
/// Send times are entered and shown in it, "today" for eligibility is its date.
/// </summary>
public static class BeijingTime
{
    public static readonly TimeZoneInfo Zone = Find();

    private static TimeZoneInfo Find()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // A machine without tz data: China has had no daylight saving since 1991.
            return TimeZoneInfo.CreateCustomTimeZone("China Standard Time", TimeSpan.FromHours(8), "Beijing", "CST");
        }
    }

    public static DateTimeOffset Of(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(Of(instant).DateTime);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>A wall-clock time in Beijing as an instant.</summary>
    public static DateTimeOffset FromLocal(DateTime local) =>
        new(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), Zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified)));

    public static string Format(DateTimeOffset instant) => Of(instant).ToString("yyyy-MM-dd HH:mm");

    /// <summary>A stored timestamp (Stamp format, UTC) shown in Beijing time; empty for null.</summary>
    public static string Format(string? stamp) => Stamp.Parse(stamp) is { } t ? Format(t) : "";
}

public static class NoticeStatus
{
    public static string Label(string status) => status switch
    {
        "scheduled" => T("已安排", "Scheduled"),
        "cancelled" => T("已取消", "Cancelled"),
        "sent" => T("已发送", "Sent"),
        "published" => T("已发布(历史)", "Published (historical)"),
        DeliveryStatus.Pending => T("待发送", "Pending"),
        DeliveryStatus.Sending => T("发送中", "Sending"),
        DeliveryStatus.Failed => T("失败", "Failed"),
        DeliveryStatus.Skipped => T("已跳过", "Skipped"),
        _ => status,
    };

    /// <summary>The paragraphs of a notice's text: blank lines separate them.</summary>
    public static IReadOnlyList<string> Paragraphs(string body) =>
        body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
