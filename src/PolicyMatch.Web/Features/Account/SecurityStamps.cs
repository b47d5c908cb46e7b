using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace PolicyMatch.Web.Features.Account;

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
