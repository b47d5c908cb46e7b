using System.Net;
using Dapper;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Incubators;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Hardening;

/// <summary>
/// Issue 14 item 5: many requests that want the same unique thing at the same moment. Every form is fetched
/// first (each client its own antiforgery token), then all posts are released together with Task.WhenAll, so
/// the requests meet in the database, past the controllers' earlier "is it taken?" reads. Runs on SQLite and
/// on PostgreSQL (the suite's second run).
/// </summary>
public class RaceTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    private async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var db = await portal.Service<IDbConnectionFactory>().OpenAsync();
        return await db.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>Reads the form's token for each session, then posts all at once.</summary>
    private static async Task<HttpResponseMessage[]> PostAllAtOnceAsync(
        IReadOnlyList<Session> sessions, string formPage, string action, Func<int, IEnumerable<KeyValuePair<string, string>>> fields)
    {
        var tokens = new string[sessions.Count];
        for (var i = 0; i < sessions.Count; i++)
        {
            var page = await sessions[i].PageAsync(formPage);
            tokens[i] = page.QuerySelector($"form[action='{action.Split('?')[0]}'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        }
        using var start = new SemaphoreSlim(0);
        var posts = sessions.Select(async (s, i) =>
        {
            await start.WaitAsync();
            return await s.Client.PostAsync(action, new FormUrlEncodedContent(fields(i).Append(F("__RequestVerificationToken", tokens[i]))));
        }).ToList();
        start.Release(sessions.Count);
        return await Task.WhenAll(posts);
    }

    [Theory]
    [InlineData("", "该孵化器已注册")]
    [InlineData("?lang=en", "That incubator is registered already")]
    public async Task Forty_advisors_registering_one_new_incubator_at_once_make_one_incubator_and_no_orphan_accounts(string lang, string message)
    {
        var incubator = $"同名孵化器-{Guid.NewGuid():N}"[..20];
        var emails = Enumerable.Range(0, 40).Select(i => $"race-{i}-{Guid.NewGuid():N}@example.com").ToList();
        var sessions = emails.Select(_ => portal.Anonymous()).ToList();
        try
        {
            var responses = await PostAllAtOnceAsync(sessions, "/account/register" + lang, "/account/register" + lang, i =>
            [
                F("Kind", Roles.Advisor), F("Email", emails[i]), F("DisplayName", "顾问" + i), F("IncubatorName", incubator),
                F("Password", Sessions.Password), F("ConfirmPassword", Sessions.Password), F("AcceptPrivacy", "true"),
            ]);

            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.DoesNotContain(statuses, s => s >= 500);
            Assert.Equal(1, statuses.Count(s => s == 302));
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
            {
                var page = await Html.ParseAsync(await refused.Content.ReadAsStringAsync());
                Assert.Contains(message, page.QuerySelector(".error-summary")!.TextContent);
                Assert.Equal(incubator, page.QuerySelector("input[name=IncubatorName]")!.GetAttribute("value"));
            }

            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM incubators WHERE name = @Name", new { Name = incubator }));
            // The losers' accounts were not left behind: one user for the one incubator, and that one its advisor.
            var made = await CountAsync($"SELECT COUNT(*) FROM users WHERE {portal.Service<IDbConnectionFactory>().Dialect.InList("email", "@Emails")}", new { Emails = emails });
            Assert.Equal(1, made);
            Assert.Equal(0, await CountAsync($"""
                SELECT COUNT(*) FROM users u WHERE {portal.Service<IDbConnectionFactory>().Dialect.InList("u.email", "@Emails")}
                AND NOT EXISTS (SELECT 1 FROM incubator_advisors a WHERE a.user_id = u.id)
                """, new { Emails = emails }));

            // A loser can register at once with another incubator's name (the email is free again).
            using var again = portal.Anonymous();
            var loser = emails.Where((_, i) => responses[i].StatusCode != HttpStatusCode.Redirect).First();
            var retry = await again.PostFormAsync("/account/register", "/account/register",
            [
                F("Kind", Roles.Advisor), F("Email", loser), F("DisplayName", "顾问"), F("IncubatorName", incubator + "二"),
                F("Password", Sessions.Password), F("ConfirmPassword", Sessions.Password), F("AcceptPrivacy", "true"),
            ]);
            Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Thirty_incubators_adding_one_new_code_at_once_make_one_company_and_the_others_get_a_link_request_or_a_clear_answer()
    {
        var advisors = new List<Advisor>();
        for (var i = 0; i < 30; i++)
        {
            advisors.Add(await portal.AdvisorAsync($"竞争孵化器{i}"));
        }
        try
        {
            var uscc = NewUscc();
            var responses = await PostAllAtOnceAsync(advisors.Select(a => a.Session).ToList(), "/incubator/tenants/new", "/incubator/tenants/new", i =>
                [F("Name", "北京同码科技有限公司"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "12")]);

            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.DoesNotContain(statuses, s => s >= 500);
            Assert.All(statuses, s => Assert.Equal(302, s));
            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @Uscc", new { Uscc = uscc }));
            // One incubator made it its tenant; every other one asked its (future) owner for consent instead.
            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM incubator_tenants t JOIN companies c ON c.id = t.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
            Assert.Equal(29, await CountAsync("SELECT COUNT(*) FROM tenant_link_requests r JOIN companies c ON c.id = r.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM profile_history h JOIN companies c ON c.id = h.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
        }
        finally
        {
            advisors.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Thirty_company_users_creating_one_code_at_once_make_one_company_with_one_owner()
    {
        var sessions = new List<Session>();
        for (var i = 0; i < 30; i++)
        {
            sessions.Add(await portal.SignInAsync(Roles.Company));
        }
        try
        {
            var uscc = NewUscc();
            var responses = await PostAllAtOnceAsync(sessions, "/companies/new", "/companies/new", i =>
                [F("Name", "北京同码创建科技有限公司"), F("Uscc", uscc), F("District", "昌平区"), F("Employees", "12")]);

            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.DoesNotContain(statuses, s => s >= 500);
            Assert.Equal(1, statuses.Count(s => s == 302));
            Assert.All(statuses.Where(s => s != 302), s => Assert.Equal(409, s));
            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM companies WHERE uscc = @Uscc", new { Uscc = uscc }));
            Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM company_members m JOIN companies c ON c.id = m.company_id WHERE c.uscc = @Uscc", new { Uscc = uscc }));
        }
        finally
        {
            sessions.ForEach(s => s.Dispose());
        }
    }
}
