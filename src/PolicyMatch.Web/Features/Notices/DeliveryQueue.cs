using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// The dispatcher's side of the outbox: claims of pending emails, their results (sent, failed, put back),
/// recovery of claims a stopped process left, and skipping emails their user has unsubscribed from since.
/// See README.md for the state machine.
/// </summary>
public sealed class DeliveryQueue(IDbConnectionFactory connections)
{
    // The states as SQL text, from their one home (DeliveryStatus); constants of the portal, never user input.
    private static readonly string Pending = DeliveryStatus.Pending, Sending = DeliveryStatus.Sending, Sent = DeliveryStatus.Sent,
        Failed = DeliveryStatus.Failed, Skipped = DeliveryStatus.Skipped, AccountKind = NoticeKind.Account;

    /// <summary>
    /// Puts back deliveries left in 'sending' by a process that is gone (another runner id: the dispatch
    /// job holds a lease in job_leases, across processes and nodes, so one process dispatches at a time) or by a run of this one whose lease ran out. Their SMTP call may or
    /// may not have reached the server, so these are the only deliveries that can be sent twice.
    /// One that has used up its attempts this way is marked failed rather than tried again.
    /// </summary>
    public async Task<int> RecoverAbandonedAsync(string runner, DateTimeOffset now, int maxAttempts, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync($"""
            UPDATE notice_deliveries
            SET status = CASE WHEN attempts >= @Max THEN '{Failed}' ELSE '{Pending}' END,
                claimed_by = NULL, lease_until = NULL, next_attempt_at = @Now,
                last_error = 'interrupted while sending (the process stopped before recording the result)'
            WHERE channel = 'email' AND status = '{Sending}' AND (claimed_by IS NULL OR claimed_by <> @Runner OR lease_until < @Now)
            """, new { Runner = runner, Now = Stamp.Of(now), Max = maxAttempts });
    }

    /// <summary>Pending emails of a kind the user has unsubscribed from since the fan-out are not sent ('account' messages are no subscription).</summary>
    public async Task<int> SkipUnsubscribedAsync(CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync($"""
            UPDATE notice_deliveries
            SET status = '{Skipped}', last_error = 'unsubscribed before sending'
            WHERE channel = 'email' AND status = '{Pending}'
              AND NOT EXISTS (SELECT 1 FROM notice_messages m JOIN notice_subscriptions s ON s.kind = m.kind
                              WHERE m.id = notice_deliveries.message_id AND s.user_id = notice_deliveries.user_id)
              AND NOT EXISTS (SELECT 1 FROM notice_messages a WHERE a.id = notice_deliveries.message_id AND a.kind = '{AccountKind}')
            """);
    }

    /// <summary>
    /// Claims up to <paramref name="batch"/> due email deliveries in one statement: pending → sending,
    /// attempts + 1 (the claim's stamp), this runner and a lease. Nothing is sent before this commits.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string runner, DateTimeOffset now, TimeSpan lease, int batch, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var ids = (await db.QueryAsync<long>($"""
            UPDATE notice_deliveries
            SET status = '{Sending}', attempts = attempts + 1, claimed_by = @Runner, lease_until = @LeaseUntil
            WHERE id IN (SELECT id FROM notice_deliveries
                         WHERE channel = 'email' AND status = '{Pending}' AND next_attempt_at <= @Now
                         ORDER BY next_attempt_at, id LIMIT @Batch)
            RETURNING id
            """, new { Runner = runner, Now = Stamp.Of(now), LeaseUntil = Stamp.Of(now + lease), Batch = batch })).ToList();
        if (ids.Count == 0)
        {
            return [];
        }
        var deliveries = await db.QueryAsync<ClaimedDelivery>($"""
            SELECT d.id, d.message_id, d.user_id, d.attempts, u.email, u.display_name
            FROM notice_deliveries d JOIN users u ON u.id = d.user_id
            WHERE {connections.Dialect.InJsonIds("d.id", "@Ids")}
            ORDER BY d.id
            """, new { Ids = JsonSerializer.Serialize(ids) });
        // The companies each email names, read here for the whole claim: one query per claim on the
        // claiming connection, not one per email on a connection of its own.
        var concerned = await NoticeOutbox.ConcernedAsync(db, ids);
        return deliveries.Select(d => concerned.Contains(d.Id) ? d with { Concerned = concerned[d.Id].ToList() } : d).ToList();
    }

    private static readonly string MarkSentSql = $"""
        UPDATE notice_deliveries
        SET status = '{Sent}', sent_at = @Now, claimed_by = NULL, lease_until = NULL, last_error = NULL
        WHERE id = @Id AND status = '{Sending}' AND attempts = @Attempts
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
        return await db.ExecuteAsync($"""
            UPDATE notice_deliveries
            SET status = CASE WHEN @RetryAt IS NULL THEN '{Failed}' ELSE '{Pending}' END,
                next_attempt_at = COALESCE(@RetryAt, next_attempt_at),
                last_error = @Error, claimed_by = NULL, lease_until = NULL
            WHERE id = @Id AND status = '{Sending}' AND attempts = @Attempts
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
        return await db.ExecuteAsync($"""
            UPDATE notice_deliveries
            SET status = '{Pending}', attempts = attempts - 1, claimed_by = NULL, lease_until = NULL
            WHERE id = @Id AND status = '{Sending}' AND attempts = @Attempts
            """, unstarted.Select(d => new { d.Id, d.Attempts }));
    }
}
