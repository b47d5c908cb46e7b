using System.Data.Common;
using System.Security.Claims;
using Dapper;
using Microsoft.AspNetCore.Authentication;
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
    /// <summary>Carried in the auth cookie; a cookie with another value is refused (see <see cref="SecurityStamps"/>).</summary>
    public string SecurityStamp { get; init; } = "";
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

    public static ClaimsPrincipal Principal(UserRow user, string securityStamp) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()),
        new Claim(SecurityStamps.ClaimType, securityStamp),
        new Claim(ClaimTypes.Name, user.DisplayName),
        new Claim(ClaimTypes.Email, user.Email),
        new Claim(ClaimTypes.Role, user.Role),
    ], Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme));
}

/// <summary>
/// Sessions that end: the auth cookie carries the user's security stamp, and each request compares it with
/// the database (one primary-key read, shared by every portal node). Password change, logout and
/// "sign out everywhere" write a new stamp, so copies of older cookies are refused from the next request on.
/// No cache: a cached stamp would let a stolen cookie outlive the logout for the cache's lifetime.
/// </summary>
public static class SecurityStamps
{
    public const string ClaimType = "policymatch:security_stamp";

    public static string New() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static async Task ValidateAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = principal is null ? null : CurrentUser.IdOf(principal);
        var claimed = principal?.FindFirstValue(ClaimType);
        if (id is not null && !string.IsNullOrEmpty(claimed))
        {
            var users = context.HttpContext.RequestServices.GetRequiredService<UserRepository>();
            var current = await users.SecurityStampAsync(id.Value, context.HttpContext.RequestAborted);
            if (current is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                    System.Text.Encoding.UTF8.GetBytes(current), System.Text.Encoding.UTF8.GetBytes(claimed)))
            {
                return;
            }
        }
        // Refused: the request continues anonymous (pages redirect to login, the API answers 401) and the
        // browser is told to drop the cookie.
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
