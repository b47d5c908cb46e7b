using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Identity;
using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Account;

public static class Roles
{
    public const string Company = "company";
    public const string Advisor = "advisor";
    public const string Admin = "admin";
}

public sealed record UserRow
{
    public long Id { get; init; }
    public string Email { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string PasswordHash { get; init; } = "";
    public string Role { get; init; } = "";
    public string? PrivacyVersion { get; init; }
    public string? PrivacyAcceptedAt { get; init; }
}

/// <summary>The signed-in user as the request sees it.</summary>
public static class CurrentUser
{
    public static long? IdOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static long Id(this ClaimsPrincipal user) =>
        IdOf(user) ?? throw new InvalidOperationException("no signed-in user");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}

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

    public async Task SetPasswordHashAsync(long id, string hash, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("UPDATE users SET password_hash = @Hash WHERE id = @Id", new { Id = id, Hash = hash });
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

/// <summary>Timestamps as sortable ISO-8601 UTC text, the form every table uses.</summary>
public static class Stamp
{
    public static string Of(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ");

    public static string Now(TimeProvider clock) => Of(clock.GetUtcNow());
}

public enum SignInResult { Success, WrongCredentials, LockedOut }

/// <summary>
/// Passwords hashed with the framework's <see cref="PasswordHasher{TUser}"/>; five failures for an
/// email within 15 minutes lock it for the rest of that window, whoever is trying.
/// </summary>
public sealed class AccountService(UserRepository users, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    private static readonly PasswordHasher<UserRow> Hasher = new();

    private static readonly UserRow DummyUser = new();
    private static readonly string DummyHash = Hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());

    public static string Hash(string password) => Hasher.HashPassword(new UserRow(), password);

    private static PasswordVerificationResult Fail(PasswordVerificationResult _) => PasswordVerificationResult.Failed;

    public async Task<(SignInResult Result, UserRow? User)> CheckPasswordAsync(string email, string password, CancellationToken ct = default)
    {
        // Counted before the password is checked (check and record are one statement): the sixth of twenty
        // parallel guesses sees 6 and is refused without a hash being computed.
        if (await users.CountAttemptAsync(email, clock.GetUtcNow() - FailureWindow, ct) > MaxFailures)
        {
            return (SignInResult.LockedOut, null);
        }
        var user = await users.FindByEmailAsync(email, ct);
        // An unknown email costs a hash too, so the answer's timing does not tell which emails are registered.
        var verdict = user is null
            ? Fail(Hasher.VerifyHashedPassword(DummyUser, DummyHash, password))
            : Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return (SignInResult.WrongCredentials, null);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await users.SetPasswordHashAsync(user!.Id, Hash(password), ct);
        }
        await users.ClearFailuresAsync(email, ct);
        return (SignInResult.Success, user);
    }

    public static ClaimsPrincipal Principal(UserRow user) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
        new Claim(ClaimTypes.Name, user.DisplayName),
        new Claim(ClaimTypes.Email, user.Email),
        new Claim(ClaimTypes.Role, user.Role),
    ], Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));
}
