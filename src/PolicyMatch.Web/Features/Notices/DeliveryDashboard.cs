using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>What the jobs dashboard shows of the outbox and does with it: each message's deliveries by state, the failed emails, and an administrator's retry (audited).</summary>
public sealed class DeliveryDashboard(IDbConnectionFactory connections, AuditLog audit, TimeProvider clock)
{
    // The states as SQL text, from their one home (DeliveryStatus); constants of the portal, never user input.
    private static readonly string Pending = DeliveryStatus.Pending, Sending = DeliveryStatus.Sending, Sent = DeliveryStatus.Sent,
        Failed = DeliveryStatus.Failed, Skipped = DeliveryStatus.Skipped;

    /// <summary>An administrator's retry of a failed email: pending again, due now, with fresh attempts.</summary>
    public async Task<bool> RetryAsync(long deliveryId, long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        var error = await db.QuerySingleOrDefaultAsync<string?>($"""
            UPDATE notice_deliveries SET status = '{Pending}', attempts = 0, next_attempt_at = @Now
            WHERE id = @Id AND channel = 'email' AND status = '{Failed}'
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
        var count = await db.ExecuteAsync($"""
            UPDATE notice_deliveries SET status = '{Pending}', attempts = 0, next_attempt_at = @Now
            WHERE channel = 'email' AND status = '{Failed}'
            """, new { Now = Stamp.Now(clock) }, tx);
        if (count > 0)
        {
            await audit.WriteAsync(db, tx, userId, AuditAction.DeliveriesRetried, "notice_delivery", DeliveryStatus.Failed, new JsonObject { ["count"] = count });
        }
        await tx.CommitAsync(ct);
        return count;
    }

    /// <summary>The newest messages with their deliveries counted by state.</summary>
    public async Task<IReadOnlyList<MessageProgress>> ProgressAsync(int limit = 50, string? noticeId = null, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<MessageProgress>($"""
            SELECT m.id, m.key, m.kind, m.title, m.created_at,
                   COALESCE(SUM(CASE WHEN d.channel = 'inbox' THEN 1 ELSE 0 END), 0) AS inbox,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = '{Pending}' THEN 1 ELSE 0 END), 0) AS pending,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = '{Sending}' THEN 1 ELSE 0 END), 0) AS sending,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = '{Sent}' THEN 1 ELSE 0 END), 0) AS sent,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = '{Failed}' THEN 1 ELSE 0 END), 0) AS failed,
                   COALESCE(SUM(CASE WHEN d.channel = 'email' AND d.status = '{Skipped}' THEN 1 ELSE 0 END), 0) AS skipped
            FROM (SELECT * FROM notice_messages WHERE @Notice IS NULL OR notice_id = @Notice ORDER BY id DESC LIMIT @Limit) m
            LEFT JOIN notice_deliveries d ON d.message_id = m.id
            GROUP BY m.id, m.key, m.kind, m.title, m.created_at
            ORDER BY m.id DESC
            """, new { Limit = limit, Notice = noticeId })).ToList();
    }

    public async Task<IReadOnlyList<FailedDelivery>> FailedAsync(int limit = 100, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<FailedDelivery>($"""
            SELECT d.id, d.message_id, m.title, u.email, d.attempts, d.last_error, d.created_at
            FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id JOIN users u ON u.id = d.user_id
            WHERE d.channel = 'email' AND d.status = '{Failed}'
            ORDER BY d.id DESC LIMIT @Limit
            """, new { Limit = limit })).ToList();
    }
}
