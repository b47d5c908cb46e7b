using PolicyMatch.Web.Infrastructure.Data;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// What the portal tells users, one subscription per kind (columns notices.kind, notice_messages.kind,
/// subscriptions.kind). The first three are written by administrators; the others the jobs write on their own.
/// </summary>
public sealed class NoticeKind : StoredState<NoticeKind>, IStoredState<NoticeKind>
{
    public static readonly NoticeKind ClaimCall = new("claim_call", "资金领取/兑现通知", "Funding claim calls");
    public static readonly NoticeKind CertificationCall = new("certification_call", "认定申报通知", "Certification calls");
    public static readonly NoticeKind General = new("general", "一般通知", "General notices");
    public static readonly NoticeKind DeadlineReminder = new("deadline_reminder", "申报截止提醒", "Deadline reminders");
    public static readonly NoticeKind QualificationExpiry = new("qualification_expiry", "资质到期提醒", "Qualification expiry reminders");
    public static readonly NoticeKind Digest = new("digest", "新匹配政策周报", "Weekly digest of new matches");

    /// <summary>
    /// Requests that need the user's decision (an incubator asking to link a company, someone asking to
    /// join it, a verification result). Not a subscription: they are sent whatever the user subscribed
    /// to, so it is not in <see cref="Subscribable"/> and cannot be unsubscribed from.
    /// </summary>
    public static readonly NoticeKind Account = new("account", "待处理事项", "Needs your decision");

    private NoticeKind(string value, string chinese, string english) : base(value, chinese, english)
    {
    }

    /// <summary>Every kind a message can have.</summary>
    public static IReadOnlyList<NoticeKind> All { get; } = [ClaimCall, CertificationCall, General, DeadlineReminder, QualificationExpiry, Digest, Account];

    /// <summary>Kinds an administrator can write (the CHECK of notices.kind).</summary>
    public static IReadOnlyList<NoticeKind> Authored { get; } = [ClaimCall, CertificationCall, General];

    /// <summary>Kinds a user subscribes to (the subscriptions page, unsubscribe links).</summary>
    public static IReadOnlyList<NoticeKind> Subscribable { get; } = [ClaimCall, CertificationCall, General, DeadlineReminder, QualificationExpiry, Digest];

    public static bool IsSubscribable(string? kind) => Subscribable.Any(k => k.Value == kind);

    public static bool IsAuthored(string? kind) => Authored.Any(k => k.Value == kind);

    /// <summary>The label as emails show it: always Chinese.</summary>
    public static string ChineseLabel(string kind) => Find(kind)?.Chinese ?? kind;

    /// <summary>What subscribing means, said plainly on the subscriptions page.</summary>
    public string WhatItSends(int reminderDays) => Value switch
    {
        "claim_call" => T(
            "管理员发布资金领取或兑现通知、且您所在企业符合其中任一政策条件时,发送一条站内信和一封邮件。",
            "When an administrator publishes a call to claim or cash funds and your company qualifies for any measure it concerns: one inbox message and one email."),
        "certification_call" => T(
            "管理员发布认定申报通知(如高新技术企业认定)、且您所在企业符合条件时,发送一条站内信和一封邮件。",
            "When an administrator publishes a certification call (e.g. high-tech enterprise) your company qualifies for: one inbox message and one email."),
        "general" => T(
            "管理员发布与您所在企业符合条件的政策相关的其他通知时,发送一条站内信和一封邮件。",
            "Other notices about measures your company qualifies for: one inbox message and one email each."),
        "deadline_reminder" => T(
            $"通知的申报窗口关闭前 {reminderDays} 天,如果您所在企业符合条件而您还没有在站内信中确认已读,发送一次提醒(站内信和邮件)。",
            $"{reminderDays} days before a notice's window closes, if your company qualifies and you have not confirmed the notice in your inbox: one reminder (inbox and email)."),
        "qualification_expiry" => T(
            "您所在企业的高新技术企业证书在 6 个月内到期时,每张证书提醒一次(站内信和邮件)。",
            "When your company's high-tech enterprise certificate expires within 6 months: one reminder per certificate (inbox and email)."),
        "digest" => T(
            "每周一上午,如果您所在企业有新符合条件的政策,发送一份清单(站内信和邮件);没有新政策时不发送。",
            "Every Monday morning, if your company newly qualifies for measures: one list (inbox and email). Nothing when there is nothing new."),
        _ => "",
    };
}
