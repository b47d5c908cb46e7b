using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

/// <summary>
/// A user's inbox (their 'inbox' deliveries) and their subscriptions. Every query is scoped by the
/// user id the caller passes, which is always the signed-in user's: nobody reads another's items.
/// </summary>
public sealed class NoticeInbox(IDbConnectionFactory connections, TimeProvider clock)
{
    public const int PageSize = 50;

    public async Task<int> UnreadCountAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM notice_deliveries WHERE user_id = @User AND channel = 'inbox' AND acknowledged_at IS NULL",
            new { User = userId });
    }

    public async Task<IReadOnlyList<InboxItem>> ListAsync(long userId, int limit = PageSize, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var items = (await db.QueryAsync<InboxItem>("""
            SELECT d.id, m.kind, m.title, m.body, m.link, m.items_json, m.window_opens, m.window_closes, d.created_at, d.acknowledged_at,
                   CASE WHEN c.id IS NOT NULL AND c.verified_at IS NULL THEN 1 ELSE 0 END AS company_unverified
            FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id LEFT JOIN companies c ON c.id = m.company_id
            WHERE d.user_id = @User AND d.channel = 'inbox'
            ORDER BY d.id DESC LIMIT @Limit
            """, new { User = userId, Limit = limit })).ToList();
        if (items.Count == 0)
        {
            return items;
        }
        // The user's companies each notice concerns (notice_message_companies, written at fan-out).
        var concerned = await NoticeOutbox.ConcernedAsync(db, items.Select(i => i.Id).ToList());
        return items.Select(i => concerned.Contains(i.Id) ? i with { Companies = concerned[i.Id].Select(c => c.Name).ToList() } : i).ToList();
    }

    /// <summary>The user's inbox item for a published notice, if they got one.</summary>
    public async Task<InboxItem?> ForNoticeAsync(long userId, string noticeId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<InboxItem>("""
            SELECT d.id, m.kind, m.title, m.body, m.link, m.items_json, m.window_opens, m.window_closes, d.created_at, d.acknowledged_at
            FROM notice_deliveries d JOIN notice_messages m ON m.id = d.message_id
            WHERE d.user_id = @User AND d.channel = 'inbox' AND m.key = @Key
            """, new { User = userId, Key = "notice:" + noticeId });
    }

    /// <summary>Marks one of the user's own items read; false when it is not theirs (or not there).</summary>
    public async Task<bool> AcknowledgeAsync(long userId, long deliveryId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        var mine = await db.ExecuteScalarAsync<long?>("""
            UPDATE notice_deliveries SET acknowledged_at = COALESCE(acknowledged_at, @Now)
            WHERE id = @Id AND user_id = @User AND channel = 'inbox'
            RETURNING id
            """, new { Id = deliveryId, User = userId, Now = Stamp.Now(clock) });
        return mine is not null;
    }

    // ---- subscriptions -----------------------------------------------------------------------

    public async Task<IReadOnlySet<string>> SubscriptionsAsync(long userId, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return (await db.QueryAsync<string>("SELECT kind FROM notice_subscriptions WHERE user_id = @User", new { User = userId })).ToHashSet();
    }

    /// <summary>Makes the user's subscriptions exactly <paramref name="kinds"/> (unknown kinds are ignored).</summary>
    public async Task SetSubscriptionsAsync(long userId, IEnumerable<string> kinds, CancellationToken ct = default)
    {
        var wanted = kinds.Where(NoticeKind.IsSubscribable).Distinct().ToList();
        await using var db = await connections.OpenAsync(ct);
        await using var tx = await db.BeginTransactionAsync(ct);
        await db.ExecuteAsync($"""
            DELETE FROM notice_subscriptions
            WHERE user_id = @User AND kind NOT IN (SELECT j.value FROM {connections.Dialect.JsonArrayRows("@Kinds", "j")})
            """, new { User = userId, Kinds = System.Text.Json.JsonSerializer.Serialize(wanted) }, tx);
        await db.ExecuteAsync("""
            INSERT INTO notice_subscriptions (user_id, kind, subscribed_at) VALUES (@User, @Kind, @Now)
            ON CONFLICT (user_id, kind) DO NOTHING
            """, wanted.Select(k => new { User = userId, Kind = k, Now = Stamp.Now(clock) }), tx);
        await tx.CommitAsync(ct);
    }

    public async Task SubscribeAsync(long userId, string kind, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("""
            INSERT INTO notice_subscriptions (user_id, kind, subscribed_at) VALUES (@User, @Kind, @Now)
            ON CONFLICT (user_id, kind) DO NOTHING
            """, new { User = userId, Kind = kind, Now = Stamp.Now(clock) });
    }

    /// <summary>Ends one subscription; false if there was none.</summary>
    public async Task<bool> UnsubscribeAsync(long userId, string kind, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteAsync("DELETE FROM notice_subscriptions WHERE user_id = @User AND kind = @Kind", new { User = userId, Kind = kind }) == 1;
    }

    public async Task<bool> IsSubscribedAsync(long userId, string kind, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<bool>(
            "SELECT EXISTS (SELECT 1 FROM notice_subscriptions WHERE user_id = @User AND kind = @Kind)", new { User = userId, Kind = kind });
    }
}
