using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// The transactional outbox: messages and their deliveries (one per user and channel), written before
/// anything is sent, and the dispatcher's claims and results. See README.md for the state machine.
/// </summary>
public sealed class NoticeOutbox(IDbConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Writes a message and one delivery per user and channel, inside the caller's transaction. Idempotent:
    /// the message is found by its key and the unique (message, user, channel) drops what exists, so
    /// running it again adds only users who were not there before.
    /// </summary>
    public static async Task<OutboxWrite> WriteAsync(DbConnection db, DbTransaction tx, MessageDraft draft, IReadOnlyCollection<long> userIds, string now)
    {
        await db.ExecuteAsync("""
            INSERT INTO notice_messages (key, kind, notice_id, company_id, title, body, link, items_json, window_opens, window_closes, created_at)
            VALUES (@Key, @Kind, @NoticeId, @CompanyId, @Title, @Body, @Link, @Items, @WindowOpens, @WindowCloses, @Now)
            ON CONFLICT (key) DO NOTHING
            """,
            new
            {
                draft.Key,
                draft.Kind,
                draft.NoticeId,
                draft.CompanyId,
                draft.Title,
                draft.Body,
                draft.Link,
                Items = MessageItems.Write(draft.Items),
                draft.WindowOpens,
                draft.WindowCloses,
                Now = now,
            }, tx);
        var messageId = await db.ExecuteScalarAsync<long>("SELECT id FROM notice_messages WHERE key = @Key", new { draft.Key }, tx);
        var users = JsonSerializer.Serialize(userIds.Distinct().Order());
        // One statement per channel, however many users: the JSON id list becomes rows.
        // An inbox delivery is delivered by being written; an email one waits for the dispatcher.
        var userRows = SqlDialect.Of(db).JsonArrayRows("@Users", "j");
        var inbox = await db.ExecuteAsync($"""
            INSERT INTO notice_deliveries (message_id, user_id, channel, status, created_at, sent_at)
            SELECT @Message, CAST(j.value AS BIGINT), 'inbox', 'sent', @Now, @Now FROM {userRows} WHERE true
            ON CONFLICT (message_id, user_id, channel) DO NOTHING
            """, new { Message = messageId, Users = users, Now = now }, tx);
        var email = await db.ExecuteAsync($"""
            INSERT INTO notice_deliveries (message_id, user_id, channel, status, next_attempt_at, created_at)
            SELECT @Message, CAST(j.value AS BIGINT), 'email', 'pending', @Now, @Now FROM {userRows} WHERE true
            ON CONFLICT (message_id, user_id, channel) DO NOTHING
            """, new { Message = messageId, Users = users, Now = now }, tx);
        return new OutboxWrite(messageId, inbox, email);
    }

    /// <summary>Records the companies a message concerns (one statement, however many); idempotent.</summary>
    public static async Task WriteCompaniesAsync(DbConnection db, DbTransaction tx, long messageId, IReadOnlyCollection<long> companyIds)
    {
        var rows = SqlDialect.Of(db).JsonArrayRows("@Companies", "j");
        await db.ExecuteAsync($"""
            INSERT INTO notice_message_companies (message_id, company_id)
            SELECT @Message, CAST(j.value AS BIGINT) FROM {rows} WHERE true
            ON CONFLICT (message_id, company_id) DO NOTHING
            """, new { Message = messageId, Companies = JsonSerializer.Serialize(companyIds.Distinct().Order()) }, tx);
    }

    /// <summary>
    /// The user's companies that a message concerns, by name, and whether each is verified. It starts
    /// from the user's few memberships (ix_company_members_user) and looks each up in the message's rows:
    /// SQLite, without statistics, would otherwise start from the message's rows (10,000 for a
    /// district-wide notice). CROSS JOIN fixes that order in SQLite; the conditions are in WHERE because
    /// PostgreSQL allows no ON after CROSS JOIN (and plans the join itself). The dispatcher reads the same
    /// for a whole claim in <see cref="ClaimAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<ConcernedCompany>> CompaniesConcernedAsync(long messageId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<(string Name, string? VerifiedAt)>("""
            SELECT c.name, c.verified_at FROM company_members m
            CROSS JOIN notice_message_companies x
            JOIN companies c ON c.id = m.company_id
            WHERE m.user_id = @User AND x.message_id = @Message AND x.company_id = m.company_id
            ORDER BY c.name
            """, new { Message = messageId, User = userId })).Select(r => new ConcernedCompany(r.Name, r.VerifiedAt)).ToList();
    }

    /// <summary><see cref="WriteAsync(DbConnection, DbTransaction, MessageDraft, IReadOnlyCollection{long}, string)"/> in a transaction of its own.</summary>
    public async Task<OutboxWrite> WriteAsync(MessageDraft draft, IReadOnlyCollection<long> userIds, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var result = await WriteAsync(db, tx, draft, userIds, Stamp.Now(clock));
        await tx.CommitAsync(ct);
        return result;
    }

    public async Task<MessageRow?> FindMessageAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<MessageRow>("SELECT * FROM notice_messages WHERE id = @Id", new { Id = id });
    }

    public async Task<MessageRow?> FindMessageAsync(string key, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<MessageRow>("SELECT * FROM notice_messages WHERE key = @Key", new { Key = key });
    }

    /// <summary>Users who confirmed the message with this key in their inbox.</summary>
    public async Task<IReadOnlySet<long>> AcknowledgedByAsync(string key, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<long>("""
            SELECT d.user_id FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE m.key = @Key AND d.channel = 'inbox' AND d.acknowledged_at IS NOT NULL
            """, new { Key = key })).ToHashSet();
    }

    // ---- dispatch ----------------------------------------------------------------------------

    /// <summary>
    /// Puts back deliveries left in 'sending' by a process that is gone (another runner id: the dispatch
    /// job holds a lease in job_leases, across processes and nodes, so one process dispatches at a time) or by a run of this one whose lease ran out. Their SMTP call may or
    /// may not have reached the server, so these are the only deliveries that can be sent twice.
    /// One that has used up its attempts this way is marked failed rather than tried again.
    /// </summary>
    public async Task<int> RecoverAbandonedAsync(string runner, DateTimeOffset now, int maxAttempts, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync("""
            UPDATE notice_deliveries
            SET status = CASE WHEN attempts >= @Max THEN 'failed' ELSE 'pending' END,
                claimed_by = NULL, lease_until = NULL, next_attempt_at = @Now,
                last_error = 'interrupted while sending (the process stopped before recording the result)'
            WHERE channel = 'email' AND status = 'sending' AND (claimed_by IS NULL OR claimed_by <> @Runner OR lease_until < @Now)
            """, new { Runner = runner, Now = Stamp.Of(now), Max = maxAttempts });
    }

    /// <summary>Pending emails of a kind the user has unsubscribed from since the fan-out are not sent ('account' messages are no subscription).</summary>
    public async Task<int> SkipUnsubscribedAsync(CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync("""
            UPDATE notice_deliveries
            SET status = 'skipped', last_error = 'unsubscribed before sending'
            WHERE channel = 'email' AND status = 'pending'
              AND NOT EXISTS (SELECT 1 FROM notice_messages m JOIN notice_subscriptions s ON s.kind = m.kind
                              WHERE m.id = notice_deliveries.message_id AND s.user_id = notice_deliveries.user_id)
              AND NOT EXISTS (SELECT 1 FROM notice_messages a WHERE a.id = notice_deliveries.message_id AND a.kind = 'account')
            """);
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> due email deliveries in one statement: pending → sending,
    /// attempts + 1 (the claim's stamp), this runner and a lease. Nothing is sent before this commits.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string runner, DateTimeOffset now, TimeSpan lease, int batch, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var ids = (await db.QueryAsync<long>("""
            UPDATE notice_deliveries
            SET status = 'sending', attempts = attempts + 1, claimed_by = @Runner, lease_until = @LeaseUntil
            WHERE id IN (SELECT id FROM notice_deliveries
                         WHERE channel = 'email' AND status = 'pending' AND next_attempt_at <= @Now
                         ORDER BY next_attempt_at, id LIMIT @Batch)
            RETURNING id
            """, new { Runner = runner, Now = Stamp.Of(now), LeaseUntil = Stamp.Of(now + lease), Batch = batch })).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var claimed = new { Ids = JsonSerializer.Serialize(ids) };
        var idRows = connections.Dialect.JsonArrayRows("@Ids", "j");
        var deliveries = await db.QueryAsync<ClaimedDelivery>($"""
            SELECT d.id, d.message_id, d.user_id, d.attempts, u.email, u.display_name
            FROM notice_deliveries d JOIN users u ON u.id = d.user_id
            WHERE d.id IN (SELECT CAST(j.value AS BIGINT) FROM {idRows})
            ORDER BY d.id
            """, claimed);
        // The user's companies each email names, read here for the whole claim: one query per claim
        // on the claiming connection, not one per email on a connection of its own. A read per email,
        // 16 at a time beside the dispatcher's writes, cut dispatch from about 500 to 87 emails/s.
        var concerned = (await db.QueryAsync<(long DeliveryId, string Name, string? VerifiedAt)>($"""
            SELECT d.id, c.name, c.verified_at
            FROM notice_deliveries d
            CROSS JOIN company_members m
            CROSS JOIN notice_message_companies x
            JOIN companies c ON c.id = m.company_id
            WHERE d.id IN (SELECT CAST(j.value AS BIGINT) FROM {idRows})
              AND m.user_id = d.user_id AND x.message_id = d.message_id AND x.company_id = m.company_id
            ORDER BY c.name
            """, claimed)).ToLookup(r => r.DeliveryId, r => new ConcernedCompany(r.Name, r.VerifiedAt));
        return deliveries.Select(d => concerned.Contains(d.Id) ? d with { Concerned = concerned[d.Id].ToList() } : d).ToList();
    }

    private const string MarkSentSql = """
        UPDATE notice_deliveries
        SET status = 'sent', sent_at = @Now, claimed_by = NULL, lease_until = NULL, last_error = NULL
        WHERE id = @Id AND status = 'sending' AND attempts = @Attempts
        """;

    /// <summary>Records a send the SMTP server accepted; only the claim that sent it can (same attempt stamp).</summary>
    public async Task<bool> MarkSentAsync(ClaimedDelivery d, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync(MarkSentSql, new { d.Id, d.Attempts, Now = Stamp.Of(now) }) == 1;
    }

    /// <summary>
    /// <see cref="MarkSentAsync(ClaimedDelivery, DateTimeOffset, CancellationToken)"/> for several sends, in one
    /// transaction: one commit instead of one per email.
    /// </summary>
    public async Task MarkSentAsync(IReadOnlyList<(ClaimedDelivery Delivery, DateTimeOffset At)> sends, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        foreach (var (d, at) in sends)
        {
            await db.ExecuteAsync(MarkSentSql, new { d.Id, d.Attempts, Now = Stamp.Of(at) }, tx);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Records a failed send: back to pending with its next attempt time, or failed for good.</summary>
    public async Task<bool> MarkFailedAsync(ClaimedDelivery d, string error, DateTimeOffset? retryAt, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync("""
            UPDATE notice_deliveries
            SET status = CASE WHEN @RetryAt IS NULL THEN 'failed' ELSE 'pending' END,
                next_attempt_at = COALESCE(@RetryAt, next_attempt_at),
                last_error = @Error, claimed_by = NULL, lease_until = NULL
            WHERE id = @Id AND status = 'sending' AND attempts = @Attempts
            """, new { d.Id, d.Attempts, Error = error, RetryAt = retryAt is { } t ? Stamp.Of(t) : null }) == 1;
    }

    /// <summary>Claims a run took but never handed to SMTP go back as they were (the attempt is not counted).</summary>
    public async Task<int> ReleaseAsync(IReadOnlyCollection<ClaimedDelivery> unstarted, CancellationToken ct = default)
    {
        if (unstarted.Count == 0)
        {
            return 0;
        }
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync("""
            UPDATE notice_deliveries
            SET status = 'pending', attempts = attempts - 1, claimed_by = NULL, lease_until = NULL
            WHERE id = @Id AND status = 'sending' AND attempts = @Attempts
            """, unstarted.Select(d => new { d.Id, d.Attempts }));
    }

    /// <summary>An administrator's retry of a failed email: pending again, due now, with fresh attempts.</summary>
    public async Task<bool> RetryAsync(long deliveryId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var error = await db.QuerySingleOrDefaultAsync<string?>("""
            UPDATE notice_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @Now
            WHERE id = @Id AND channel = 'email' AND status = 'failed'
            RETURNING COALESCE(last_error, '')
            """, new { Id = deliveryId, Now = Stamp.Now(clock) }, tx);
        if (error is null)
        {
            return false;
        }
        await audit.WriteAsync(db, tx, userId, AuditAction.DeliveryRetried, "notice_delivery", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new JsonObject { ["last_error"] = error });
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Every failed email back to pending (after an SMTP outage, say); returns how many.</summary>
    public async Task<int> RetryAllFailedAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var count = await db.ExecuteAsync("""
            UPDATE notice_deliveries SET status = 'pending', attempts = 0, next_attempt_at = @Now
            WHERE channel = 'email' AND status = 'failed'
            """, new { Now = Stamp.Now(clock) }, tx);
        if (count > 0)
        {
            await audit.WriteAsync(db, tx, userId, AuditAction.DeliveriesRetried, "notice_delivery", DeliveryStatus.Failed, new JsonObject { ["count"] = count });
        }
        await tx.CommitAsync(ct);
        return count;
    }

    // ---- the jobs dashboard --------------------------------------------------------------------

    /// <summary>The newest messages with their deliveries counted by state.</summary>
    public async Task<IReadOnlyList<MessageProgress>> ProgressAsync(int limit = 50, string? noticeId = null, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<MessageProgress>("""
            SELECT m.id, m.key, m.kind, m.title, m.created_at,
                   COALESCE(SUM(CASE WHEN d.channel = 'inbox' THEN 1 ELSE 0 END), 0) AS inbox,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = 'pending' THEN 1 ELSE 0 END), 0) AS pending,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = 'sending' THEN 1 ELSE 0 END), 0) AS sending,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = 'sent' THEN 1 ELSE 0 END), 0) AS sent,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = 'failed' THEN 1 ELSE 0 END), 0) AS failed,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = 'skipped' THEN 1 ELSE 0 END), 0) AS skipped
            FROM (SELECT * FROM notice_messages WHERE @Notice IS NULL OR notice_id = @Notice ORDER BY id DESC LIMIT @Limit) m
            LEFT JOIN notice_deliveries d ON d.message_id = m.id
            GROUP BY m.id, m.key, m.kind, m.title, m.created_at
            ORDER BY m.id DESC
            """, new { Limit = limit, Notice = noticeId })).ToList();
    }

    public async Task<IReadOnlyList<FailedDelivery>> FailedAsync(int limit = 100, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<FailedDelivery>("""
            SELECT d.id, d.message_id, m.title, u.email, d.attempts, d.last_error, d.created_at
            FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id JOIN users u ON u.id = d.user_id
            WHERE d.channel = 'email' AND d.status = 'failed'
            ORDER BY d.id DESC LIMIT @Limit
            """, new { Limit = limit })).ToList();
    }
}
