using System.Security.Claims;
using Microsoft.AspNetCore.Identity;

namespace PolicyMatch.Web.Features.Account;

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
