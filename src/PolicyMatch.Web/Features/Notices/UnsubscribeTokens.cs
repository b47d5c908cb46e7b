using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Notices;

public sealed record UnsubscribeRequest(long UserId, string Kind);

/// <summary>
/// One-click unsubscribe links that work without logging in: <c>{user}.{kind}.{expiry day}.{HMAC}</c>,
/// signed with HMAC-SHA256 under a key the migration generated in the database (notice_secrets), so a
/// link stays valid across restarts and machines with nothing to configure, and no other user or kind
/// can be put in it. Valid for a year: long enough for any email someone still reads.
/// </summary>
public sealed class UnsubscribeTokens(IDbConnectionFactory connections, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);
    private const int SignatureBytes = 18;
    private byte[]? _key;

    public async ValueTask<string> IssueAsync(long userId, string kind, CancellationToken ct = default)
    {
        var expires = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime + Lifetime).DayNumber;
        var payload = $"{userId}.{kind}.{expires}";
        return payload + "." + Base64Url.EncodeToString(Sign(await KeyAsync(ct), payload));
    }

    /// <summary>The user and kind a token names, or null when it is tampered with, malformed or expired.</summary>
    public async ValueTask<UnsubscribeRequest?> ReadAsync(string? token, CancellationToken ct = default)
    {
        var parts = (token ?? "").Split('.');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var userId)
            || !NoticeKind.IsSubscribable(parts[1])
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[3]);
        }
        catch (FormatException)
        {
            return null;
        }
        var expected = Sign(await KeyAsync(ct), $"{parts[0]}.{parts[1]}.{parts[2]}");
        if (!CryptographicOperations.FixedTimeEquals(signature, expected))
        {
            return null;
        }
        if (DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).DayNumber > expires)
        {
            return null;
        }
        return new UnsubscribeRequest(userId, parts[1]);
    }

    private static byte[] Sign(byte[] key, string payload) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("policymatch-unsubscribe-v1|" + payload))[..SignatureBytes];

    private async ValueTask<byte[]> KeyAsync(CancellationToken ct)
    {
        if (_key is { } key)
        {
            return key;
        }
        await using var db = await connections.OpenAsync(ct);
        var hex = await db.ExecuteScalarAsync<string?>("SELECT value FROM notice_secrets WHERE name = 'unsubscribe'")
            ?? throw new InvalidOperationException("notice_secrets has no 'unsubscribe' key: migration 0005 has not run");
        return _key = Convert.FromHexString(hex);
    }
}
