using Hangfire;
using Hangfire.Dashboard;

namespace PolicyMatch.Web.Infrastructure.Jobs;

/// <summary>
/// Hangfire's dashboard (jobs, recurring schedules, failures with their exceptions, retry and trigger
/// buttons), mounted inside the portal. The caller puts the portal's own authorisation on the endpoint,
/// so a visitor who is not an administrator gets the same answer as on any admin page (sign-in
/// redirect, or the 403 page) and no request of theirs, GET or POST, reaches Hangfire. The dashboard's
/// own filter checks the role again, and its POST actions need the antiforgery token Hangfire's pages
/// carry (ASP.NET Core antiforgery, which the portal registers).
/// </summary>
public static class JobsDashboard
{
    public static IEndpointConventionBuilder MapJobsDashboard(this IEndpointRouteBuilder endpoints, string path, string role, string backToSite) =>
        endpoints.MapHangfireDashboard(path, new DashboardOptions
        {
            Authorization = [new RoleFilter(role)],
            AsyncAuthorization = [],
            IgnoreAntiforgeryToken = false,
            AppPath = backToSite,
            DashboardTitle = "PolicyMatch · Hangfire",
            DisplayStorageConnectionString = false,
        });

    private sealed class RoleFilter(string role) : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(role);
    }
}
