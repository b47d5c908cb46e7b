using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Options;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>What one run of an automatic notice wrote.</summary>
public sealed record ReminderReport(int Messages, int Deliveries);

/// <summary>
/// The notices nobody writes: deadline reminders, qualification-expiry reminders and the digest of new
/// matches. Each run is idempotent — a message is keyed by what it is about (the notice and its closing
/// date, the certificate, the company and day), and deliveries are unique per message, user and channel
/// — so a job that runs twice, or again after a crash, tells nobody twice.
/// </summary>
public sealed class NoticeReminders(
    IDbConnectionFactory connections, RecipientResolver recipients, NoticeOutbox outbox, IOptions<NoticesOptions> options,
    TimeProvider clock, ILogger<NoticeReminders> logger)
{
    private sealed record ClosingNotice
    {
        public string Id { get; init; } = "";
        public string Kind { get; init; } = "";
        public string Title { get; init; } = "";
        public DateOnly? WindowOpens { get; init; }
        public DateOnly WindowCloses { get; init; }
    }

    /// <summary>
    /// For every published notice whose window closes within the next N days (today included): its
    /// eligible users subscribed to deadline reminders, except those who confirmed the notice in their
    /// inbox. Run daily; a user who becomes eligible on a later day is reminded that day.
    /// </summary>
    public async Task<ReminderReport> DeadlineRemindersAsync(DateOnly today, CancellationToken ct = default)
    {
        var until = today.AddDays(options.Value.DeadlineReminderDays);
        IReadOnlyList<ClosingNotice> closing;
        ILookup<string, (string Id, string Title)> measures;
        await using (var db = await connections.OpenAsync(ct))
        {
            closing = (await db.QueryAsync<ClosingNotice>("""
                SELECT id, kind, title, window_opens, window_closes FROM notices
                WHERE window_closes IS NOT NULL AND window_closes >= @Today AND window_closes <= @Until
                ORDER BY window_closes, id
                """, new { Today = today, Until = until })).ToList();
            measures = (await db.QueryAsync<(string NoticeId, string MeasureId, string Title)>("""
                SELECT nm.notice_id, nm.measure_id, COALESCE(v.title, nm.measure_id)
                FROM notice_measures nm
                JOIN measures m ON m.id = nm.measure_id
                LEFT JOIN measure_versions v ON v.measure_id = m.id AND v.version = COALESCE(m.published_version, m.current_version)
                ORDER BY nm.notice_id, nm.measure_id
                """)).ToLookup(r => r.NoticeId, r => (r.MeasureId, r.Title));
        }
        int messages = 0, deliveries = 0;
        foreach (var notice in closing)
        {
            var linked = measures[notice.Id].ToList();
            var acknowledged = await outbox.AcknowledgedByAsync("notice:" + notice.Id, ct);
            var users = (await recipients.ForNoticeAsync(notice.Id, linked.Select(m => m.Id).ToList(), NoticeKind.DeadlineReminder, today, ct))
                .Where(r => !acknowledged.Contains(r.UserId))
                .Select(r => r.UserId)
                .ToList();
            if (users.Count == 0)
            {
                continue;
            }
            var draft = new MessageDraft(
                $"deadline:{notice.Id}:{notice.WindowCloses:yyyy-MM-dd}", NoticeKind.DeadlineReminder, notice.Id, null,
                $"{notice.Title}(将于 {notice.WindowCloses:yyyy-MM-dd} 截止)",
                $"《{notice.Title}》的申报将于 {notice.WindowCloses:yyyy-MM-dd} 截止。您所在的企业符合其中至少一项政策的条件。\n\n"
                + "如已办理或不打算申报,请在站内信中确认已读,我们就不再提醒。",
                "/notices/" + notice.Id,
                linked.Select(m => new MessageItem(m.Id, m.Title)).ToList(),
                notice.WindowOpens, notice.WindowCloses);
            var write = await outbox.WriteAsync(draft, users, ct);
            messages += write.InboxAdded > 0 ? 1 : 0;
            deliveries += write.InboxAdded + write.EmailAdded;
        }
        Log("Deadline reminders", messages, deliveries);
        return new ReminderReport(messages, deliveries);
    }

    /// <summary>
    /// Companies whose high-tech enterprise certificate expires within the configured days (about six
    /// months): one reminder per certificate (its number, else its expiry date), to the company's
    /// members subscribed to expiry reminders. A renewed certificate is a new one and is reminded again.
    /// </summary>
    public async Task<ReminderReport> ExpiryRemindersAsync(DateOnly today, CancellationToken ct = default)
    {
        var within = options.Value.ExpiryReminderDays;
        int messages = 0, deliveries = 0;
        foreach (var company in await recipients.SubscribedCompaniesAsync(NoticeKind.QualificationExpiry, null, ct))
        {
            var profile = company.Profile();
            var facts = ProfileFacts.From(profile, today);
            if (facts.HightechExpiresOn is not { } expires || facts.HightechExpiresInDays is not { } days || days < 0 || days > within)
            {
                continue;
            }
            var number = (profile["hightech_certificate"] as JsonObject)?["number"] is JsonValue n && n.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
            var certificate = number ?? expires.ToString("yyyy-MM-dd");
            var draft = new MessageDraft(
                $"expiry:{company.CompanyId}:hightech:{certificate}", NoticeKind.QualificationExpiry, null, company.CompanyId,
                $"{company.CompanyName}的高新技术企业证书将于 {expires:yyyy-MM-dd} 到期",
                $"{company.CompanyName}的高新技术企业证书{(number is null ? "" : $"(编号 {number})")}将于 {expires:yyyy-MM-dd} 到期,还有 {days} 天。\n\n"
                + "高新技术企业资格有效期为三年,期满前需重新申请认定;到期后,以高新技术企业资格为条件的政策将不再符合。"
                + "请留意认定申报通知,并及时在企业画像中更新证书信息。",
                $"/companies/{company.CompanyId}", [], null, null);
            var write = await outbox.WriteAsync(draft, company.Members.Select(m => m.UserId).ToList(), ct);
            messages += write.InboxAdded > 0 ? 1 : 0;
            deliveries += write.InboxAdded + write.EmailAdded;
        }
        Log("Expiry reminders", messages, deliveries);
        return new ReminderReport(messages, deliveries);
    }

    /// <summary>
    /// For each company with a member subscribed to the digest: the published measures (not expired)
    /// it is eligible for today that it was not eligible for at its last digest. Nothing is sent when
    /// nothing is new. The first digest lists everything the company qualifies for.
    /// </summary>
    public async Task<ReminderReport> DigestAsync(DateOnly today, CancellationToken ct = default)
    {
        int messages = 0, deliveries = 0;
        foreach (var company in await recipients.SubscribedCompaniesAsync(NoticeKind.Digest, null, ct))
        {
            ct.ThrowIfCancellationRequested();
            var eligible = await recipients.EligibleMeasuresAsync(company.Profile(), today, ct);
            var now = Stamp.Now(clock);
            await using var db = await connections.OpenAsync(ct);
            await using var tx = await db.BeginTransactionAsync(ct);
            var before = await db.ExecuteScalarAsync<string?>(
                "SELECT measures_json FROM notice_digest_state WHERE company_id = @Company", new { Company = company.CompanyId }, tx);
            List<string> known = before is null ? [] : JsonSerializer.Deserialize<List<string>>(before) ?? [];
            var fresh = eligible.Where(m => !known.Contains(m.MeasureId)).ToList();
            if (fresh.Count > 0)
            {
                var draft = new MessageDraft(
                    $"digest:{company.CompanyId}:{today:yyyy-MM-dd}", NoticeKind.Digest, null, company.CompanyId,
                    $"{company.CompanyName}:新符合条件的政策 {fresh.Count} 项",
                    $"截至 {today:yyyy-MM-dd},按{company.CompanyName}的企业画像,以下政策措施新符合条件。点击标题查看条件与原文,"
                    + "在门户中查看全部匹配结果。",
                    "/companies/" + company.CompanyId,
                    fresh.Select(m => new MessageItem(m.MeasureId, m.Title)).ToList(), null, null);
                var write = await NoticeOutbox.WriteAsync(db, tx, draft, company.Members.Select(m => m.UserId).ToList(), now);
                messages += write.InboxAdded > 0 ? 1 : 0;
                deliveries += write.InboxAdded + write.EmailAdded;
            }
            // Remembered with the message, in one transaction: a crash cannot lose one without the other.
            await db.ExecuteAsync("""
                INSERT INTO notice_digest_state (company_id, measures_json, as_of, updated_at)
                VALUES (@Company, @Measures, @AsOf, @Now)
                ON CONFLICT (company_id) DO UPDATE SET measures_json = excluded.measures_json, as_of = excluded.as_of, updated_at = excluded.updated_at
                """,
                new { Company = company.CompanyId, Measures = JsonSerializer.Serialize(eligible.Select(m => m.MeasureId).Order(StringComparer.Ordinal)), AsOf = today, Now = now }, tx);
            await tx.CommitAsync(ct);
        }
        Log("Digest", messages, deliveries);
        return new ReminderReport(messages, deliveries);
    }

    private void Log(string what, int messages, int deliveries)
    {
        if (messages + deliveries > 0)
        {
            logger.LogInformation("{What}: {Messages} messages, {Deliveries} deliveries written", what, messages, deliveries);
        }
    }
}
