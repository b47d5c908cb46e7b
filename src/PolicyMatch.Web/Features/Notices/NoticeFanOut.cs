using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Infrastructure.Time;

namespace PolicyMatch.Web.Features.Notices;

public sealed record FanOutResult(string NoticeId, int Recipients, OutboxWrite Write);

/// <summary>
/// At a notice's send time: works out its recipients (as of the send date), then in one transaction
/// publishes it (a row in <c>notices</c>) and writes one delivery per recipient and channel. Nothing is
/// sent here; the dispatcher sends the email deliveries afterwards.
/// </summary>
public sealed class NoticeFanOut(
    IDbConnectionFactory connections, NoticeSchedules schedules, RecipientResolver recipients, CatalogCache catalog,
    TimeProvider clock, ILogger<NoticeFanOut> logger)
{
    public Task<IReadOnlyList<FanOutResult>> FanOutDueAsync(CancellationToken ct = default) => FanOutDueAsync(clock.GetUtcNow(), ct);

    public async Task<IReadOnlyList<FanOutResult>> FanOutDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var results = new List<FanOutResult>();
        foreach (var id in await schedules.DueAsync(now, ct))
        {
            ct.ThrowIfCancellationRequested();
            if (await FanOutAsync(id, ct) is { } result)
            {
                results.Add(result);
            }
        }
        return results;
    }

    /// <summary>
    /// Fans out one notice. Idempotent: run again (or after a crash), it adds only deliveries that are
    /// missing — the outbox's unique (message, user, channel) sees to that. A cancelled notice is not sent.
    /// </summary>
    public async Task<FanOutResult?> FanOutAsync(string id, CancellationToken ct = default)
    {
        var notice = await schedules.FindAsync(id, ct);
        if (notice is null || notice.Status == NoticeStatus.Cancelled)
        {
            return null;
        }
        var measureIds = await schedules.MeasuresOfAsync(id, ct);
        var asOf = BeijingTime.DateOf(notice.SendAtInstant);
        var users = await recipients.ForNoticeAsync(id, measureIds, notice.Kind, asOf, ct);
        var titles = (await catalog.GetPublishedAsync(ct)).ToDictionary(m => m.Row.MeasureId, m => m.Row.Title);
        var draft = new MessageDraft(
            "notice:" + id, notice.Kind, id, null, notice.Title, notice.Body, "/notices/" + id,
            measureIds.Select(m => new MessageItem(m, titles.GetValueOrDefault(m, m))).ToList(),
            notice.WindowOpens, notice.WindowCloses);

        var now = Stamp.Now(clock);
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        // Checked inside the transaction that writes: a notice cancelled a moment ago stays unsent.
        var status = await db.ExecuteScalarAsync<NoticeStatus?>("SELECT status FROM notice_schedules WHERE id = @Id", new { Id = id }, tx);
        if (status != NoticeStatus.Scheduled && status != NoticeStatus.Sent)
        {
            return null;
        }
        await db.ExecuteAsync("""
            INSERT INTO notices (id, kind, title, body, published_on, window_opens, window_closes, source_document, notes, content_hash)
            VALUES (@Id, @Kind, @Title, @Body, @PublishedOn, @WindowOpens, @WindowCloses, @SourceDocument, @Notes, @Hash)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                notice.Id,
                notice.Kind,
                notice.Title,
                notice.Body,
                PublishedOn = asOf,
                notice.WindowOpens,
                notice.WindowCloses,
                notice.SourceDocument,
                Notes = $"written in the portal by {notice.CreatedByName ?? "an administrator"}",
                Hash = CatalogRepository.Hash($"{notice.Kind}\n{notice.Title}\n{notice.Body}\n{notice.WindowOpens}\n{notice.WindowCloses}"),
            }, tx);
        await db.ExecuteAsync("""
            INSERT INTO notice_measures (notice_id, measure_id) VALUES (@Id, @Measure) ON CONFLICT DO NOTHING
            """, measureIds.Select(m => new { Id = id, Measure = m }), tx);
        var write = await NoticeOutbox.WriteAsync(db, tx, draft, users.Select(u => u.UserId).ToList(), now);
        // Which companies it concerns, so each user's email and inbox item names theirs.
        await NoticeOutbox.WriteCompaniesAsync(db, tx, write.MessageId, users.SelectMany(u => u.CompanyIds).ToList());
        await db.ExecuteAsync("""
            UPDATE notice_schedules
            SET status = @Sent, sent_at = COALESCE(sent_at, @Now),
                recipients = (SELECT COUNT(*) FROM notice_deliveries WHERE message_id = @Message AND channel = 'inbox')
            WHERE id = @Id
            """, new { Id = id, Now = now, Message = write.MessageId, NoticeStatus.Sent }, tx);
        await tx.CommitAsync(ct);
        logger.LogInformation("Notice {Id} fanned out: {Users} recipients, {Inbox} inbox and {Email} email deliveries added",
            id, users.Count, write.InboxAdded, write.EmailAdded);
        return new FanOutResult(id, users.Count, write);
    }
}
