using System.Data.Common;
using Dapper;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Account;

public sealed class UserRepository(IDbConnectionFactory connections, TimeProvider clock)
{
    /// <summary>
    /// Emails are stored and looked up lower-case: addresses are case-insensitive in practice, and one
    /// spelling makes = and the unique index agree on every engine (PostgreSQL has no NOCASE).
    /// </summary>
    public static string Normalize(string email) => email.Trim().ToLowerInvariant();

    public async Task<UserRow?> FindByEmailAsync(string email, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<UserRow>("SELECT * FROM users WHERE email = @Email", new { Email = Normalize(email) });
    }

    public async Task<UserRow?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.QuerySingleOrDefaultAsync<UserRow>("SELECT * FROM users WHERE id = @Id", new { Id = id });
    }

    /// <summary>Creates a user; null when the email is taken (the unique index decides, not a prior read).</summary>
    public async Task<long?> CreateAsync(string email, string displayName, string passwordHash, string role, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<long?>("""
            INSERT INTO users (email, display_name, password_hash, role, created_at)
            VALUES (@Email, @DisplayName, @PasswordHash, @Role, @Now)
            ON CONFLICT (email) DO NOTHING
            RETURNING id
            """, new { Email = Normalize(email), DisplayName = displayName.Trim(), PasswordHash = passwordHash, Role = role, Now = Stamp.Now(clock) });
    }

    /// <summary>
    /// Creates a user who accepted the privacy notice <paramref name="privacyVersion"/>, inside the caller's
    /// transaction (registration makes the user and an advisor's incubator together, or neither); null when
    /// the email is taken.
    /// </summary>
    public static Task<long?> CreateAsync(DbConnection db, DbTransaction tx, string email, string displayName, string passwordHash, string role, string privacyVersion, string now) =>
        db.ExecuteScalarAsync<long?>("""
            INSERT INTO users (email, display_name, password_hash, role, created_at, privacy_version, privacy_accepted_at)
            VALUES (@Email, @DisplayName, @PasswordHash, @Role, @Now, @Privacy, @Now)
            ON CONFLICT (email) DO NOTHING
            RETURNING id
            """, new { Email = Normalize(email), DisplayName = displayName.Trim(), PasswordHash = passwordHash, Role = role, Privacy = privacyVersion, Now = now }, tx);

    public async Task SetPasswordHashAsync(long id, string hash, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @Id", new { Id = id, Hash = hash });
    }

    /// <summary>
    /// Sets a new password and a new security stamp in one statement, so every cookie issued before the
    /// change stops working; returns the new stamp for the session that made the change.
    /// </summary>
    public async Task<string> ChangePasswordAsync(long id, string hash, CancellationToken ct = default)
    {
        var stamp = SecurityStamps.New();
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET password_hash = @Hash, security_stamp = @Stamp WHERE id = @Id", new { Id = id, Hash = hash, Stamp = stamp });
        return stamp;
    }

    /// <summary>A new random stamp for the user: every session signed in until now ends.</summary>
    public async Task<string> RotateSecurityStampAsync(long id, CancellationToken ct = default)
    {
        var stamp = SecurityStamps.New();
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET security_stamp = @Stamp WHERE id = @Id", new { Id = id, Stamp = stamp });
        return stamp;
    }

    /// <summary>
    /// The user's stamp, giving one to users made before stamps existed ('' by the migration) so they can log
    /// in; the conditional update keeps two nodes logging the same user in at once on one stamp.
    /// </summary>
    public async Task<string> EnsureSecurityStampAsync(UserRow user, CancellationToken ct = default)
    {
        if (user.SecurityStamp.Length > 0)
        {
            return user.SecurityStamp;
        }
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET security_stamp = @Stamp WHERE id = @Id AND security_stamp = ''", new { Id = user.Id, Stamp = SecurityStamps.New() });
        return await db.ExecuteScalarAsync<string>("SELECT security_stamp FROM users WHERE id = @Id", new { Id = user.Id }) ?? "";
    }

    /// <summary>The stamp as the database has it now (null for a deleted user): read on every request, so a
    /// change made on one portal node ends the sessions on the other too.</summary>
    public async Task<string?> SecurityStampAsync(long id, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<string?>("SELECT security_stamp FROM users WHERE id = @Id", new { Id = id });
    }

    /// <summary>
    /// Counts a sign-in attempt for the email and returns the count in the current window, in one statement:
    /// the upsert's row lock (PostgreSQL) or the single writer (SQLite) makes parallel attempts count one after
    /// another, so no more than <see cref="AccountService.MaxFailures"/> passwords are ever checked per window.
    /// A window starts at the first attempt after the previous one ended; a success deletes the row.
    /// </summary>
    public async Task<int> CountAttemptAsync(string email, DateTimeOffset windowStartsAfter, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<int>("""
            INSERT INTO login_throttle (email, attempts, window_started) VALUES (@Email, 1, @Now)
            ON CONFLICT (email) DO UPDATE SET
                attempts = CASE WHEN login_throttle.window_started < @Since THEN 1 ELSE login_throttle.attempts + 1 END,
                window_started = CASE WHEN login_throttle.window_started < @Since THEN @Now ELSE login_throttle.window_started END
            RETURNING attempts
            """, new { Email = Normalize(email), Now = Stamp.Now(clock), Since = Stamp.Of(windowStartsAfter) });
    }

    public async Task ClearFailuresAsync(string email, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("DELETE FROM login_throttle WHERE email = @Email", new { Email = Normalize(email) });
    }
}
