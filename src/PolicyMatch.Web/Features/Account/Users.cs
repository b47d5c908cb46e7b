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

    public async Task<int> RecentFailuresAsync(string email, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        return await db.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM login_failures WHERE email = @Email AND failed_at >= @Since",
            new { Email = Normalize(email), Since = Stamp.Of(since) });
    }

    public async Task RecordFailureAsync(string email, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync(
            "INSERT INTO login_failures (email, failed_at) VALUES (@Email, @Now)", new { Email = Normalize(email), Now = Stamp.Now(clock) });
    }

    public async Task ClearFailuresAsync(string email, CancellationToken ct = default)
    {
        await using var db = await connections.OpenAsync(ct);
        await db.ExecuteAsync("DELETE FROM login_failures WHERE email = @Email", new { Email = Normalize(email) });
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

    public static string Hash(string password) => Hasher.HashPassword(new UserRow(), password);

    public async Task<(SignInResult Result, UserRow? User)> CheckPasswordAsync(string email, string password, CancellationToken ct = default)
    {
        if (await users.RecentFailuresAsync(email, clock.GetUtcNow() - FailureWindow, ct) >= MaxFailures)
        {
            return (SignInResult.LockedOut, null);
        }
        var user = await users.FindByEmailAsync(email, ct);
        var verdict = user is null
            ? PasswordVerificationResult.Failed
            : Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await users.RecordFailureAsync(email, ct);
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
