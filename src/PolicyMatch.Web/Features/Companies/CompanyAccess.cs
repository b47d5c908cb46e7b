using System.Security.Claims;
using PolicyMatch.Web.Features.Account;

namespace PolicyMatch.Web.Features.Companies;

/// <summary>What a user may do with a company, strongest first.</summary>
public enum CompanyAccessLevel { None = 0, Advisor = 1, Member = 2, Owner = 3, Admin = 4 }

/// <summary>
/// The one place that decides who sees a company: its members, the advisors of an incubator it is a
/// tenant of, and administrators. Everyone else gets a 404 — not even the company's existence leaks.
/// </summary>
public sealed class CompanyAccess(CompanyRepository companies)
{
    public async Task<CompanyAccessLevel> LevelAsync(ClaimsPrincipal user, long companyId, CancellationToken ct = default)
    {
        if (CurrentUser.IdOf(user) is not { } userId)
        {
            return CompanyAccessLevel.None;
        }
        if (user.IsAdmin())
        {
            return CompanyAccessLevel.Admin;
        }
        switch (await companies.RoleOfAsync(companyId, userId, ct))
        {
            case "owner": return CompanyAccessLevel.Owner;
            case "member": return CompanyAccessLevel.Member;
        }
        return await companies.IsAdvisedByAsync(companyId, userId, ct) ? CompanyAccessLevel.Advisor : CompanyAccessLevel.None;
    }

    public async Task<bool> CanReadAsync(ClaimsPrincipal user, long companyId, CancellationToken ct = default) =>
        await LevelAsync(user, companyId, ct) >= CompanyAccessLevel.Advisor;

    /// <summary>Members edit the profile; advisors read (and fill in through the incubator's tenant form).</summary>
    public async Task<bool> CanEditAsync(ClaimsPrincipal user, long companyId, CancellationToken ct = default) =>
        await LevelAsync(user, companyId, ct) >= CompanyAccessLevel.Member;

    public async Task<bool> CanManageMembersAsync(ClaimsPrincipal user, long companyId, CancellationToken ct = default) =>
        await LevelAsync(user, companyId, ct) >= CompanyAccessLevel.Owner;
}
