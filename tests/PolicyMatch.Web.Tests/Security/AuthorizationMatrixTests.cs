using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Security;

/// <summary>Who may call an endpoint.</summary>
public enum Gate
{
    /// <summary>Anyone, signed in or not.</summary>
    Public,
    /// <summary>Any signed-in user.</summary>
    SignedIn,
    /// <summary>Company users (and administrators), scoped further by the data each page shows.</summary>
    CompanyUsers,
    /// <summary>Members of the company in the URL, its incubator's advisors, administrators.</summary>
    CompanyData,
    /// <summary>Members of the company with the right to edit (not advisors).</summary>
    CompanyMembers,
    /// <summary>Owners of the company (and administrators).</summary>
    CompanyOwners,
    /// <summary>Incubator advisors (their own incubator) and administrators.</summary>
    Advisors,
    /// <summary>Administrators only.</summary>
    Admins,
    /// <summary>The operator's bearer token (catalog import).</summary>
    OperatorToken,
}

/// <summary>
/// Every controller action and API endpoint, classified, and checked against each role and a
/// foreign company's ids: no access where none is due (401/403/404 or a redirect to log in), never data.
/// A new endpoint fails the first test until it is added here with its gate.
/// </summary>
public class AuthorizationMatrixTests(Portal portal) : IClassFixture<Portal>
{
    /// <summary>(method, route pattern) → gate, and a sample path with {company} for a company id.</summary>
    public static readonly IReadOnlyList<(string Method, string Pattern, Gate Gate, string Sample)> Matrix =
    [
        ("GET", "/", Gate.Public, "/"),
        ("GET", "/check", Gate.Public, "/check?District=%E6%98%8C%E5%B9%B3%E5%8C%BA"),
        ("GET", "/check/edit", Gate.Public, "/check/edit?District=%E6%98%8C%E5%B9%B3%E5%8C%BA"),
        ("GET", "/check/calendar.ics", Gate.Public, "/check/calendar.ics?District=%E6%98%8C%E5%B9%B3%E5%8C%BA"),
        ("GET", "/measures", Gate.Public, "/measures"),
        ("GET", "/measures/{id}", Gate.Public, "/measures/{measure}"),
        ("GET", "/plans", Gate.Public, "/plans"),
        ("GET", "/plans/{id}", Gate.Public, "/plans/000"),
        ("GET", "/plans/coverage", Gate.Admins, "/plans/coverage"),
        ("GET", "/api-docs", Gate.Public, "/api-docs"),
        ("GET", "/error", Gate.Public, "/error"),
        ("GET", "/error/{status:int}", Gate.Public, "/error/404"),
        ("POST", "/api/match", Gate.Public, "/api/match"),
        ("GET", "/api/measures", Gate.Public, "/api/measures"),
        ("GET", "/api/measures/{id}", Gate.Public, "/api/measures/{measure}"),
        ("GET", "/api/plans", Gate.Public, "/api/plans"),
        ("GET", "/api/notices", Gate.Public, "/api/notices"),
        ("POST", "/api/rules/evaluate", Gate.Public, "/api/rules/evaluate"),
        ("GET", "/api/catalog", Gate.Public, "/api/catalog"),
        ("POST", "/api/catalog", Gate.OperatorToken, "/api/catalog"),
        ("GET", "/account/register", Gate.Public, "/account/register"),
        ("POST", "/account/register", Gate.Public, "/account/register"),
        ("GET", "/account/login", Gate.Public, "/account/login"),
        ("POST", "/account/login", Gate.Public, "/account/login"),
        ("POST", "/account/logout", Gate.Public, "/account/logout"),
        ("GET", "/account/password", Gate.SignedIn, "/account/password"),
        ("POST", "/account/password", Gate.SignedIn, "/account/password"),
        ("POST", "/account/sign-out-everywhere", Gate.SignedIn, "/account/sign-out-everywhere"),
        ("GET", "/companies", Gate.CompanyUsers, "/companies"),
        ("GET", "/companies/new", Gate.CompanyUsers, "/companies/new"),
        ("POST", "/companies/new", Gate.CompanyUsers, "/companies/new"),
        ("POST", "/companies/join", Gate.CompanyUsers, "/companies/join"),
        ("GET", "/companies/{id:long}", Gate.CompanyData, "/companies/{company}"),
        ("GET", "/companies/{id:long}/profile", Gate.CompanyMembers, "/companies/{company}/profile"),
        ("POST", "/companies/{id:long}/profile", Gate.CompanyMembers, "/companies/{company}/profile"),
        ("GET", "/companies/{id:long}/history", Gate.CompanyData, "/companies/{company}/history"),
        ("GET", "/companies/{id:long}/calendar.ics", Gate.CompanyData, "/companies/{company}/calendar.ics"),
        ("POST", "/companies/{id:long}/requests/{requestId:long}/{decision:regex(^(approve|reject)$)}", Gate.CompanyOwners, "/companies/{company}/requests/1/approve"),
        ("GET", "/incubator", Gate.Advisors, "/incubator"),
        ("GET", "/incubator/{id:long}", Gate.Advisors, "/incubator/1"),
        ("GET", "/incubator/tenants/new", Gate.Advisors, "/incubator/tenants/new"),
        ("POST", "/incubator/tenants/new", Gate.Advisors, "/incubator/tenants/new"),
        ("GET", "/incubator/tenants/{companyId:long}/remove", Gate.Advisors, "/incubator/tenants/{company}/remove"),
        ("POST", "/incubator/tenants/{companyId:long}/remove", Gate.Advisors, "/incubator/tenants/{company}/remove"),
        ("GET", "/incubator/tenants/{companyId:long}/report", Gate.CompanyData, "/incubator/tenants/{company}/report"),
        ("GET", "/incubator/import", Gate.Advisors, "/incubator/import"),
        ("POST", "/incubator/import", Gate.Advisors, "/incubator/import"),
        ("GET", "/incubator/import/template.csv", Gate.Advisors, "/incubator/import/template.csv"),
        ("GET", "/incubator/matrix", Gate.Advisors, "/incubator/matrix"),
        ("GET", "/incubator/{id:long}/matrix", Gate.Advisors, "/incubator/1/matrix"),
        ("GET", "/incubator/matrix.csv", Gate.Advisors, "/incubator/matrix.csv"),
        ("GET", "/incubator/{id:long}/matrix.csv", Gate.Advisors, "/incubator/1/matrix.csv"),
        ("GET", "/incubator/matrix.xlsx", Gate.Advisors, "/incubator/matrix.xlsx"),
        ("GET", "/incubator/{id:long}/matrix.xlsx", Gate.Advisors, "/incubator/1/matrix.xlsx"),
        ("POST", "/companies/{id:long}/links/{requestId:long}/{decision:regex(^(approve|decline)$)}", Gate.CompanyOwners, "/companies/{company}/links/1/approve"),
        ("POST", "/incubator/import/{draftId:long}/confirm", Gate.Advisors, "/incubator/import/1/confirm"),
        ("GET", "/incubator/tenants/{companyId:long}/profile", Gate.Advisors, "/incubator/tenants/{company}/profile"),
        ("POST", "/incubator/tenants/{companyId:long}/profile", Gate.Advisors, "/incubator/tenants/{company}/profile"),
        ("GET", "/companies/{id:long}/verification", Gate.CompanyOwners, "/companies/{company}/verification"),
        ("POST", "/companies/{id:long}/verification", Gate.CompanyOwners, "/companies/{company}/verification"),
        ("GET", "/companies/claim", Gate.CompanyUsers, "/companies/claim"),
        ("POST", "/companies/claim", Gate.CompanyUsers, "/companies/claim"),
        ("GET", "/incubator/verification", Gate.Advisors, "/incubator/verification"),
        ("POST", "/incubator/verification", Gate.Advisors, "/incubator/verification"),
        ("GET", "/admin/verification", Gate.Admins, "/admin/verification"),
        // Request 1 exists: ForeignCompanyAsync files one for the foreign company.
        ("GET", "/admin/verification/{id:long}/evidence", Gate.Admins, "/admin/verification/1/evidence"),
        ("POST", "/admin/verification/{id:long}/{decision:regex(^(approve|reject)$)}", Gate.Admins, "/admin/verification/1/reject"),
        ("GET", "/privacy", Gate.Public, "/privacy"),
        ("GET", "/account/data", Gate.SignedIn, "/account/data"),
        ("GET", "/account/data.json", Gate.SignedIn, "/account/data.json"),
        ("POST", "/account/delete", Gate.SignedIn, "/account/delete"),
        ("GET", "/admin", Gate.Admins, "/admin"),
        ("GET", "/admin/audit", Gate.Admins, "/admin/audit"),
        ("GET", "/admin/measures", Gate.Admins, "/admin/measures"),
        ("GET", "/admin/measures/new", Gate.Admins, "/admin/measures/new"),
        ("POST", "/admin/measures/new", Gate.Admins, "/admin/measures/new"),
        ("GET", "/admin/measures/{id}/edit", Gate.Admins, "/admin/measures/{measure}/edit"),
        ("POST", "/admin/measures/{id}/edit", Gate.Admins, "/admin/measures/{measure}/edit"),
        ("GET", "/admin/measures/{id}/preview", Gate.Admins, "/admin/measures/{measure}/preview"),
        ("POST", "/admin/measures/{id}/publish", Gate.Admins, "/admin/measures/{measure}/publish"),
        ("POST", "/admin/measures/{id}/retire", Gate.Admins, "/admin/measures/{measure}/retire"),
        ("GET", "/admin/measures/{id}/eligible.csv", Gate.Admins, "/admin/measures/{measure}/eligible.csv"),
        ("GET", "/admin/measures/{id}/versions", Gate.Admins, "/admin/measures/{measure}/versions"),
        ("GET", "/admin/documents", Gate.Admins, "/admin/documents"),
        ("GET", "/admin/documents/new", Gate.Admins, "/admin/documents/new"),
        ("POST", "/admin/documents/new", Gate.Admins, "/admin/documents/new"),
        ("GET", "/admin/documents/{id}", Gate.Admins, "/admin/documents/000"),
        ("GET", "/admin/documents/{id}/text", Gate.Admins, "/admin/documents/000/text"),
        ("POST", "/admin/documents/{id}/text", Gate.Admins, "/admin/documents/000/text"),
        ("GET", "/admin/notices", Gate.Admins, "/admin/notices"),
        ("GET", "/admin/notices/new", Gate.Admins, "/admin/notices/new"),
        ("POST", "/admin/notices/new", Gate.Admins, "/admin/notices/new"),
        ("GET", "/admin/notices/{id}", Gate.Admins, "/admin/notices/cp-2025-hightech-funds-claim"),
        ("POST", "/admin/notices/{id}/cancel", Gate.Admins, "/admin/notices/cp-2025-hightech-funds-claim/cancel"),
        ("POST", "/admin/notices/{id}/attachments", Gate.Admins, "/admin/notices/cp-2025-hightech-funds-claim/attachments"),
        ("POST", "/admin/notices/{id}/attachments/{attachment:long}/delete", Gate.Admins, "/admin/notices/cp-2025-hightech-funds-claim/attachments/1/delete"),
        ("GET", "/admin/jobs", Gate.Admins, "/admin/jobs"),
        ("POST", "/admin/jobs/deliveries/{id:long}/retry", Gate.Admins, "/admin/jobs/deliveries/1/retry"),
        ("POST", "/admin/jobs/deliveries/retry-failed", Gate.Admins, "/admin/jobs/deliveries/retry-failed"),
        ("POST", "/admin/jobs/rematch", Gate.Admins, "/admin/jobs/rematch"),
        // Hangfire's dashboard: one endpoint for all its pages and its POST actions (see the test below).
        ("GET", "/admin/hangfire/{**path}", Gate.Admins, "/admin/hangfire"),
        ("GET", "/inbox", Gate.SignedIn, "/inbox"),
        ("POST", "/inbox/{id:long}/acknowledge", Gate.SignedIn, "/inbox/1/acknowledge"),
        ("GET", "/subscriptions", Gate.SignedIn, "/subscriptions"),
        ("POST", "/subscriptions", Gate.SignedIn, "/subscriptions"),
        ("GET", "/notices/{id}", Gate.Public, "/notices/cp-2025-hightech-funds-claim"),
        ("GET", "/notices/{id}/attachments/{attachment:long}", Gate.Public, "/notices/cp-2025-hightech-funds-claim/attachments/1"),
        ("GET", "/unsubscribe/{token}", Gate.Public, "/unsubscribe/x"),
        ("POST", "/unsubscribe/{token}", Gate.Public, "/unsubscribe/x"),
        ("GET", "/api/unsubscribe/{token}", Gate.Public, "/api/unsubscribe/x"),
        ("POST", "/api/unsubscribe/{token}", Gate.Public, "/api/unsubscribe/x"),
        ("GET", "/openapi/{documentName}.json", Gate.Public, "/openapi/v1.json"),
    ];

    private static IEnumerable<(string Method, string Pattern)> Endpoints(IServiceProvider services) =>
        services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'))))
            .Distinct();

    [Fact]
    public void Every_endpoint_of_the_portal_is_in_the_matrix()
    {
        var known = Matrix.Select(m => (m.Method, m.Pattern)).ToHashSet();
        var missing = Endpoints(portal.Services).Where(e => !known.Contains(e)).ToList();
        Assert.True(missing.Count == 0, "Classify these endpoints in the matrix: " + string.Join(", ", missing.Select(m => $"{m.Method} {m.Pattern}")));
    }

    private async Task<long> ForeignCompanyAsync()
    {
        // A company nobody in the test is a member of, and no incubator has as a tenant.
        var profile = System.Text.Json.Nodes.JsonNode.Parse($$"""{ "name": "别人家的公司", "uscc": "{{TestData.NewUscc()}}", "district": "海淀区", "employees": 7 }""")!.AsObject();
        var id = (await portal.Service<CompanyRepository>().CreateAsync(profile, null))!.Value;
        var (claimant, _) = await portal.CreateUserAsync(Roles.Company);
        await portal.Service<VerificationRepository>().SubmitAsync(VerificationKinds.Dispute, id, null, claimant, "x",
            new Evidence("licence.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray()));
        return id;
    }

    private async Task<string> MeasureIdAsync() =>
        (await portal.Service<PolicyMatch.Web.Features.Catalog.CatalogCache>().GetPublishedAsync())[0].Row.MeasureId;

    /// <summary>Refused: 403, 404, or the cookie handler's redirect to the access-denied page.</summary>
    private static bool Denied(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
        || (response.StatusCode == HttpStatusCode.Redirect && PathOf(response.Headers.Location!).StartsWith("/error/403", StringComparison.Ordinal));

    private static string PathOf(Uri location) => location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString;

    private static string Fill(string sample, long company, string measure) =>
        sample.Replace("{company}", company.ToString()).Replace("{measure}", measure);

    [Fact]
    public async Task Signed_in_users_get_nothing_of_a_company_that_is_not_theirs()
    {
        var company = await ForeignCompanyAsync();
        var measure = await MeasureIdAsync();
        foreach (var role in new[] { Roles.Company, Roles.Advisor })
        {
            using var s = await portal.SignInAsync(role);
            foreach (var (method, _, gate, sample) in Matrix.Where(m => m.Gate is Gate.CompanyData or Gate.CompanyMembers or Gate.CompanyOwners))
            {
                var url = Fill(sample, company, measure);
                var response = method == "GET"
                    ? await s.Client.GetAsync(url)
                    : await s.PostFormAsync("/", url, [new("Name", "x"), new("Uscc", "x"), new("District", "昌平区")], anyToken: true);
                Assert.True(Denied(response), $"{role} {method} {url} ({gate}): {(int)response.StatusCode} {response.Headers.Location}");
                Assert.DoesNotContain("别人家的公司", await response.Content.ReadAsStringAsync());
            }
        }
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_log_in_for_every_gated_page_and_get_401_from_the_API()
    {
        var company = await ForeignCompanyAsync();
        var measure = await MeasureIdAsync();
        using var s = portal.Anonymous();
        foreach (var (method, pattern, gate, sample) in Matrix.Where(m => m.Gate is not (Gate.Public or Gate.OperatorToken) && m.Method == "GET"))
        {
            var response = await s.Client.GetAsync(Fill(sample, company, measure));
            if (pattern.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect && PathOf(response.Headers.Location!).StartsWith("/account/login", StringComparison.Ordinal),
                    $"{method} {pattern} ({gate}): {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
    }

    [Fact]
    public async Task Each_role_is_refused_the_workspaces_of_the_other_roles()
    {
        var company = await ForeignCompanyAsync();
        var measure = await MeasureIdAsync();
        var forbidden = new Dictionary<string, Gate[]>
        {
            [Roles.Company] = [Gate.Advisors, Gate.Admins],
            [Roles.Advisor] = [Gate.CompanyUsers, Gate.Admins],
        };
        foreach (var (role, gates) in forbidden)
        {
            using var s = await portal.SignInAsync(role);
            foreach (var (method, pattern, gate, sample) in Matrix.Where(m => gates.Contains(m.Gate) && m.Method == "GET"))
            {
                var response = await s.Client.GetAsync(Fill(sample, company, measure));
                Assert.True(Denied(response), $"{role} GET {pattern} ({gate}): {(int)response.StatusCode} {response.Headers.Location}");
            }
        }
    }

    [Fact]
    public async Task Administrators_reach_every_gated_page_including_any_company()
    {
        var company = await ForeignCompanyAsync();
        var measure = await MeasureIdAsync();
        using var s = await portal.SignInAsync(Roles.Admin);
        foreach (var (_, pattern, gate, sample) in Matrix.Where(m => m.Method == "GET" && m.Gate is not (Gate.Public or Gate.Advisors)))
        {
            var response = await s.Client.GetAsync(Fill(sample, company, measure));
            // A page that only forwards (GET /admin/measures → /admin) counts when it stays in the admin area.
            var reached = response.StatusCode == HttpStatusCode.OK
                || (response.StatusCode == HttpStatusCode.Redirect && PathOf(response.Headers.Location!).StartsWith("/admin", StringComparison.Ordinal));
            Assert.True(reached, $"admin GET {pattern} ({gate}): {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Fact]
    public async Task Every_form_post_is_refused_without_an_antiforgery_token()
    {
        var company = await ForeignCompanyAsync();
        var measure = await MeasureIdAsync();
        using var s = await portal.SignInAsync(Roles.Admin);
        foreach (var (_, pattern, _, sample) in Matrix.Where(m => m.Method == "POST" && !m.Pattern.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var response = await s.Client.PostAsync(Fill(sample, company, measure), new FormUrlEncodedContent([new("Name", "x")]));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"POST {pattern} without a token: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// Hangfire's dashboard is one endpoint for every page and action, so its POST actions (retry,
    /// delete, trigger) are checked here: each visitor who is not an administrator gets exactly the
    /// answer an admin page's POST gives them (the login redirect, or the 403 page).
    /// </summary>
    [Fact]
    public async Task The_Hangfire_dashboard_answers_non_administrators_like_every_admin_page_on_GET_and_POST()
    {
        string[] actions = ["/admin/hangfire/jobs/failed/requeue", "/admin/hangfire/jobs/enqueued/delete", "/admin/hangfire/recurring/trigger"];
        var visitors = new List<Session> { portal.Anonymous(), await portal.SignInAsync(Roles.Company), await portal.SignInAsync(Roles.Advisor) };
        try
        {
            foreach (var s in visitors)
            {
                var adminGet = await s.Client.GetAsync("/admin/jobs");
                var adminPost = await s.Client.PostAsync("/admin/jobs/rematch", new FormUrlEncodedContent([]));
                Assert.Equal(HttpStatusCode.Redirect, adminGet.StatusCode);
                foreach (var path in new[] { "/admin/hangfire", "/admin/hangfire/jobs/failed", "/admin/hangfire/recurring" })
                {
                    var response = await s.Client.GetAsync(path);
                    Assert.Equal((adminGet.StatusCode, PathOf(adminGet.Headers.Location!)), (response.StatusCode, PathOf(response.Headers.Location!)));
                }
                foreach (var action in actions)
                {
                    var response = await s.Client.PostAsync(action, new FormUrlEncodedContent([new("jobs[]", "1")]));
                    Assert.Equal((adminPost.StatusCode, PathOf(adminPost.Headers.Location!)), (response.StatusCode, PathOf(response.Headers.Location!)));
                }
            }
        }
        finally
        {
            visitors.ForEach(v => v.Dispose());
        }
    }
}
