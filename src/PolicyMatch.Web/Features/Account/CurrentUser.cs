using System.Security.Claims;

namespace PolicyMatch.Web.Features.Account;

/// <summary>The signed-in user as the request sees it.</summary>
public static class CurrentUser
{
    public static long? IdOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static long Id(this ClaimsPrincipal user) =>
        IdOf(user) ?? throw new InvalidOperationException("no signed-in user");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);
}
